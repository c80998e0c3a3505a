from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kesu.meetings"
    label = "meetings"
    verbose_name = "领导小组会议"

    def ready(self) -> None:
        from kesu.domain.scoring_rubric import ATTENDANCE, DECISIONS
        from kesu.meetings import cycle_items, scoring
        from kesu.meetings.home import home_blocks
        from kesu.plans.dashboard_cards import register_card_source
        from kesu.plans.home import register_home_blocks
        from kesu.tracking.cycle_items import register_item_source
        from kesu.tracking.rubric_sources import register_share_source

        register_home_blocks("meetings", home_blocks)
        register_item_source(cycle_items.SOURCE, cycle_items.DecisionItems())
        register_share_source(DECISIONS, scoring.decision_shares)
        register_share_source(ATTENDANCE, scoring.attendance_shares)
        register_card_source("meetings", scoring.cards)

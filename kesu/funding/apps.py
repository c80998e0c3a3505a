from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "kesu.funding"
    label = "funding"
    verbose_name = "科普经费"

    def ready(self) -> None:
        from kesu.domain.scoring_rubric import FUNDING
        from kesu.funding.figures import dashboard_cards, rubric_shares
        from kesu.funding.home import home_blocks
        from kesu.funding.queries import latest_populations
        from kesu.plans.dashboard_cards import register_card_source
        from kesu.plans.home import register_home_blocks
        from kesu.tracking.populations import register_population_source
        from kesu.tracking.rubric_sources import register_share_source

        register_card_source("funding", dashboard_cards)
        register_share_source(FUNDING, rubric_shares)
        register_home_blocks("funding", home_blocks)
        register_population_source("funding", latest_populations)

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "kesu.campaigns"
    label = "campaigns"
    verbose_name = "主题活动"

    def ready(self) -> None:
        from kesu.campaigns.home import home_blocks
        from kesu.campaigns.scoring import campaign_shares
        from kesu.domain.scoring_rubric import CAMPAIGNS
        from kesu.plans.home import register_home_blocks
        from kesu.tracking.rubric_sources import register_share_source

        register_home_blocks("campaigns", home_blocks)
        register_share_source(CAMPAIGNS, campaign_shares)

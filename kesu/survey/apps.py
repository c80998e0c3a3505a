from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "kesu.survey"
    label = "survey"
    verbose_name = "科学素质监测评估"

    def ready(self) -> None:
        from kesu.plans.dashboard_cards import register_card_source
        from kesu.plans.home import register_home_blocks
        from kesu.survey.latest import dashboard_card
        from kesu.survey.todo import home_blocks

        register_home_blocks("survey", home_blocks)
        register_card_source("survey", dashboard_card)

from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "kesu.survey"
    label = "survey"
    verbose_name = "科学素质监测评估"

from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """终期/中期评估 of a plan over a range of its years: figures from tracking and survey, narrative by the office."""

    name = "kesu.evaluation"
    label = "evaluation"
    verbose_name = "实施评估"

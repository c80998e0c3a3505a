from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "kesu.plans"
    label = "plans"
    verbose_name = "实施方案"

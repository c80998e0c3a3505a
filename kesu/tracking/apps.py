from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "kesu.tracking"
    label = "tracking"
    verbose_name = "实施跟踪"

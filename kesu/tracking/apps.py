from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "kesu.tracking"
    label = "tracking"
    verbose_name = "实施跟踪"

    def ready(self) -> None:
        from kesu.plans.home import register_home_blocks
        from kesu.tracking.todo import home_blocks

        register_home_blocks("tracking", home_blocks)

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "kesu.services"
    label = "services"
    verbose_name = "基层科普服务"

    def ready(self) -> None:
        from kesu.services.binding import BindingSource
        from kesu.tracking.live_values import register_live_source

        register_live_source("service_bindings", BindingSource())

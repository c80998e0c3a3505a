from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    """志愿服务: grassroots science service (点单-派单-领单-接单), teams, volunteers, hours, bases. The label stays
    "services" so that its tables, migrations and template folder keep their names."""

    name = "kesu.volunteering"
    label = "services"
    verbose_name = "志愿服务"

    def ready(self) -> None:
        from kesu.tracking.live_values import register_live_source
        from kesu.volunteering.binding import BindingSource

        register_live_source("service_bindings", BindingSource())

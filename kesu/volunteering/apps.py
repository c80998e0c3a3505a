from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    """志愿服务: grassroots science service (点单-派单-领单-接单), teams, volunteers, hours, bases. The label stays
    "services" so that its tables, migrations and template folder keep their names."""

    name = "kesu.volunteering"
    label = "services"
    verbose_name = "志愿服务"

    def ready(self) -> None:
        from kesu.plans.home import register_home_blocks
        from kesu.tracking.live_values import register_live_source, register_totals_source
        from kesu.volunteering.binding import BindingSource, period_totals
        from kesu.volunteering.todo import home_blocks

        register_live_source("service_bindings", BindingSource())
        register_totals_source("service_totals", period_totals)
        register_home_blocks("services", home_blocks)

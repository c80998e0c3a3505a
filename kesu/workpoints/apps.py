from django.apps import AppConfig


class WorkpointsConfig(AppConfig):
    name = "kesu.workpoints"
    label = "workpoints"
    verbose_name = "年度工作要点"

    def ready(self) -> None:
        from kesu.tracking.cycle_items import register_item_source
        from kesu.tracking.summary_sections import register_summary_section
        from kesu.workpoints import reporting

        register_item_source(reporting.SOURCE, reporting.WorkPointItems())
        register_summary_section("workpoints", reporting.summary_section)

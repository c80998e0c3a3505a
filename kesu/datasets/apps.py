from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "kesu.datasets"
    label = "datasets"
    verbose_name = "统计报表"

    def ready(self) -> None:
        from kesu.datasets.binding import DataBindingSource
        from kesu.datasets.home import home_blocks
        from kesu.datasets.prefill_funding import register_funding_sources
        from kesu.datasets.prefill_sources import register_builtin_sources
        from kesu.plans.home import register_home_blocks
        from kesu.tracking.live_values import register_live_source

        register_home_blocks("datasets", home_blocks)
        register_live_source("datasets", DataBindingSource())
        register_builtin_sources()
        register_funding_sources()

from django.apps import AppConfig


class SuccessionConfig(AppConfig):
    """方案衔接: a plan's successor (the next five-year plan) — proposed links of measures and targets, carried
    baselines, confirmed once by the office, which ends the old plan (read-only, still browsable)."""

    name = "kesu.succession"
    label = "succession"
    verbose_name = "方案衔接"

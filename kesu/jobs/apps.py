from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The background-job registry and its runner (`kesu run_jobs`, `kesu worker`): infrastructure, no models."""

    name = "kesu.jobs"
    label = "jobs"
    verbose_name = "后台任务"

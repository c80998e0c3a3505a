from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kesu.meetings"
    label = "meetings"
    verbose_name = "领导小组会议"

    def ready(self) -> None:
        from kesu.meetings.home import home_blocks
        from kesu.plans.home import register_home_blocks

        register_home_blocks("meetings", home_blocks)

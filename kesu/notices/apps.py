from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "kesu.notices"
    verbose_name = "通知发送"

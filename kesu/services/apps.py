from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "kesu.services"
    label = "services"
    verbose_name = "基层科普服务"

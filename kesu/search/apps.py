from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kesu.search"
    verbose_name = "搜索"

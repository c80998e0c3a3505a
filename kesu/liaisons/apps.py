from django.apps import AppConfig


class LiaisonsConfig(AppConfig):
    name = "kesu.liaisons"
    label = "liaisons"
    verbose_name = "联络员"

    def ready(self) -> None:
        from kesu.liaisons.recipients import liaison_accounts
        from kesu.org.unit_recipients import register_unit_recipients

        register_unit_recipients("liaisons", liaison_accounts)

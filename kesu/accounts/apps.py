from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kesu.accounts"
    label = "accounts"
    verbose_name = "账号与登录"

    def ready(self) -> None:
        from kesu.accounts import signin

        signin.connect_signals()

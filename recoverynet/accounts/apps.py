from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recoverynet.accounts"
    label = "accounts"
    verbose_name = "Accounts, consent and privacy"

    def ready(self):
        from . import (
            encryption,  # noqa: F401  (connects the setting_changed receiver)
            second_factor,  # connects the user_logged_in receiver
        )

        second_factor.connect_allauth_signals()

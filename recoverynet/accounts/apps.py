from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recoverynet.accounts"
    label = "accounts"
    verbose_name = "Accounts, consent and privacy"

from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "recoverynet.timebank"
    label = "timebank"
    verbose_name = "Time bank: the core economy's ledger"

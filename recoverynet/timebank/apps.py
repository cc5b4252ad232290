from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "recoverynet.timebank"
    label = "timebank"
    verbose_name = "Time bank: the core economy's ledger"
    # What this app adds elsewhere (core.registry).
    indicators = "recoverynet.timebank.indicators.INDICATORS"
    panels = {"profile": ["recoverynet.timebank.panels.profile_time_bank"]}

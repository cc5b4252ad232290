from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "recoverynet.timebank"
    label = "timebank"
    verbose_name = "Time bank: the core economy's ledger"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.timebank.demo.load_timebank_demo"
    demo_after = ("federation",)
    indicators = "recoverynet.timebank.indicators.INDICATORS"
    # Who gave help through the time bank in a period (the federation's "people giving back").
    givers = "recoverynet.timebank.indicators.givers"
    # Run once a day by manage.py run_daily (one timer for every app).
    daily_tasks = ("recoverynet.timebank.tasks.auto_confirm_exchanges",)
    # Members' reports, for the coordinators' shared queue (core.moderation).
    report_models = ("timebank.Report",)
    panels = {
        "home": ["recoverynet.timebank.panels.home_time_bank"],
        "profile": ["recoverynet.timebank.panels.profile_time_bank"],
        "network_dashboard": ["recoverynet.timebank.panels.network_dashboard"],
    }

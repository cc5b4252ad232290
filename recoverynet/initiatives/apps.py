from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "recoverynet.initiatives"
    label = "initiatives"
    verbose_name = "Community pitches and initiatives"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.initiatives.demo.load_initiatives_demo"
    demo_after = ("federation",)
    indicators = "recoverynet.initiatives.indicators.INDICATORS"
    # Who gave back through initiatives in a period (the federation's "people giving back").
    givers = "recoverynet.initiatives.indicators.givers"
    # Run once a day by manage.py run_daily (one timer for every app).
    daily_tasks = ("recoverynet.initiatives.tasks.email_milestones_due",)
    # Members' reports, for the coordinators' shared queue (core.moderation).
    report_models = ("initiatives.Report",)
    panels = {
        "home": ["recoverynet.initiatives.panels.home_pitches"],
        "network": ["recoverynet.initiatives.panels.network_pitches"],
        "network_dashboard": ["recoverynet.initiatives.panels.network_dashboard"],
        "profile": ["recoverynet.initiatives.panels.profile_pitches"],
    }

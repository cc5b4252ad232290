from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "recoverynet.initiatives"
    label = "initiatives"
    verbose_name = "Community pitches and initiatives"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.initiatives.demo.load_initiatives_demo"
    demo_after = ("federation",)
    indicators = "recoverynet.initiatives.indicators.INDICATORS"
    panels = {
        "home": ["recoverynet.initiatives.panels.home_pitches"],
        "network": ["recoverynet.initiatives.panels.network_pitches"],
        "network_dashboard": ["recoverynet.initiatives.panels.network_dashboard"],
    }

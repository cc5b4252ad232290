from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "recoverynet.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes: the nine outcomes, the dashboard and the commissioners' report"
    # What this app adds elsewhere (core.registry).
    panels = {
        "manage": ["recoverynet.outcomes.panels.manage_index"],
        "profile": ["recoverynet.outcomes.panels.profile"],
        "network_dashboard": ["recoverynet.outcomes.panels.network_dashboard"],
    }

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "recoverynet.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes: the nine outcomes, the dashboard and the commissioners' report"

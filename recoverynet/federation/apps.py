from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "recoverynet.federation"
    label = "federation"
    verbose_name = "Federation: networks and settlements"

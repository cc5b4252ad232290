from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "recoverynet.federation"
    label = "federation"
    verbose_name = "Federation: networks and settlements"

    def ready(self):
        from recoverynet.core.scoping import register_scope_provider

        from .scoping import scope_from_memberships

        register_scope_provider(scope_from_memberships)

from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "recoverynet.federation"
    label = "federation"
    verbose_name = "Federation: networks and settlements"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.federation.demo.loader.load_federation_demo"
    # Figures for the nine outcomes (core.registry.Indicator).
    indicators = "recoverynet.federation.indicators.INDICATORS"
    # Coordinators and hosts give back too (core.registry.givers merges every app's).
    givers = "recoverynet.federation.indicators.givers"

    def ready(self):
        from recoverynet.core.scoping import register_scope_provider

        from .scoping import scope_from_memberships

        register_scope_provider(scope_from_memberships)

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "recoverynet.directory"
    label = "directory"
    verbose_name = "Directory: mutual-aid meetings and services"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.directory.demo.load_directory_demo"
    demo_after = ("federation",)
    # Figures for the nine outcomes (core.registry.Indicator).
    indicators = "recoverynet.directory.indicators.INDICATORS"
    panels = {
        "network": ["recoverynet.directory.panels.network_meetings"],
        "settlement": ["recoverynet.directory.panels.settlement_meetings"],
        # The coordinators' pages: /manage/ (obj: the person) and a network's dashboard.
        "manage": ["recoverynet.directory.panels.manage_index"],
        "network_dashboard": ["recoverynet.directory.panels.network_dashboard"],
    }

    def ready(self):
        from django.db.models.signals import post_migrate

        from .reference import sync_meeting_types

        post_migrate.connect(sync_meeting_types, sender=self, dispatch_uid="directory.sync_meeting_types")

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "recoverynet.directory"
    label = "directory"
    verbose_name = "Directory: mutual-aid meetings and services"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .reference import sync_meeting_types

        post_migrate.connect(sync_meeting_types, sender=self, dispatch_uid="directory.sync_meeting_types")

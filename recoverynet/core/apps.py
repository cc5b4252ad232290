from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "recoverynet.core"
    label = "core"
    verbose_name = "Core: audit and privacy"
    # What core adds elsewhere (core.registry): the way to the queue of members' reports on /manage/.
    panels = {"manage": ["recoverynet.core.moderation_views.manage_panel"]}

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Registers the schema extension for django-filter parameters' limits.
        from recoverynet.core import api_schema  # noqa: F401

        # Each app's personal_data.py registers declarations for other apps' models (allauth's, Django's).
        autodiscover_modules("personal_data")

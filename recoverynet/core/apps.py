from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "recoverynet.core"
    label = "core"
    verbose_name = "Core: audit and privacy"

    def ready(self):
        # Registers the schema extension for django-filter parameters' limits.
        from recoverynet.core import api_schema  # noqa: F401

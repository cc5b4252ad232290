from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "recoverynet.core"
    label = "core"
    verbose_name = "Core: audit and privacy"

from django.apps import AppConfig


class RecoveryCapitalConfig(AppConfig):
    name = "recoverynet.recoverycapital"
    label = "recoverycapital"
    verbose_name = "Recovery capital: instruments, assessments and the member's journey"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.recoverycapital.demo.load_recoverycapital_demo"
    demo_after = ("federation",)
    indicators = "recoverynet.recoverycapital.indicators.INDICATORS"
    # Run once a day by manage.py run_daily (one timer for every app).
    daily_tasks = ("recoverynet.recoverycapital.tasks.send_due_reminders",)
    panels = {
        "profile": ["recoverynet.recoverycapital.panels.profile_journey"],
        "manage": ["recoverynet.recoverycapital.panels.manage_index"],
    }

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_load_shipped_instruments, sender=self)


def _load_shipped_instruments(sender, using="default", **kwargs):
    """BARC-10, MIRC-28 and ONS4 (instruments/*.json) are there once the tables are."""
    from django.db import connections

    from .models import Instrument
    from .services import load_shipped_instruments

    if using != "default" or Instrument._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to zero, or another database
    load_shipped_instruments()

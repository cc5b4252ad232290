from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "recoverynet.volunteering"
    label = "volunteering"
    verbose_name = "Volunteering: roles, shifts and hours"
    # What this app adds elsewhere (core.registry).
    demo_loader = "recoverynet.volunteering.demo.load_volunteering_demo"
    demo_after = ("federation", "timebank", "initiatives")
    indicators = "recoverynet.volunteering.indicators.INDICATORS"
    # Who gave back through volunteering in a period (the federation's "people giving back").
    givers = "recoverynet.volunteering.indicators.givers"
    # Run once a day by manage.py run_daily (one timer for every app).
    daily_tasks = ("recoverynet.volunteering.tasks.send_shift_reminders",)
    panels = {
        "home": ["recoverynet.volunteering.panels.home_roles"],
        "network": ["recoverynet.volunteering.panels.network_roles"],
        "settlement": ["recoverynet.volunteering.panels.settlement_roles"],
        "initiative": ["recoverynet.volunteering.panels.initiative_roles"],
        "profile": ["recoverynet.volunteering.panels.profile_volunteering"],
        "manage": ["recoverynet.volunteering.panels.manage_index"],
    }

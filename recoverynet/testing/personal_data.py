"""Each app gives the erasure and export tests a row in every model it declares
personal data on, in its own ``tests/personal_data_rows.py``:

    def add(person, world):
        '''Rows that belong to `person` (and name them where the model can).'''

``recoverynet/accounts/tests/test_personal_data.py`` calls every installed
app's ``add`` for its person, so a new app's rows are covered without editing
that test: its export test fails, naming the model, until the app adds them."""

from importlib import import_module

from django.apps import apps


def declared_row_makers() -> list[tuple[str, object]]:
    """(app label, add(person, world)) for every installed app of ours that has one, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("recoverynet."):
            continue
        module_name = f"{config.name}.tests.personal_data_rows"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name not in (module_name, f"{config.name}.tests"):
                raise
            continue
        found.append((config.label, module.add))
    return found

"""Reference data shipped with the app: Meeting Guide type codes and the
offline gazetteer. Files live in data/ (see their licence and attribution)."""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def meeting_guide_types() -> dict:
    """{code: (English name, proposed?)} for every code in the spec."""
    types = {}
    for filename, proposed in (("meeting_guide_types.json", False), ("meeting_guide_types_proposed.json", True)):
        for code, names in json.loads((DATA_DIR / filename).read_text(encoding="utf-8")).items():
            types[code] = (names["en"], proposed)
    return types


def sync_meeting_types(**kwargs):
    """post_migrate: make the MeetingType table match the spec's codes."""
    from .models import MeetingType

    wanted = meeting_guide_types()
    existing = {t.code: t for t in MeetingType.objects.all()}
    MeetingType.objects.bulk_create(
        [MeetingType(code=c, name=n, proposed=p) for c, (n, p) in wanted.items() if c not in existing]
    )
    for code, (name, proposed) in wanted.items():
        current = existing.get(code)
        if current and (current.name, current.proposed) != (name, proposed):
            current.name, current.proposed = name, proposed
            current.save(update_fields=["name", "proposed"])

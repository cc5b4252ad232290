from django.db import migrations

INTERESTS = [
    "Admin and office",
    "Cooking and food",
    "Creative arts",
    "Digital and IT",
    "Driving and transport",
    "Events",
    "Gardening and outdoors",
    "Peer support",
    "Sport and fitness",
    "Training others",
]


def seed(apps, schema_editor):
    Interest = apps.get_model("volunteering", "Interest")
    for name in INTERESTS:
        Interest.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteering", "0004_interests"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]

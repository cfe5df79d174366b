"""The starting list of dispute kinds (editable in the admin): the five every seed names, and 其他."""

from django.db import migrations

KINDS = [
    ("neighbour", "邻里纠纷", 10),
    ("family", "婚姻家庭纠纷", 15),
    ("property", "物业纠纷", 15),
    ("labour", "劳资纠纷", 10),
    ("land_house", "土地房屋纠纷", 20),
    ("other", "其他纠纷", 15),
]


def add(apps, schema_editor):
    DisputeKind = apps.get_model("disputes", "DisputeKind")
    for order, (code, name, days) in enumerate(KINDS):
        DisputeKind.objects.get_or_create(
            code=code, defaults={"name": name, "working_days": days, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("disputes", "DisputeKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_cases")]
    operations = [migrations.RunPython(add, remove)]

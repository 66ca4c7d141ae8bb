"""The common items of 2020 (口罩、体温计、84 消毒液、防护服…). More can be added in the admin."""

from django.db import migrations

# name, category, measure, pieces per box
ITEMS = [
    ("口罩", "mask", "piece", 50),
    ("医用外科口罩", "mask", "piece", 50),
    ("N95 口罩", "mask", "piece", 20),
    ("体温计", "thermometer", "stick", None),
    ("额温枪", "thermometer", "piece", None),
    ("84 消毒液", "disinfectant", "bottle", None),
    ("医用酒精", "disinfectant", "bottle", None),
    ("防护服", "protective", "set", None),
    ("护目镜", "protective", "pair", None),
    ("手套", "protective", "pair", 50),
    ("生活物资包", "daily", "pack", None),
]


def seed(apps, schema_editor):
    Item = apps.get_model("supplies", "Item")
    for position, (name, category, measure, per_box) in enumerate(ITEMS, start=1):
        Item.objects.update_or_create(
            name=name,
            defaults={
                "category": category,
                "measure": measure,
                "pieces_per_box": per_box,
                "position": position * 10,
            },
        )


def unseed(apps, schema_editor):
    Item = apps.get_model("supplies", "Item")
    Item.objects.filter(name__in=[i[0] for i in ITEMS], movements__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_ledger_and_donations")]

    operations = [migrations.RunPython(seed, unseed)]

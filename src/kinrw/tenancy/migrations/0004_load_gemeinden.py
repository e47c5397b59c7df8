"""Load the 396 Gemeinden of NRW (VG5000, © GeoBasis-DE / BKG 2021) into the public schema."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gemeinden.csv"


def load(apps, schema_editor):
    Gemeinde = apps.get_model("tenancy", "Gemeinde")
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(Gemeinde.objects.values_list("ags", flat=True))
    Gemeinde.objects.bulk_create(
        Gemeinde(
            ags=r["ags"], ars=r["ars"], name=r["name"], kind=r["bez"], kreis_ags=r["kreis_ags"]
        )
        for r in rows
        if r["ags"] not in existing
    )


def unload(apps, schema_editor):
    apps.get_model("tenancy", "Gemeinde").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0003_gemeinde")]

    operations = [migrations.RunPython(load, unload)]

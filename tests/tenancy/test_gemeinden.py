"""Every Gemeinde of NRW belongs to exactly one KI's area."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.models import Gemeinde, Tenant
from kinrw.tenancy.selectors import gemeinden_of
from tests.kit import Kit

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "nrw_gemeinden.csv"


def _onboard_all() -> list[Tenant]:
    """Registry rows for all 54 KIs. Areas depend on the rows only, so no schemas are made
    (54 schemas in one test transaction would exhaust the server's lock table)."""
    for entry in registry.load():
        if not Tenant.objects.filter(ags=entry.ags).exists():
            onboarding.insert_rows(entry, schema_name=f"gemeinden_{entry.ags}", domain=entry.slug)
    return list(Tenant.objects.all())


def test_all_396_gemeinden_are_loaded_as_in_the_official_list(kit: Kit) -> None:
    with SHARED.open(encoding="utf-8") as handle:
        official = {row["ags"]: row for row in csv.DictReader(handle)}
    loaded = {g.ags: g for g in Gemeinde.objects.all()}
    assert len(official) == 396
    assert set(loaded) == set(official)
    for ags, row in official.items():
        g = loaded[ags]
        assert (g.ars, g.name, g.kind, g.kreis_ags) == (
            row["ars"],
            row["name"],
            row["bez"],
            row["kreis_ags"],
        )


def test_each_gemeinde_belongs_to_exactly_one_ki(kit: Kit) -> None:
    tenants = _onboard_all()
    assert len(tenants) == 54
    owner: dict[str, str] = {}
    for tenant in tenants:
        for ags in gemeinden_of(tenant=tenant).values_list("ags", flat=True):
            assert ags not in owner, f"{ags} belongs to {owner[ags]} and {tenant.slug}"
            owner[ags] = tenant.slug
    assert len(owner) == 396


def test_the_two_aachen_kis_split_the_staedteregion(kit: Kit) -> None:
    _onboard_all()
    stadt = Tenant.objects.get(slug="aachen")
    region = Tenant.objects.get(slug="staedteregion-aachen")
    assert list(gemeinden_of(tenant=stadt).values_list("name", flat=True)) == ["Aachen"]
    region_names = set(gemeinden_of(tenant=region).values_list("name", flat=True))
    assert "Aachen" not in region_names
    assert {"Alsdorf", "Eschweiler", "Würselen"} <= region_names
    assert len(region_names) == 9


def test_a_kreisfreie_stadt_is_its_own_gemeinde(kit: Kit) -> None:
    assert [g.name for g in gemeinden_of(tenant=kit.a.tenant)] == ["Köln"]

"""The registry in tenants/: complete, unique, and faithful to the shared source data."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from kinrw.tenancy import registry
from kinrw.tenancy.models import Kind, Regierungsbezirk
from kinrw.tenancy.registry import RegistryEntry
from tests.tenancy.onboarding_helpers import REGISTRY_CSV, SHARED_REGISTRY_CSV


@pytest.fixture(scope="module")
def entries() -> list[RegistryEntry]:
    return registry.load(REGISTRY_CSV.parent)


def test_default_path_is_the_tenants_folder(entries: list[RegistryEntry]) -> None:
    assert registry.load() == entries


def test_registry_has_exactly_54_kis(entries: list[RegistryEntry]) -> None:
    assert len(entries) == 54


@pytest.mark.parametrize("key", ["ags", "ars", "slug", "name", "official_name"])
def test_keys_are_unique(entries: list[RegistryEntry], key: str) -> None:
    values = [getattr(e, key) for e in entries]
    assert len(values) == 54
    duplicates = [v for v, n in Counter(values).items() if n > 1]
    assert duplicates == []


def test_domains_and_schemas_are_unique(entries: list[RegistryEntry]) -> None:
    domains = [e.primary_domain() for e in entries]
    assert len(set(domains)) == 54
    assert all(registry.valid_domain(d) for d in domains)
    schema_names = [registry.schema_name_for(e.slug) for e in entries]
    assert len(set(schema_names)) == 54
    assert all(len(s) <= 63 for s in schema_names)


def test_counts_per_regierungsbezirk(entries: list[RegistryEntry]) -> None:
    assert Counter(e.regierungsbezirk for e in entries) == {
        "Düsseldorf": 15,
        "Köln": 12,
        "Münster": 8,
        "Detmold": 7,
        "Arnsberg": 12,
    }
    assert set(Regierungsbezirk.values) == {e.regierungsbezirk for e in entries}


def test_counts_per_kind(entries: list[RegistryEntry]) -> None:
    kinds = Counter(e.kind for e in entries)
    assert kinds == {
        Kind.KREISFREIE_STADT: 22,
        Kind.KREIS: 30,
        Kind.STAEDTEREGION: 1,
        Kind.REGIONSANGEHOERIGE_STADT: 1,
    }


@pytest.mark.parametrize(
    ("ags", "slug", "kind", "regierungsbezirk"),
    [
        ("05334002", "aachen", "regionsangehoerige_stadt", "Köln"),
        ("05334", "staedteregion-aachen", "staedteregion", "Köln"),
        ("05315", "koeln", "kreisfreie_stadt", "Köln"),
        ("05117", "muelheim-an-der-ruhr", "kreisfreie_stadt", "Düsseldorf"),
        ("05314", "bonn", "kreisfreie_stadt", "Köln"),
    ],
)
def test_known_kis(
    entries: list[RegistryEntry], ags: str, slug: str, kind: str, regierungsbezirk: str
) -> None:
    entry = registry.find(entries, ags)
    assert entry is not None
    assert (entry.slug, entry.kind, entry.regierungsbezirk) == (slug, kind, regierungsbezirk)
    assert entry.ars.startswith(ags[:5])
    assert entry.primary_domain() == registry.default_domain(slug)
    assert registry.schema_name_for(slug) == "ki_" + slug.replace("-", "_")


def test_stadt_aachen_lies_inside_the_staedteregion(entries: list[RegistryEntry]) -> None:
    stadt = registry.find(entries, "05334002")
    region = registry.find(entries, "05334")
    assert stadt is not None and region is not None
    assert stadt.ags.startswith(region.ags)
    assert stadt.ars != region.ars
    assert stadt.nuts3 == region.nuts3 == "DEA2D"


def test_slugs_are_readable_ascii(entries: list[RegistryEntry]) -> None:
    for entry in entries:
        assert entry.slug.isascii()
        assert registry.SLUG_RE.match(entry.slug), entry.slug
        assert "--" not in entry.slug


def test_ags_have_five_or_eight_digits(entries: list[RegistryEntry]) -> None:
    assert {len(e.ags) for e in entries} == {5, 8}
    assert [e.ags for e in entries if len(e.ags) == 8] == ["05334002"]
    assert all(e.ags.startswith("05") and e.ags.isdigit() for e in entries)


def test_registry_matches_the_shared_source_field_by_field(
    entries: list[RegistryEntry],
) -> None:
    assert SHARED_REGISTRY_CSV.is_file(), f"{SHARED_REGISTRY_CSV} is missing"
    with SHARED_REGISTRY_CSV.open(encoding="utf-8-sig", newline="") as handle:
        shared = list(csv.DictReader(handle))
    assert len(shared) == 54
    ours = {e.ags: e for e in entries}
    assert set(ours) == {row["ags"] for row in shared}
    for row in shared:
        entry = ours[row["ags"]]
        for column, value in row.items():
            ours_value = getattr(entry, column)
            if column == "population_date":
                ours_value = ours_value.isoformat()
            assert str(ours_value) == value, (row["ags"], column)


def test_registry_file_has_the_documented_columns() -> None:
    with REGISTRY_CSV.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == registry.COLUMNS
    # per-KI settings are optional; any present belong to a KI of the registry
    slugs = {e.slug for e in registry.load(REGISTRY_CSV.parent)}
    for path in (REGISTRY_CSV.parent / "settings").glob("*.toml"):
        assert path.stem in slugs


def test_registry_limits_are_the_models_limits() -> None:
    """What the registry accepts, the Tenant model must accept (or apply fails half-way)."""
    from kinrw.tenancy.models import Tenant

    field = Tenant._meta.get_field
    assert field("slug").max_length == registry.SLUG_MAX
    assert len(registry.schema_name_for("x" * registry.SLUG_MAX)) <= 63
    assert field("name").max_length == registry.NAME_MAX
    assert field("official_name").max_length == registry.OFFICIAL_NAME_MAX
    assert registry.POPULATION_MAX == 2**31 - 1  # PositiveIntegerField on PostgreSQL

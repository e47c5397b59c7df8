"""Onboarding refuses what would clash with the Land host or a stray schema."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection

from kinrw.tenancy import onboarding, registry
from kinrw.tenancy.models import Tenant
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _entry(slug: str) -> registry.RegistryEntry:
    return next(e for e in registry.load() if e.slug == slug)


def test_the_land_host_is_no_ki_domain(kit: Kit) -> None:
    with pytest.raises(onboarding.OnboardingError, match="Landesebene"):
        onboarding.tenant_create(entry=_entry("olpe"), domain=kit.land_host)
    assert not Tenant.objects.filter(slug="olpe").exists()


def test_registry_setting_with_the_land_host_is_refused(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    source = registry.default_path() / "registry.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    (tmp_path / "registry.csv").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    (tmp_path / "settings").mkdir()
    slug = lines[1].split(",")[0]
    (tmp_path / "settings" / f"{slug}.toml").write_text(
        f'domain = "{settings.KINRW_BASE_DOMAIN}"\n', encoding="utf-8"
    )
    with pytest.raises(registry.RegistryError, match="Zeile 2: ungültiger Domainname"):
        registry.load(tmp_path)


def test_a_stray_schema_of_the_same_name_is_not_overwritten(kit: Kit) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA ki_olpe")
        cursor.execute("CREATE TABLE ki_olpe.precious (id int)")
    with pytest.raises(onboarding.OnboardingError, match="ki_olpe gibt es schon"):
        onboarding.tenant_create(entry=_entry("olpe"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('ki_olpe.precious')")
        assert cursor.fetchone()[0] is not None
    assert not Tenant.objects.filter(slug="olpe").exists()


def test_renamed_slug_gets_its_own_schema(kit: Kit) -> None:
    created = onboarding.tenant_create(entry=dataclasses.replace(_entry("olpe"), slug="kreis-olpe"))
    assert created.tenant.schema_name == "ki_kreis_olpe"
    assert onboarding.primary_domain(created.tenant) == "kreis-olpe.localhost"

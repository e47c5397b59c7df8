"""The dashboard's figures part is cached under the Land's figures version (issue 4 bench).

Every change of what the figures part shows raises the version in the same
transaction, so a cached part is never shown after a change; the key holds the
viewer's scope, so a Bezirksregierung never gets the Ministerium's part.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from kinrw.catalogue.models import Indicator
from kinrw.state.facts import Fact
from kinrw.state.models import LandRole
from kinrw.state.periods import ReportingPeriod
from kinrw.state.version import land_version
from kinrw.tenancy.models import Tenant
from tests.kit import Kit
from tests.state.test_dashboard import URL, YEAR, _client, _duesseldorf, _fact, _table

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_a_changed_fact_shows_at_once(kit: Kit) -> None:
    _fact(kit.a.tenant, 3, 500)
    _fact(kit.b.tenant, 3, 300)
    client = _client(kit)
    assert _table(client.get(URL).content.decode())["Köln"][1] == "500"
    assert _table(client.get(URL).content.decode())["Köln"][1] == "500"  # from the cache
    Fact.objects.filter(tenant=kit.a.tenant).update(value=777)
    rows = _table(client.get(URL).content.decode())
    assert rows["Köln"][1] == "777"
    assert rows["Regierungsbezirk Köln"][1] == "1.077"
    Fact.objects.filter(tenant=kit.b.tenant).delete()
    assert _table(client.get(URL).content.decode())["Bonn"][1] == "–"


def test_the_cache_is_really_used(kit: Kit) -> None:
    _fact(kit.a.tenant, 3, 500)
    client = _client(kit)
    client.get(URL)
    keys = [k for k in cache._cache if "kinrw:land:dashboard:" in k]  # type: ignore[attr-defined]
    assert len(keys) == 1
    cache.set(keys[0].split(":", 2)[-1], "<p>aus dem Zwischenspeicher</p>")  # same key
    assert "aus dem Zwischenspeicher" in client.get(URL).content.decode()


def test_the_version_rises_with_every_change_the_figures_show(kit: Kit) -> None:
    seen = {land_version()}

    def changed() -> bool:
        now = land_version()
        new = now not in seen
        seen.add(now)
        return new

    _fact(kit.a.tenant, 3, 5)
    assert changed()
    Fact.objects.filter(tenant=kit.a.tenant).update(value=6)
    assert changed()
    Fact.objects.filter(tenant=kit.a.tenant).delete()
    assert changed()
    Tenant.objects.filter(pk=kit.b.tenant.pk).update(population=123_456)
    assert changed()
    Indicator.objects.filter(code="children").update(label="Kinder (neu)")
    assert changed()
    ReportingPeriod.objects.create(year=YEAR - 3, closed_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    assert changed()
    # nothing changed since: the same version
    assert not changed()


def test_a_bezirksregierung_never_gets_the_ministrys_cached_part(kit: Kit) -> None:
    duesseldorf = _duesseldorf()
    _fact(kit.a.tenant, 3, 500)
    _fact(kit.b.tenant, 3, 300)
    _fact(duesseldorf, 3, 40)
    land = _table(_client(kit).get(URL).content.decode())
    assert {"Köln", "Bonn", "Düsseldorf", "Nordrhein-Westfalen"} <= set(land)
    bezirk = _client(kit, LandRole.BEZIRKSREGIERUNG, "Düsseldorf").get(URL).content.decode()
    assert set(_table(bezirk)) == {"Düsseldorf", "Regierungsbezirk Düsseldorf"}
    assert "Köln: 500" not in bezirk and "/ki/koeln/" not in bezirk
    other = _client(kit, LandRole.BEZIRKSREGIERUNG, "Köln").get(URL).content.decode()
    assert set(_table(other)) == {"Köln", "Bonn", "Regierungsbezirk Köln"}

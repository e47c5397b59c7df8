"""The KI's overview page: its own figures by month, what comes next, nothing of others."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.services import enrolment_create, measure_create, session_record
from tests.kit import Kit

pytestmark = pytest.mark.django_db


def _record(kit: Kit, year: int) -> None:
    with in_tenant(kit.a.tenant):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=year)
        measure = measure_create(
            actor=None,
            title="Griffbereit Mitte",
            programme=griffbereit,
            starts_on=dt.date(year, 1, 1),
        )
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(year, 3, 3),
            counts={"children": {"total": 7}, "families": {"total": 5}},
        )
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(year, 3, 10),
            counts={"children": {"total": 1234}},
        )


def _row(html: str, label: str) -> list[str]:
    row = re.search(rf"<th scope=\"row\">{label} .*?</tr>", html, re.S)
    assert row, f"no row {label}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td class=\"num\">(.*?)</td>", row.group(0), re.S)
    ]


def test_overview_shows_the_year_by_month(kit: Kit) -> None:
    _record(kit, 2026)
    html = kit.a.client().get("/?jahr=2026").content.decode()
    assert "Griffbereit" in html and "<caption" in html
    children = _row(html, "Kinder")
    assert children[2] == "1.241"  # March: 7 + 1234, German digit grouping
    assert children[0] == "–" and children[12] == "1.241"
    assert _row(html, "Familien")[2] == "5"


def test_empty_year_explains_what_to_do(kit: Kit) -> None:
    html = kit.a.client().get("/?jahr=2025").content.decode()
    assert "Für 2025 sind noch keine Programme eingetragen" in html


def test_the_other_ki_sees_nothing_of_it(kit: Kit) -> None:
    _record(kit, 2026)
    html = kit.b.client().get("/?jahr=2026").content.decode()
    assert "Griffbereit Mitte" not in html and "1.241" not in html
    assert "Für 2026 sind noch keine Programme eingetragen" in html


def test_upcoming_sessions_are_listed(kit: Kit) -> None:
    today = timezone.localdate()
    with in_tenant(kit.a.tenant):
        measure = measure_create(
            actor=None,
            title="Sprachcafé am Dom",
            starts_on=today,
            programme=Programme.objects.get(code="eigene_massnahme"),
        )
        session_record(actor=None, measure=measure, date=today + dt.timedelta(days=3))
    html = kit.a.client().get("/").content.decode()
    assert "Sprachcafé am Dom" in html
    assert "Keine anstehenden Termine" in kit.b.client().get("/").content.decode()


@pytest.mark.parametrize("year", ["abc", "1800", ""])
def test_a_bad_year_falls_back_to_this_year(kit: Kit, year: str) -> None:
    response = kit.a.client().get(f"/?jahr={year}")
    assert response.status_code == 200
    assert f'value="{timezone.localdate().year}" selected' in response.content.decode()


def test_queries_do_not_grow_with_programmes_and_figures(kit: Kit) -> None:
    from django.db import connection

    client = kit.a.client()
    _record(kit, 2026)  # one programme with figures
    client.get("/?jahr=2026")
    cache.clear()  # both measurements compute the figures (the cache is tested elsewhere)
    with CaptureQueriesContext(connection) as one:
        client.get("/?jahr=2026")
    with in_tenant(kit.a.tenant):
        for code in ("rucksack_kita", "sprachmittlerpool", "komm_an"):
            enrolment_create(actor=None, programme=Programme.objects.get(code=code), year=2026)
    cache.clear()
    with CaptureQueriesContext(connection) as four:
        client.get("/?jahr=2026")
    assert len(four) == len(one)

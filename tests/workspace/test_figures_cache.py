"""The figures counter (database triggers) and the overview's cache keyed by it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace import figures
from kinrw.workspace.models import Session, SessionCount
from kinrw.workspace.services import (
    enrolment_create,
    measure_create,
    measure_delete,
    session_record,
)
from tests.kit import Kit

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _group(kit: Kit):  # type: ignore[no-untyped-def]
    griffbereit = Programme.objects.get(code="griffbereit")
    enrolment_create(actor=None, programme=griffbereit, year=YEAR)
    return measure_create(
        actor=None, title="Gruppe", programme=griffbereit, starts_on=dt.date(YEAR, 1, 5)
    )


def test_every_kind_of_write_raises_the_counter(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        before = figures.generation()
        measure = _group(kit)
        after_measure = figures.generation()
        assert after_measure > before
        session = session_record(
            actor=None, measure=measure, date=dt.date(YEAR, 2, 2), counts={"children": {"total": 3}}
        )
        step = figures.generation()
        assert step > after_measure
        SessionCount.objects.filter(session=session).update(value=4)  # bulk, no signals
        assert figures.generation() > step
        step = figures.generation()
        with connection.cursor() as cursor:  # even plain SQL
            cursor.execute("UPDATE workspace_session SET note = 'x'")
        assert figures.generation() > step
        step = figures.generation()
        try:
            with transaction.atomic():
                Session.objects.filter(pk=session.pk).delete()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        assert figures.generation() == step  # a rolled-back change leaves it as it was
    with in_tenant(kit.b.tenant):
        assert figures.generation() == 0  # Bonn's counter is its own


def test_the_overview_is_cached_until_the_figures_change(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        measure = _group(kit)
        session_record(
            actor=None, measure=measure, date=dt.date(YEAR, 3, 2), counts={"children": {"total": 7}}
        )
    client = kit.a.client()
    first = client.get(f"/?jahr={YEAR}").content.decode()
    assert "<strong>7</strong>" in first
    with CaptureQueriesContext(connection) as cached:
        client.get(f"/?jahr={YEAR}")
    assert not any("SUM(" in q["sql"].upper() for q in cached.captured_queries)
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None, measure=measure, date=dt.date(YEAR, 3, 9), counts={"children": {"total": 5}}
        )
    assert "<strong>12</strong>" in client.get(f"/?jahr={YEAR}").content.decode()
    with in_tenant(kit.a.tenant):
        measure_delete(actor=None, measure=measure)
    assert "<strong>12</strong>" not in client.get(f"/?jahr={YEAR}").content.decode()


def test_a_cached_overview_never_reaches_the_other_ki(kit: Kit) -> None:
    for kt in kit:
        with in_tenant(kt.tenant):
            measure = _group(kit)
            total = 7 if kt is kit.a else 3
            session_record(
                actor=None,
                measure=measure,
                date=dt.date(YEAR, 3, 2),
                counts={"children": {"total": total}},
            )
    assert "<strong>7</strong>" in kit.a.client().get(f"/?jahr={YEAR}").content.decode()
    bonn = kit.b.client().get(f"/?jahr={YEAR}").content.decode()
    assert "<strong>3</strong>" in bonn and "<strong>7</strong>" not in bonn

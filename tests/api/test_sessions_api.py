"""Sessions with nested counts: recorded through the services, breakdowns must add up."""

from __future__ import annotations

import pytest

from kinrw.tenancy.context import in_tenant
from kinrw.workspace.models import AuditEntry, Session, SessionCount
from tests.api.conftest import records
from tests.kit import Kit

pytestmark = pytest.mark.django_db

COUNTS = {
    "children": {"total": 7, "by": {"gender": {"maennlich": 3, "weiblich": 4}}},
    "families": {"total": 5},
}


def test_session_crud_with_counts(kit: Kit, api) -> None:
    measure = records(kit.a)["measure"]
    client = api()
    counts = COUNTS
    created = client.post(
        "sessions/", {"measure": measure.pk, "date": "2026-03-03", "counts": counts}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["counts"] == counts
    pk = body["id"]
    with in_tenant(kit.a.tenant):
        assert SessionCount.objects.filter(session_id=pk).count() == 4  # 2 totals, 2 cells
        assert AuditEntry.objects.filter(object_type="workspace.session", object_id=pk).exists()

    changed = client.patch(f"sessions/{pk}/", {"counts": {"children": {"total": 9}}})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["counts"] == {"children": {"total": 9}}
    moved = client.patch(f"sessions/{pk}/", {"note": "Raum 2", "measure": 999999})
    assert moved.status_code == 200 and moved.json()["measure"] == measure.pk  # stays
    assert moved.json()["counts"] == {"children": {"total": 9}}  # not given: kept

    listed = client.get("sessions/", {"measure": measure.pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["note"] == "Raum 2"
    assert client.delete(f"sessions/{pk}/").status_code == 204
    assert client.get("sessions/").json()["count"] == 0
    with in_tenant(kit.a.tenant):
        assert Session.objects.get(pk=pk).is_deleted


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ({"children": {"total": 7, "by": {"gender": {"weiblich": 4, "maennlich": 2}}}}, "ergibt 6"),
        ({"children": {"total": 1, "by": {"gender": {"weiblich": 1, "alien": 0}}}}, "Ausprägung"),
        ({"families": {"total": 1, "by": {"gender": {"weiblich": 1}}}}, "keine Aufschlüsselung"),
        ({"kaffee": {"total": 1}}, "kein Indikator"),
        ({"children": {"total": 1.5}}, "ganze Zahl"),
        ({"children": {"total": -1}}, "negativ"),
    ],
)
def test_counts_are_checked_by_the_service(kit: Kit, api, counts: dict, words: str) -> None:
    measure = records(kit.a)["measure"]
    response = api().post(
        "sessions/", {"measure": measure.pk, "date": "2026-03-03", "counts": counts}
    )
    assert response.status_code == 400
    messages = " ".join(m for ms in response.json().values() for m in ms)
    assert words in messages, response.json()
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()


@pytest.mark.parametrize(
    "counts",
    [
        [1, 2],
        {"children": 7},
        {"children": {"by": {}}},
        {"children": {"total": "sieben"}},
        {"children": {"total": 7, "extra": 1}},
        {"children": {"total": 7, "by": {"gender": 7}}},
        {"children": {"total": True}},
        {"children": {"total": "NaN"}},
    ],
)
def test_malformed_counts_are_refused_at_the_field(kit: Kit, api, counts: object) -> None:
    measure = records(kit.a)["measure"]
    response = api().post(
        "sessions/", {"measure": measure.pk, "date": "2026-03-03", "counts": counts}
    )
    assert response.status_code == 400
    assert list(response.json()) == ["counts"], response.json()
    message = response.json()["counts"][0]
    assert "keine Zahl" in message or '{"children": {"total": 7, "by":' in message, message


def test_a_date_outside_the_measure_is_refused(kit: Kit, api) -> None:
    measure = records(kit.a)["measure"]
    response = api().post("sessions/", {"measure": measure.pk, "date": "2025-01-01"})
    assert response.status_code == 400
    assert "außerhalb der Laufzeit" in response.json()["non_field_errors"][0]


def test_sessions_of_a_deleted_measure_are_not_listed(kit: Kit, api) -> None:
    measure = records(kit.a)["measure"]
    client = api()
    assert (
        client.post("sessions/", {"measure": measure.pk, "date": "2026-03-03"}).status_code == 201
    )
    assert client.get("sessions/").json()["count"] == 1
    assert client.delete(f"measures/{measure.pk}/").status_code == 204
    assert client.get("sessions/").json()["count"] == 0
    again = client.post("sessions/", {"measure": measure.pk, "date": "2026-03-10"})
    assert again.status_code == 400 and "measure" in again.json()


def test_filters_by_date_range_and_month(kit: Kit, api) -> None:
    measure = records(kit.a)["measure"]
    client = api()
    for day in ("2026-03-03", "2026-03-10", "2026-04-07"):
        assert client.post("sessions/", {"measure": measure.pk, "date": day}).status_code == 201
    assert client.get("sessions/", {"month": 3}).json()["count"] == 2
    in_range = client.get("sessions/", {"date_after": "2026-03-05", "date_before": "2026-04-30"})
    assert [s["date"] for s in in_range.json()["results"]] == ["2026-03-10", "2026-04-07"]
    newest = client.get("sessions/", {"ordering": "-date"}).json()["results"][0]
    assert newest["date"] == "2026-04-07"
    assert client.get("sessions/", {"month": "März"}).status_code == 400

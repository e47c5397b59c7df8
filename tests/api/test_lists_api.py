"""Lists: pagination, search, ordering, and a number of queries that does not grow with rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.workspace.models import Membership
from kinrw.workspace.services import (
    agreement_create,
    contact_create,
    enrolment_create,
    gremium_create,
    measure_create,
    meeting_create,
    organisation_create,
    session_record,
)
from tests.api.conftest import START
from tests.kit import Kit, KitTenant

pytestmark = pytest.mark.django_db
HOST_LOOKUP = re.compile(r"^SET search_path|FROM \"tenancy_domain\"")
LISTS = [
    "enrolments",
    "measures",
    "sessions",
    "organisations",
    "contacts",
    "agreements",
    "gremien",
    "meetings",
    "memberships",
    "audit",
    "programmes",
    "gemeinden",
]


def _fill(kt: KitTenant, numbers: range) -> None:
    """Records of every kind, each with the relations its list shows."""
    with in_tenant(kt.tenant):
        leitung = User.objects.get(email=kt.admin_email)
        griffbereit = Programme.objects.get(code="griffbereit")
        koeln = Gemeinde.objects.get(ags="05315000")
        for i in numbers:
            user = User.objects.create_user(f"person{i}@koeln.example")  # no hashing: fast
            Membership.objects.create(user=user, role="fachkraft")
            org = organisation_create(actor=leitung, name=f"Kita {i}", kind="kita", gemeinde=koeln)
            contact_create(actor=leitung, organisation=org, name=f"Person {i}")
            agreement_create(actor=leitung, organisation=org, kind="rahmen", starts_on=START)
            measure = measure_create(
                actor=leitung,
                title=f"Gruppe {i}",
                programme=griffbereit,
                starts_on=START,
                partner=org,
                gemeinden=[koeln],
                responsible=[user, leitung],
                languages=["arabisch"],
            )
            session_record(
                actor=leitung,
                measure=measure,
                date=START + dt.timedelta(days=7),
                counts={"children": {"total": 2, "by": {"gender": {"weiblich": 2}}}},
            )
            gremium = gremium_create(actor=leitung, name=f"AK {i}", kind="netzwerk", members=[org])
            meeting_create(actor=leitung, gremium=gremium, held_on=START, participants=[org])
            enrolment_create(actor=leitung, programme=griffbereit, year=2013 + i)


def _queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{name}/", {"page_size": 100})
    assert response.status_code == 200, response.content
    # the host lookup depends on the host cache, not on the list
    return len([q for q in queries if not HOST_LOOKUP.search(q["sql"])])


def test_list_queries_do_not_grow_with_rows(kit: Kit, api) -> None:
    client = api()
    _fill(kit.a, range(1))
    few = {name: _queries(client, name) for name in LISTS}
    _fill(kit.a, range(1, 20))
    many = {name: _queries(client, name) for name in LISTS}
    counted = {name: client.get(f"{name}/").json()["count"] for name in LISTS[:9]}
    assert set(counted.values()) == {20, 22}, counted  # memberships: the kit's two and 20
    assert many == few


def test_pagination(kit: Kit, api) -> None:
    _fill(kit.a, range(3))
    client = api()
    first = client.get("organisations/", {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].endswith("/api/v1/organisations/?page=2&page_size=2")
    second = client.get("organisations/", {"page_size": 2, "page": 2}).json()
    assert [o["name"] for o in second["results"]] == ["Kita 2"] and second["next"] is None
    assert client.get("organisations/", {"page": 9}).status_code == 404
    assert client.get("audit/", {"page_size": 1000}).json()["count"] > 20
    assert len(client.get("audit/", {"page_size": 1000}).json()["results"]) <= 200


def test_max_page_size_is_200(kit: Kit, api) -> None:
    with in_tenant(kit.a.tenant):
        leitung = User.objects.get(email=kit.a.admin_email)
        for i in range(201):
            organisation_create(actor=leitung, name=f"Verein {i:03}", kind="verein")
    response = api().get("organisations/", {"page_size": 500}).json()
    assert response["count"] == 201 and len(response["results"]) == 200


def test_search_filters_and_ordering(kit: Kit, api) -> None:
    _fill(kit.a, range(3))
    client = api()
    assert client.get("measures/", {"search": "gruppe 1"}).json()["count"] == 1
    newest_first = client.get("enrolments/", {"ordering": "-year"}).json()["results"]
    assert [e["year"] for e in newest_first] == [2015, 2014, 2013]
    oldest_first = client.get("enrolments/", {"ordering": "year"}).json()["results"]
    assert [e["year"] for e in oldest_first] == [2013, 2014, 2015]
    assert client.get("measures/", {"programme": "griffbereit"}).json()["count"] == 3
    assert client.get("measures/", {"programme": "rucksack_kita"}).json()["count"] == 0
    assert client.get("measures/", {"year": 2025}).json()["count"] == 0
    assert client.get("measures/", {"year": 2026}).json()["count"] == 3
    assert client.get("measures/", {"starts_on_after": "2026-03-01"}).json()["count"] == 0
    assert client.get("measures/", {"gemeinde": "05315000"}).json()["count"] == 3
    assert client.get("measures/", {"status": "geplant"}).json()["count"] == 3
    wrong = client.get("measures/", {"status": "vielleicht"})
    assert wrong.status_code == 400 and "status" in wrong.json()
    programmes = client.get("programmes/", {"year": 2026, "code": "griffbereit"}).json()
    (griffbereit,) = programmes["results"]
    children = next(i for i in griffbereit["indicators"] if i["code"] == "children")
    gender = next(b for b in children["breakdowns"] if b["code"] == "gender")
    assert {"code": "weiblich", "label": "weiblich"} in gender["values"]

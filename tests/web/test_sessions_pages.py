"""Session pages: form with counts and breakdowns, weekly series, KI-wide list, month grid."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinrw.accounts.models import User
from kinrw.catalogue.models import Indicator, Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.figures import monthly_totals
from kinrw.workspace.models import AuditEntry, Measure, Membership, Role, Session, SessionCount
from kinrw.workspace.services import measure_create, session_record
from tests.kit import PASSWORD, Kit, KitTenant

pytestmark = pytest.mark.django_db
# griffbereit's indicators in catalogue order: n2 = Familien (by language), n3 = Kinder
# (by age band = _0_, by gender = _1_; gender cells: 0 weiblich, 1 männlich, 2 divers, …)
FAMILIES, CHILDREN = "n2", "n3"


def _measure(kt: KitTenant, title: str = "Griffbereit Porz", **extra: object) -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            programme=Programme.objects.get(code="griffbereit"),
            starts_on=dt.date(2026, 1, 5),
            **extra,
        )


def _client(kt: KitTenant, role: Role) -> Client:
    email = f"{role}-konto@{kt.tenant.slug}.example"
    with in_tenant(kt.tenant):
        user = User.objects.create_user(email, PASSWORD)
        Membership.objects.create(user=user, role=role)
        client = Client(HTTP_HOST=kt.host)
        assert client.login(username=email, password=PASSWORD)
    return client


def _session_form(**changes: str) -> dict[str, str]:
    data = {
        "date": "02.03.2026",
        "starts_at": "16:00",
        "duration_minutes": "90",
        "volunteers_present": "2",
        "note": "Thema Schlaf",
        FAMILIES: "6",
        CHILDREN: "8",
        f"{CHILDREN}_1_0": "5",
        f"{CHILDREN}_1_1": "3",
    }
    data.update(changes)
    return data


def _indicator(code: str) -> Indicator:
    return Indicator.objects.get(programme__code="griffbereit", code=code)


def test_session_form_asks_for_the_programmes_indicators_and_saves_counts(kit: Kit) -> None:
    measure = _measure(kit.a)
    client = kit.a.client()
    html = client.get(f"/massnahmen/{measure.pk}/termine/neu/").content.decode()
    assert '<label for="id_n3">Kinder</label>' in html
    assert "<legend>Kinder nach Geschlecht</legend>" in html and ">männlich</label>" in html
    response = client.post(f"/massnahmen/{measure.pk}/termine/neu/", _session_form())
    assert response.status_code == 302 and response["Location"] == f"/massnahmen/{measure.pk}/"
    with in_tenant(kit.a.tenant):
        session = Session.objects.get(measure=measure)
        assert (session.starts_at, session.duration_minutes) == (dt.time(16), 90)
        cells = {
            (c.indicator.code, c.breakdown, c.value_code): c.value
            for c in SessionCount.objects.filter(session=session).select_related("indicator")
        }
        assert cells == {
            ("families", "", ""): 6,
            ("children", "", ""): 8,
            ("children", "gender", "weiblich"): 5,
            ("children", "gender", "maennlich"): 3,
        }
        assert AuditEntry.objects.get(object_type="workspace.session").actor.email == (
            kit.a.admin_email
        )
        assert monthly_totals(indicator=_indicator("children"), year=2026) == {3: Decimal(8)}


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        (
            {f"{CHILDREN}_1_1": "4"},
            "gruppe-3-1-fehler",
            "ergeben zusammen 9, die Summe „Kinder“ ist 8",
        ),
        ({CHILDREN: ""}, "gruppe-3-1-fehler", "Bitte zuerst die Summe „Kinder“ eintragen."),
        ({"cancelled": "on"}, "id_cancelled_errors", "ausgefallener Termin"),
        ({"date": "01.01.2026"}, "id_date_errors", "außerhalb der Laufzeit"),
        ({FAMILIES: "-1"}, f"id_{FAMILIES}_errors", "größer oder gleich 0"),
        ({FAMILIES: "2,5"}, f"id_{FAMILIES}_errors", "ganze Zahl"),
    ],
)
def test_bad_session_input_is_shown_where_it_belongs_and_nothing_is_saved(
    kit: Kit, changes: dict[str, str], where: str, message: str
) -> None:
    measure = _measure(kit.a)
    response = kit.a.client().post(
        f"/massnahmen/{measure.pk}/termine/neu/", _session_form(**changes)
    )
    html = response.content.decode()
    assert response.status_code == 200
    block = re.search(rf'<ul class="errorlist" id="{where}"[^>]*>(.*?)</ul>', html, re.S)
    assert block is not None and message in block.group(1)
    assert 'value="Thema Schlaf"' in html  # nothing typed is lost
    with in_tenant(kit.a.tenant):
        assert (
            not Session.objects.exists()
            and not AuditEntry.objects.filter(object_type="workspace.session").exists()
        )


def test_a_second_session_at_the_same_time_is_refused(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session_record(actor=None, measure=measure, date=dt.date(2026, 3, 2), starts_at=dt.time(16))
    html = (
        kit.a.client()
        .post(f"/massnahmen/{measure.pk}/termine/neu/", _session_form())
        .content.decode()
    )
    assert "gibt es schon einen Termin" in html
    with in_tenant(kit.a.tenant):
        assert not SessionCount.objects.exists()


def test_edit_shows_the_counts_and_replaces_them(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 3, 2),
            counts={"children": {"total": 8, "by": {"gender": {"weiblich": 5, "maennlich": 3}}}},
        )
    client = kit.a.client()
    html = client.get(f"/termine/{session.pk}/bearbeiten/").content.decode()
    assert 'name="n3" value="8"' in html and 'name="n3_1_0" value="5"' in html
    assert "<details open>" in html  # the filled breakdown is shown open
    data = _session_form(**{CHILDREN: "9", f"{CHILDREN}_1_2": "1", FAMILIES: ""})
    assert client.post(f"/termine/{session.pk}/bearbeiten/", data).status_code == 302
    with in_tenant(kit.a.tenant):
        assert SessionCount.objects.get(session=session, breakdown="").value == 9
        assert SessionCount.objects.get(session=session, value_code="divers").value == 1
        assert Session.objects.get(pk=session.pk).note == "Thema Schlaf"
        assert AuditEntry.objects.filter(object_type="workspace.session", action="update").exists()
    detail = client.get(f"/termine/{session.pk}/").content.decode()
    assert "Geschlecht: weiblich 5, männlich 3, divers 1" in detail


def test_delete_confirms_and_soft_deletes(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(
            actor=None, measure=measure, date=dt.date(2026, 3, 2), counts={"families": {"total": 4}}
        )
    client = kit.a.client()
    page = client.get(f"/termine/{session.pk}/loeschen/").content.decode()
    assert "Seine Zahlen zählen danach nicht mehr" in page
    assert client.post(f"/termine/{session.pk}/loeschen/").status_code == 302
    with in_tenant(kit.a.tenant):
        assert Session.objects.get(pk=session.pk).is_deleted
        assert monthly_totals(indicator=_indicator("families"), year=2026) == {}
    for url in ("", "bearbeiten/", "loeschen/"):
        assert client.get(f"/termine/{session.pk}/{url}").status_code == 404


def test_weekly_series_shows_a_preview_first_then_creates(kit: Kit) -> None:
    measure = _measure(kit.a)
    url = f"/massnahmen/{measure.pk}/termine/reihe/"
    data = {
        "first": "01.03.2026",
        "last": "30.04.2026",
        "weekday": "0",
        "starts_at": "16:00",
        "duration_minutes": "90",
        "skip_public_holidays": "on",
        "skip_dates": "30.03.2026–03.04.2026",
        "schritt": "vorschau",
    }
    client = kit.a.client()
    form = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="skip_public_holidays"[^>]* checked', form)
    html = client.post(url, data).content.decode()
    assert "entfällt: Feiertag: Ostermontag" in html and "7 Termine werden angelegt" in html
    assert "entfällt: freier Tag laut Ihrer Angabe" in html
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()  # the preview creates nothing
    response = client.post(url, {**data, "schritt": "anlegen"})
    assert response.status_code == 302
    with in_tenant(kit.a.tenant):
        dates = list(Session.objects.order_by("date").values_list("date", flat=True))
        assert dt.date(2026, 4, 6) not in dates and dt.date(2026, 3, 30) not in dates
        assert len(dates) == 7 and dates[0] == dt.date(2026, 3, 2)
    bad = client.post(url, {**data, "skip_dates": "Osterferien", "last": "01.02.2026"})
    html = bad.content.decode()
    assert "„Osterferien“ ist weder ein Datum noch ein Zeitraum" in html
    assert "Der letzte Tag liegt vor dem ersten." in html


def test_the_ki_wide_list_filters_exports_and_costs_fixed_queries(kit: Kit) -> None:
    measure = _measure(kit.a, status="laufend")
    with in_tenant(kit.a.tenant):
        own = measure_create(
            actor=None,
            title="Sprachcafé",
            programme=Programme.objects.get(code="eigene_massnahme"),
            starts_on=dt.date(2026, 1, 1),
            status="geplant",
        )
        session_record(
            actor=None, measure=measure, date=dt.date(2026, 2, 2), counts={"families": {"total": 6}}
        )
        session_record(actor=None, measure=own, date=dt.date(2026, 3, 3))
    client = kit.a.client()
    html = client.get("/termine/").content.decode()
    assert "2 Einträge" in html and "Familien: 6" in html
    assert "1 Eintrag" in client.get("/termine/?monat=2026-03").content.decode()
    assert "Sprachcafé" in client.get("/termine/?programm=eigene_massnahme").content.decode()
    assert "Griffbereit Porz" not in client.get("/termine/?status=geplant").content.decode()
    csv = client.get("/termine/?export=csv").content.decode("utf-8-sig").splitlines()
    assert csv[0] == "Datum;Beginn;Maßnahme;Programm;ausgefallen;Ehrenamtliche;Erfasste Zahlen"
    with CaptureQueriesContext(connection) as one:
        client.get("/termine/")
    with in_tenant(kit.a.tenant):
        for i in range(20):
            session_record(
                actor=None,
                measure=measure,
                date=dt.date(2026, 4, 1) + dt.timedelta(days=i),
                counts={"families": {"total": 1}, "children": {"total": 2}},
            )
    client.get("/termine/")  # same warm state as before the first count
    with CaptureQueriesContext(connection) as many:
        client.get("/termine/")
    assert len(many) == len(one)
    assert "Griffbereit Porz" not in kit.b.client().get("/termine/").content.decode()


@pytest.mark.parametrize("role", [Role.LESEND, Role.VERWALTUNG])
def test_reading_roles_read_sessions_but_write_nothing(kit: Kit, role: Role) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(actor=None, measure=measure, date=dt.date(2026, 3, 2))
    client = _client(kit.a, role)
    assert client.get("/termine/").status_code == 200
    assert "/bearbeiten/" not in client.get(f"/termine/{session.pk}/").content.decode()
    grid = client.get(f"/massnahmen/{measure.pk}/monat/2026/3/").content.decode()
    assert "Mo, 02.03.2026" in grid and '<input type="text"' not in grid
    for url in (
        f"/massnahmen/{measure.pk}/termine/neu/",
        f"/massnahmen/{measure.pk}/termine/reihe/",
        f"/termine/{session.pk}/bearbeiten/",
        f"/termine/{session.pk}/loeschen/",
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, _session_form()).status_code == 403
    grid_post = client.post(f"/massnahmen/{measure.pk}/monat/2026/3/", {"zeilen": "0"})
    assert grid_post.status_code == 403
    with in_tenant(kit.a.tenant):
        assert not Session.objects.get(pk=session.pk).is_deleted


def test_fachkraft_may_record_sessions(kit: Kit) -> None:
    measure = _measure(kit.a)
    client = kit.a.client(login=False)
    with in_tenant(kit.a.tenant):
        assert client.login(username=kit.a.staff_email, password=PASSWORD)
    response = client.post(f"/massnahmen/{measure.pk}/termine/neu/", _session_form())
    assert response.status_code == 302


def test_the_other_ki_gets_404_for_sessions(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(actor=None, measure=measure, date=dt.date(2026, 3, 2))
    bonn = kit.b.client()
    for url in (
        f"/termine/{session.pk}/",
        f"/termine/{session.pk}/bearbeiten/",
        f"/termine/{session.pk}/loeschen/",
        f"/massnahmen/{measure.pk}/termine/neu/",
        f"/massnahmen/{measure.pk}/termine/reihe/",
        f"/massnahmen/{measure.pk}/monat/2026/3/",
    ):
        assert bonn.get(url).status_code == 404
        assert bonn.post(url, _session_form()).status_code == 404
    with in_tenant(kit.a.tenant):
        assert not Session.objects.get(pk=session.pk).is_deleted
        assert Session.objects.count() == 1


def _grid_post(measure: Measure, session: Session, **extra: str) -> dict[str, str]:
    return {"zeilen": "2", "r0-id": str(session.pk), "r0-ehrenamtliche": "0", **extra}


def test_month_grid_labels_every_input_by_row_and_column(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(
            actor=None, measure=measure, date=dt.date(2026, 3, 2), starts_at=dt.time(16)
        )
    html = kit.a.client().get(f"/massnahmen/{measure.pk}/monat/2026/3/").content.decode()
    assert f'<a href="/termine/{session.pk}/" id="r0-kopf">Mo, 02.03.2026, 16:00</a>' in html
    assert '<th scope="col" id="col-n3" class="num">Kinder</th>' in html
    assert 'name="r0-n3" id="r0-n3" aria-labelledby="r0-kopf col-n3"' in html
    assert 'name="r1-datum" id="r1-datum" aria-labelledby="r1-kopf col-datum"' in html
    assert 'rel="prev">Vorheriger Monat: Februar 2026' in html
    assert 'rel="next">Nächster Monat: April 2026' in html
    assert kit.a.client().get(f"/massnahmen/{measure.pk}/monat/2026/13/").status_code == 404


def test_month_grid_saves_all_rows_and_figures_follow(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(actor=None, measure=measure, date=dt.date(2026, 3, 2))
    url = f"/massnahmen/{measure.pk}/monat/2026/3/"
    data = _grid_post(measure, session, **{"r0-n2": "7", "r1-datum": "2026-03-09", "r1-n3": "4"})
    client = kit.a.client()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    with in_tenant(kit.a.tenant):
        assert monthly_totals(indicator=_indicator("families"), year=2026) == {3: Decimal(7)}
        assert monthly_totals(indicator=_indicator("children"), year=2026) == {3: Decimal(4)}
        assert AuditEntry.objects.filter(object_type="workspace.session").count() == 3
    assert "Gespeichert: 1 neue und 1 geänderte Termine." in client.get(url).content.decode()


def test_month_grid_errors_come_back_at_their_cells_and_nothing_is_saved(kit: Kit) -> None:
    measure = _measure(kit.a)
    with in_tenant(kit.a.tenant):
        session = session_record(actor=None, measure=measure, date=dt.date(2026, 3, 2))
    data = _grid_post(measure, session, **{"r0-n2": "sieben", "r1-datum": "2026-04-01"})
    html = kit.a.client().post(f"/massnahmen/{measure.pk}/monat/2026/3/", data).content.decode()
    assert "Im Monatsraster sind 2 Angaben nicht gültig" in html
    assert 'value="sieben"' in html and 'aria-invalid="true"' in html
    assert '<span class="errorlist" id="r0-n2-fehler">„sieben“ ist keine Zahl.</span>' in html
    assert '<a href="#r1-datum">Neuer Termin 1, Datum: Der 01.04.2026 liegt nicht' in html
    with in_tenant(kit.a.tenant):
        assert not SessionCount.objects.exists() and Session.objects.count() == 1


def test_month_grid_page_costs_the_same_queries_for_1_and_20_sessions(kit: Kit) -> None:
    measure = _measure(kit.a)
    url = f"/massnahmen/{measure.pk}/monat/2026/3/"
    client = kit.a.client()
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 3, 1),
            counts={"children": {"total": 2, "by": {"gender": {"weiblich": 2}}}},
        )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    with in_tenant(kit.a.tenant):
        for i in range(1, 20):
            session_record(
                actor=None,
                measure=measure,
                date=dt.date(2026, 3, 1) + dt.timedelta(days=i),
                counts={"children": {"total": 2, "by": {"gender": {"weiblich": 2}}}},
            )
    client.get(url)  # the same warm state (host lookup cached) as before the first count
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(one)
    assert html.count("aufgeschlüsselt – Summe im Terminformular ändern") == 20

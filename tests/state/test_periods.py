"""Reporting periods (issue 4, part 8): closing a year freezes its figures as submitted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from kinrw.cli.state import state
from kinrw.state.facts import Fact
from kinrw.state.models import LandRole
from kinrw.state.periods import (
    PeriodError,
    ReportingPeriod,
    SubmittedFact,
    period_close,
    revisions,
)
from kinrw.tenancy.models import Tenant
from tests.kit import Kit
from tests.state.test_dashboard import SECRET, URL, YEAR, _children, _client, _fact, _table

pytestmark = pytest.mark.django_db

REVISIONS = f"/zeitraeume/{YEAR}/"


@pytest.fixture
def facts(kit: Kit) -> Tenant:
    """As in test_dashboard: Köln 4000 + 321, Bonn 2 (secret), Düsseldorf 40."""
    from tests.state.test_dashboard import _duesseldorf

    duesseldorf = _duesseldorf()
    _fact(kit.a.tenant, 3, 4000)
    _fact(kit.a.tenant, 5, 321)
    _fact(kit.b.tenant, 3, 2)
    _fact(duesseldorf, 3, 40)
    return duesseldorf


def _ministry(kit: Kit):  # type: ignore[no-untyped-def]
    return _client(kit)


def test_closing_freezes_the_dashboard_and_counts_revisions(kit: Kit, facts: Tenant) -> None:
    client = _ministry(kit)
    confirm = client.get(f"/zeitraeume/{YEAR}/abschliessen/")
    assert confirm.status_code == 200 and "nicht rückgängig" in confirm.content.decode()
    assert client.post(f"/zeitraeume/{YEAR}/abschliessen/").status_code == 302
    period = ReportingPeriod.objects.get(year=YEAR)
    assert period.facts.count() == 4 and period.closed_by is not None

    Fact.objects.filter(tenant=facts).update(value=Decimal(50))  # later change in Düsseldorf
    _fact(facts, 7, 9)  # and a new month
    html = client.get(URL).content.decode()
    assert _table(html)["Düsseldorf"][:2] == ["Düsseldorf", "40"]  # still as submitted
    assert "Zeitraum abgeschlossen am" in html and "seitdem 2 Revisionen" in html
    assert f'href="{REVISIONS}"' in html
    (revision,) = revisions(YEAR)
    assert (revision.tenant_id, revision.changed, revision.new, revision.removed) == (
        facts.pk,
        1,
        1,
        0,
    )

    Fact.objects.filter(tenant=facts, period__month=3).delete()
    assert revisions(YEAR)[0].removed == 1


def test_an_open_year_shows_current_figures_without_notice(kit: Kit, facts: Tenant) -> None:
    period_close(actor=None, year=YEAR - 1)
    Fact.objects.filter(tenant=facts).update(value=Decimal(50))
    html = _ministry(kit).get(URL).content.decode()
    assert _table(html)["Düsseldorf"][:2] == ["Düsseldorf", "50"]
    assert "Zeitraum abgeschlossen" not in html


def test_a_year_cannot_be_closed_twice(kit: Kit, facts: Tenant) -> None:
    period_close(actor=None, year=YEAR)
    with pytest.raises(PeriodError, match="bereits abgeschlossen"):
        period_close(actor=None, year=YEAR)
    response = _ministry(kit).post(f"/zeitraeume/{YEAR}/abschliessen/")
    assert response.status_code == 400 and "bereits abgeschlossen" in response.content.decode()
    assert SubmittedFact.objects.count() == 4


@pytest.mark.parametrize(
    ("role", "bezirk"), [(LandRole.LAKI, ""), (LandRole.BEZIRKSREGIERUNG, "Köln")]
)
def test_only_the_ministry_may_close(kit: Kit, facts: Tenant, role: str, bezirk: str) -> None:
    client = _client(kit, role, bezirk)
    assert client.get(f"/zeitraeume/{YEAR}/abschliessen/").status_code == 403
    assert client.post(f"/zeitraeume/{YEAR}/abschliessen/").status_code == 403
    listing = client.get("/zeitraeume/").content.decode()
    assert "abschliessen" not in listing
    assert not ReportingPeriod.objects.exists()
    user = client.get("/zeitraeume/").wsgi_request.user
    with pytest.raises(PeriodError, match="Nur das Ministerium"):
        period_close(actor=user, year=YEAR)


def test_the_listing_offers_closing_to_the_ministry(kit: Kit, facts: Tenant) -> None:
    html = _ministry(kit).get("/zeitraeume/").content.decode()
    assert f'href="/zeitraeume/{YEAR}/abschliessen/"' in html
    assert _client(kit, LandRole.PLATTFORMBETRIEB).get("/zeitraeume/").status_code == 403


def test_bezirksregierung_sees_only_its_bezirks_revisions(kit: Kit, facts: Tenant) -> None:
    period_close(actor=None, year=YEAR)
    Fact.objects.filter(tenant=facts).update(value=Decimal(50))  # Düsseldorf
    Fact.objects.filter(tenant=kit.b.tenant).update(value=Decimal(3))  # Bonn (Bezirk Köln)
    bezirk_koeln = _client(kit, LandRole.BEZIRKSREGIERUNG, "Köln")
    koeln = bezirk_koeln.get(REVISIONS).content.decode()
    assert "Bonn" in koeln and "Düsseldorf" not in koeln
    duesseldorf = _client(kit, LandRole.BEZIRKSREGIERUNG, "Düsseldorf").get(REVISIONS)
    assert "Düsseldorf" in duesseldorf.content.decode()
    assert "Bonn</th>" not in duesseldorf.content.decode()
    assert "seitdem 1 Revision." in bezirk_koeln.get(URL).content.decode()
    whole = _client(kit, LandRole.LAKI).get(REVISIONS).content.decode()
    assert "Bonn" in whole and "Düsseldorf" in whole


def test_the_revisions_page_shows_no_values(kit: Kit, facts: Tenant) -> None:
    period_close(actor=None, year=YEAR)
    Fact.objects.filter(tenant=kit.a.tenant, period__month=3).update(value=Decimal(4001))
    Fact.objects.filter(tenant=kit.b.tenant).update(value=Decimal(1))
    html = _ministry(kit).get(REVISIONS).content.decode()
    assert "Köln" in html and "Bonn" in html and _children().label in html
    for secret in (*SECRET, "4001", "4.001"):
        assert secret not in html
    assert '<td class="num">2</td>' not in html  # Bonn's submitted 2 is nowhere


def test_an_open_year_has_no_revisions_page(kit: Kit, facts: Tenant) -> None:
    assert _ministry(kit).get(REVISIONS).status_code == 404


def test_cli_closes_a_year(kit: Kit, facts: Tenant) -> None:
    runner = CliRunner()
    done = runner.invoke(state, ["close-period", str(YEAR)])
    assert done.exit_code == 0, done.output
    assert "4 Kennzahlen" in done.output
    assert ReportingPeriod.objects.get(year=YEAR).closed_by is None
    again = runner.invoke(state, ["close-period", str(YEAR)])
    assert again.exit_code == 2 and "bereits abgeschlossen" in again.output
    future = runner.invoke(state, ["close-period", "2999"])
    assert future.exit_code == 2 and "Ungültiges Jahr" in future.output

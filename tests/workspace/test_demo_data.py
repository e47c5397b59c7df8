"""``kinrw demo-data`` and the bench generator: deterministic, proportional, consistent figures,
idempotent, ``--reset``, the other KI untouched, and the command line."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner, Result
from django.test import Client

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.demo import (
    DEMO_PASSWORD,
    DEMO_STAFF,
    DemoError,
    demo_email,
    demo_fill,
    demo_hash,
    demo_remove,
    demo_volume,
    fill_bench,
)
from kinrw.workspace.models import AuditEntry, Measure, Organisation, Session, SessionCount
from kinrw.workspace.roles import role_of
from kinrw.workspace.services import measure_create, organisation_create
from tests.kit import Kit, KitTenant
from tests.workspace.demo_helpers import check_figures, check_invariants, fingerprint, row_counts

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)
SMALL = {"years": 1, "scale": 0.3, "today": TODAY}


@pytest.fixture(scope="module")
def password_hash() -> str:
    return demo_hash()  # hashing is slow on purpose: once for the module


def _fill(kt: KitTenant, password_hash: str, **options: object) -> dict[str, int]:
    result = demo_fill(tenant=kt.tenant, password_hash=password_hash, **{**SMALL, **options})
    assert not result.skipped
    return result.made


def _picture(kt: KitTenant) -> dict[str, object]:
    with in_tenant(kt.tenant):
        return fingerprint()


def test_same_seed_gives_the_same_data_whatever_else_runs(kit: Kit, password_hash: str) -> None:
    _fill(kit.b, password_hash, seed=7)
    first = _picture(kit.b)
    assert first["measures"] and first["sessions"] and first["counts"]
    demo_remove(tenant=kit.b.tenant)
    _fill(kit.a, password_hash, seed=7)  # another KI first: Bonn draws from its own source
    _fill(kit.b, password_hash, seed=7)
    assert _picture(kit.b) == first
    assert _picture(kit.a)["organisations"] != first["organisations"]
    demo_remove(tenant=kit.b.tenant)
    _fill(kit.b, password_hash, seed=8)
    assert _picture(kit.b)["measures"] != first["measures"]


def test_volume_follows_the_population(kit: Kit, password_hash: str) -> None:
    koeln, bonn = kit.a.tenant.population, kit.b.tenant.population
    assert demo_volume(population=koeln).measures_per_year == round(koeln / 10_000)
    assert demo_volume(population=50_000).measures_per_year == 5  # small KIs: a floor
    made_a = _fill(kit.a, password_hash)
    made_b = _fill(kit.b, password_hash)
    ratio = made_a["workspace.measure"] / made_b["workspace.measure"]
    assert 0.75 * koeln / bonn < ratio < 1.25 * koeln / bonn
    assert made_a["workspace.organisation"] > 2 * made_b["workspace.organisation"]
    assert made_a["workspace.session"] > 2 * made_b["workspace.session"]


def test_generated_data_keeps_the_rules_and_its_figures_add_up(
    kit: Kit, password_hash: str
) -> None:
    made = _fill(kit.b, password_hash, years=2)
    assert made["workspace.sessioncount"] > made["workspace.session"]
    with in_tenant(kit.b.tenant):
        check_invariants(kit.b.tenant, TODAY)
        assert check_figures([TODAY.year - 1, TODAY.year]) > 20
        assert Session.objects.filter(cancelled=True).exclude(note="").exists()
        assert Session.objects.filter(date__gt=TODAY).exists()  # planned sessions, no counts
        assert Measure.objects.filter(status="abgeschlossen").exists()


def test_demo_accounts_sign_in_with_one_role_each(kit: Kit, password_hash: str) -> None:
    _fill(kit.b, password_hash)
    for local, _, role in DEMO_STAFF:
        email = demo_email(kit.b.tenant, local)
        with in_tenant(kit.b.tenant):
            assert role_of(User.objects.get(email=email)) == role
            assert Client(HTTP_HOST=kit.b.host).login(username=email, password=DEMO_PASSWORD)
        with in_tenant(kit.a.tenant):
            assert not User.objects.filter(email=email).exists()


def test_a_second_run_changes_nothing(kit: Kit, password_hash: str) -> None:
    _fill(kit.b, password_hash)
    with in_tenant(kit.b.tenant):
        before, audit = row_counts(), AuditEntry.objects.count()
    again = demo_fill(tenant=kit.b.tenant, password_hash=password_hash, seed=99, **SMALL)
    assert again.skipped and again.made == {}
    with in_tenant(kit.b.tenant):
        assert row_counts() == before and AuditEntry.objects.count() == audit


def test_reset_replaces_demo_data_and_keeps_the_staffs_own(kit: Kit, password_hash: str) -> None:
    _fill(kit.b, password_hash, seed=1)
    with in_tenant(kit.b.tenant):
        own = organisation_create(actor=None, name="Eigener Partner e. V.", kind="verein")
    result = demo_fill(
        tenant=kit.b.tenant, password_hash=password_hash, seed=2, reset=True, **SMALL
    )
    assert result.removed["workspace.measure"] > 0
    with in_tenant(kit.b.tenant):
        assert Organisation.objects.filter(pk=own.pk).exists()
        entries = AuditEntry.objects.filter(actor_label__startswith="Demodaten")
        assert sorted(entries.values_list("action", flat=True)) == ["create", "create", "delete"]
        own.delete()
    replaced = _picture(kit.b)
    demo_remove(tenant=kit.b.tenant)
    with in_tenant(kit.b.tenant):
        left = row_counts()
        assert left.pop("Membership") == 2  # the kit's own accounts
        assert set(left.values()) == {0}
        assert not User.objects.filter(email__endswith=".demo.example").exists()
    _fill(kit.b, password_hash, seed=2)
    assert _picture(kit.b) == replaced


def test_reset_refuses_when_own_records_use_demo_data(kit: Kit, password_hash: str) -> None:
    _fill(kit.b, password_hash)
    with in_tenant(kit.b.tenant):
        partner = Organisation.objects.order_by("pk").first()
        measure_create(
            actor=None,
            title="Eigene Gruppe",
            programme=Programme.objects.get(code="eigene_massnahme"),
            starts_on=TODAY,
            partner=partner,
        )
        before = row_counts()
    with pytest.raises(DemoError, match="eigene Einträge verweisen darauf"):
        demo_fill(tenant=kit.b.tenant, password_hash=password_hash, reset=True, **SMALL)
    with in_tenant(kit.b.tenant):
        assert row_counts() == before  # nothing removed


def test_fill_bench_makes_exactly_the_volume(kit: Kit) -> None:
    result = fill_bench(kit.b.tenant, measures=40, sessions=333, today=TODAY)
    assert result.made["workspace.measure"] == 40
    assert result.made["workspace.session"] == 333
    with in_tenant(kit.b.tenant):
        assert Measure.objects.count() == 40 and Session.objects.count() == 333
        assert SessionCount.objects.count() == result.made["workspace.sessioncount"]
        check_invariants(kit.b.tenant, TODAY)
        assert check_figures(list(range(TODAY.year - 4, TODAY.year + 1))) > 0
    assert demo_remove(tenant=kit.b.tenant)["workspace.sessioncount"] > 0
    with in_tenant(kit.b.tenant):
        assert SessionCount.objects.count() == Session.objects.count() == 0


# --- the command line -------------------------------------------------------------------


def _run(*args: str) -> Result:
    from kinrw.cli.demo import demo_data

    return CliRunner().invoke(demo_data, list(args), catch_exceptions=False)


def test_cli_fills_only_the_named_ki(kit: Kit) -> None:
    with in_tenant(kit.a.tenant):
        koeln = row_counts()
    result = _run("--tenant", "bonn", "--years", "1", "--scale", "0.2", "--allow-production")
    assert result.exit_code == 0, result.output
    assert "✓ bonn: " in result.output and " Maßnahmen, " in result.output
    assert DEMO_PASSWORD in result.output
    assert "Fertig: 1 KI gefüllt, 0 übersprungen, 0 fehlgeschlagen." in result.output
    with in_tenant(kit.b.tenant):
        assert Measure.objects.exists()
    with in_tenant(kit.a.tenant):
        assert row_counts() == koeln
        assert not User.objects.filter(email__endswith=".demo.example").exists()
    again = _run("--tenant", "bonn", "--allow-production")
    assert again.exit_code == 0 and "= bonn: hat schon Demodaten" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tenant", "atlantis", "--allow-production"], "Kein KI mit dem Kurznamen „atlantis“"),
        (["--tenant", "bonn"], "öffentlich bekannten Passwort"),
        (["--years", "0", "--allow-production"], "--years"),
    ],
)
def test_cli_refuses_bad_input_with_code_2(kit: Kit, args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert message in result.output + result.stderr
    with in_tenant(kit.b.tenant):
        assert not Measure.objects.exists()

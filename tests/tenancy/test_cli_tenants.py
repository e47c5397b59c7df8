"""``kinrw tenants …``: bad input, create, apply idempotence, JSON shapes, status.

Error cases and single commands run in this process inside the test's
transaction (fast, rolled back). Whole ``apply`` runs go through real
``python -m kinrw`` processes against committed data and clean up after
themselves, so other tests still see only the kit's KIs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from kinrw.accounts.models import User
from kinrw.tenancy import migration_state, registry
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.models import Domain, Kind, Regierungsbezirk, SchemaState, Status, Tenant
from tests.kit import Kit
from tests.tenancy.onboarding_helpers import (
    db_state,
    invoke,
    one_error_line,
    run_kinrw,
    schemas,
    write_registry,
)

BASE = ["olpe", "hamm", "soest"]  # KIs the kit does not use


# --- bad registry files ------------------------------------------------------------------

RegistryCase = Callable[[Path, Kit], Path]


def _domain(slug: str) -> str:
    return registry.default_domain(slug)


BAD_REGISTRIES: dict[str, tuple[RegistryCase, str]] = {
    "too few fields": (
        lambda p, k: write_registry(p, BASE, extra_lines=["unna,05978,059780000000,Unna"]),
        r"registry\.csv, Zeile 5: falsche Anzahl von Feldern",
    ),
    "too many fields": (
        lambda p, k: write_registry(
            p,
            BASE,
            extra_lines=[
                "unna,05978,059780000000,Unna,Unna,kreis,Arnsberg,DEA5C,394782,2018-12-31,zuviel"
            ],
        ),
        r"Zeile 5: falsche Anzahl von Feldern",
    ),
    "malformed AGS": (
        lambda p, k: write_registry(p, BASE, changes={1: {"ags": "5915"}}),
        r"Zeile 3: ungültiger AGS „5915“",
    ),
    "AGS outside NRW": (
        lambda p, k: write_registry(p, BASE, changes={1: {"ags": "09162"}}),
        r"Zeile 3: ungültiger AGS „09162“",
    ),
    "malformed ARS": (
        lambda p, k: write_registry(p, BASE, changes={2: {"ars": "0597400"}}),
        r"Zeile 4: ungültiger ARS „0597400“",
    ),
    "duplicate slug": (
        lambda p, k: write_registry(p, BASE, changes={2: {"slug": "olpe"}}),
        r"Zeile 4: slug „olpe“ steht schon in Zeile 2",
    ),
    "duplicate AGS": (
        lambda p, k: write_registry(p, BASE, changes={2: {"ags": "05966"}}),
        r"Zeile 4: ags „05966“ steht schon in Zeile 2",
    ),
    "duplicate domain": (
        lambda p, k: write_registry(p, BASE, settings={"soest": f'domain = "{_domain("olpe")}"'}),
        r"Zeile 4: domain „olpe\.[^“]+“ steht schon in Zeile 2",
    ),
    "bad date": (
        lambda p, k: write_registry(p, BASE, changes={0: {"population_date": "31.12.2018"}}),
        r"Zeile 2: ungültiges Datum „31\.12\.2018“",
    ),
    "impossible date": (
        lambda p, k: write_registry(p, BASE, changes={1: {"population_date": "2018-02-30"}}),
        r"Zeile 3: ungültiges Datum",
    ),
    "unknown kind": (
        lambda p, k: write_registry(p, BASE, changes={1: {"kind": "landkreis"}}),
        r"Zeile 3: unbekannte Art „landkreis“",
    ),
    "unknown Regierungsbezirk": (
        lambda p, k: write_registry(p, BASE, changes={0: {"regierungsbezirk": "Aachen"}}),
        r"Zeile 2: unbekannter Regierungsbezirk „Aachen“",
    ),
    "population not a number": (
        lambda p, k: write_registry(p, BASE, changes={0: {"population": "134.775"}}),
        r"Zeile 2: ungültige Einwohnerzahl",
    ),
    "population too large for the database": (
        lambda p, k: write_registry(p, BASE, changes={2: {"population": "99999999999"}}),
        r"Zeile 4: ungültige Einwohnerzahl „99999999999“",
    ),
    "name too long for the database": (
        lambda p, k: write_registry(p, BASE, changes={1: {"name": "Hamm" * 31}}),
        r"Zeile 3: Name zu lang",
    ),
    "official name too long for the database": (
        lambda p, k: write_registry(p, BASE, changes={1: {"official_name": "H" * 201}}),
        r"Zeile 3: amtlicher Name zu lang",
    ),
    "slug too long for a schema name": (
        lambda p, k: write_registry(p, BASE, changes={1: {"slug": "h" * 61}}),
        r"Zeile 3: Kurzname zu lang \(höchstens 60 Zeichen\)",
    ),
    "population not a decimal number": (
        lambda p, k: write_registry(p, BASE, changes={0: {"population": "1²"}}),
        r"Zeile 2: ungültige Einwohnerzahl „1²“",
    ),
    "empty name": (
        lambda p, k: write_registry(p, BASE, changes={1: {"name": "  "}}),
        r"Zeile 3: Name fehlt",
    ),
    "bad slug": (
        lambda p, k: write_registry(p, BASE, changes={1: {"slug": "Hamm"}}),
        r"Zeile 3: ungültiger Kurzname \(slug\) „Hamm“",
    ),
    "bad toml": (
        lambda p, k: write_registry(p, BASE, settings={"hamm": 'domain = "ki.hamm.de'}),
        r"settings/hamm\.toml: keine gültige TOML-Datei",
    ),
    "unknown settings key": (
        lambda p, k: write_registry(p, BASE, settings={"hamm": 'farbe = "rot"\n'}),
        r"settings/hamm\.toml: unbekannte Einstellung\(en\): farbe",
    ),
    "domain setting not a string": (
        lambda p, k: write_registry(p, BASE, settings={"hamm": "domain = 42\n"}),
        r"settings/hamm\.toml: „domain“ muss ein Text sein",
    ),
    "invalid domain in settings": (
        lambda p, k: write_registry(p, BASE, settings={"hamm": 'domain = "ki_hamm!.de"\n'}),
        r"Zeile 3: ungültiger Domainname „ki_hamm!\.de“",
    ),
    "no rows": (
        lambda p, k: write_registry(p, []),
        r"das Register enthält keine KI",
    ),
    "not UTF-8": (
        lambda p, k: _latin1(write_registry(p, ["olpe", "guetersloh"])),
        r"keine gültige UTF-8-Datei",
    ),
    "missing column": (
        lambda p, k: _drop_column(write_registry(p, BASE), "nuts3"),
        r"Zeile 1: Spalten fehlen: nuts3",
    ),
    "no registry file": (
        lambda p, k: p / "gibt-es-nicht",
        r"Registerdatei nicht gefunden",
    ),
    # conflicts with the database (the kit's KIs are there)
    "slug taken in the database": (
        lambda p, k: write_registry(p, BASE, changes={1: {"slug": "koeln"}}),
        r"Registerzeile 3: der Kurzname „koeln“ ist bereits vergeben",
    ),
    "domain taken in the database": (
        lambda p, k: write_registry(p, BASE, settings={"soest": f'domain = "{k.a.host}"'}),
        r"Registerzeile 4: die Domain „koeln\.[^“]+“ ist bereits vergeben",
    ),
    "domain update onto another KI": (
        lambda p, k: write_registry(p, ["koeln"], settings={"koeln": f'domain = "{k.b.host}"'}),
        r"Registerzeile 2: die Domain „bonn\.[^“]+“ ist bereits vergeben",
    ),
    "AGS of a KI under another slug": (
        lambda p, k: write_registry(p, ["olpe", "koeln"], changes={1: {"slug": "stadt-koeln"}}),
        r"Registerzeile 3: AGS 05315 gehört zu „koeln“, nicht „stadt-koeln“",
    ),
}


def _latin1(root: Path) -> Path:
    csv_path = root / "registry.csv"
    csv_path.write_bytes(csv_path.read_text(encoding="utf-8").encode("latin-1"))
    return root


def _drop_column(root: Path, column: str) -> Path:
    csv_path = root / "registry.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(f",{column},", ",nuts_3,")
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("case", list(BAD_REGISTRIES))
def test_bad_registry_is_refused_with_one_line_and_changes_nothing(
    kit: Kit, tmp_path: Path, case: str
) -> None:
    make, expected = BAD_REGISTRIES[case]
    path = make(tmp_path / "tenants", kit)
    before = db_state()
    for args in (["apply", str(path)], ["apply", "--dry-run", str(path)]):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        line = one_error_line(result.stderr)
        assert re.search(expected, line), line
        assert result.stdout == ""
    assert db_state() == before


def test_bad_registry_in_a_real_process(
    committed: Kit, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """The operator's view: exit code 2, one line on stderr, no traceback, nothing changed."""
    path = write_registry(tmp_path / "t", BASE, extra_lines=["unna,05978"])
    before = db_state()
    done = run_kinrw(cli_env, "tenants", "apply", str(path))
    assert done.returncode == 2, done.stderr
    line = one_error_line(done.stderr)
    assert line == f"Fehler: {path / 'registry.csv'}, Zeile 5: falsche Anzahl von Feldern."
    assert done.stdout == ""
    assert db_state() == before


# --- kinrw tenants create: bad input -----------------------------------------------------


def _create_cases(kit: Kit) -> list[tuple[list[str], str]]:
    return [
        (["--ags", "5966"], r"Ungültiger AGS „5966“: 5 oder 8 Ziffern"),
        (["--ags", "059660"], r"Ungültiger AGS „059660“"),
        (["--ags", "05x66"], r"Ungültiger AGS „05x66“"),
        (["--ags", " 05966"], r"Ungültiger AGS"),
        (["--ags", "05999"], r"Unbekannter AGS „05999“: steht nicht im Register"),
        (["--ags", "09162000"], r"Unbekannter AGS „09162000“"),
        (["--ags", "05334003"], r"Unbekannter AGS „05334003“"),
        (["--ags", "05315"], r"Für den AGS 05315 gibt es bereits ein KI"),
        (["--ags", "05314", "--slug", "bonn-neu"], r"Für den AGS 05314 gibt es bereits ein KI"),
        (["--ags", "05966", "--slug", "koeln"], r"Der Kurzname „koeln“ ist bereits vergeben"),
        (["--ags", "05966", "--slug", "Kreis Olpe"], r"Ungültiger Kurzname „Kreis Olpe“"),
        (["--ags", "05966", "--slug", "olpe-"], r"Ungültiger Kurzname „olpe-“"),
        (["--ags", "05966", "--slug", "o" * 61], r"Kurzname „o+“ ist zu lang"),
        (
            ["--ags", "05966", "--domain", kit.a.host],
            rf"Die Domain „{re.escape(kit.a.host)}“ ist bereits vergeben",
        ),
        (
            ["--ags", "05966", "--domain", kit.b.host.upper()],
            rf"Die Domain „{re.escape(kit.b.host)}“ ist bereits vergeben",
        ),
        (
            ["--ags", "05966", "--slug", "bonn", "--domain", "ki-olpe.localhost"],
            r"Der Kurzname „bonn“ ist bereits vergeben",
        ),
        (["--ags", "05966", "--domain", "ki_olpe.localhost"], r"Ungültiger Domainname"),
        (["--ags", "05966", "--domain", "-olpe.localhost"], r"Ungültiger Domainname"),
        (["--ags", "05966", "--domain", "olpe..localhost"], r"Ungültiger Domainname"),
        (["--ags", "05966", "--domain", "olpe.localhost/x"], r"Ungültiger Domainname"),
        (["--ags", "05966", "--domain", "a" * 64 + ".localhost"], r"Ungültiger Domainname"),
        (["--ags", "05966", "--domain", ""], r"Ungültiger Domainname"),
        (["--ags", "05966", "--admin-email", "keine-adresse"], r"Ungültige E-Mail-Adresse"),
    ]


def test_create_refuses_bad_input_with_one_line_and_changes_nothing(kit: Kit) -> None:
    before = db_state()
    for args, expected in _create_cases(kit):
        result = invoke("create", *args)
        assert result.exit_code == 2, (args, result.output)
        line = one_error_line(result.stderr)
        assert re.search(expected, line), (args, line)
        assert "Angelegt" not in result.stdout
        assert db_state() == before, args


def test_create_with_a_broken_registry_names_the_line(kit: Kit, tmp_path: Path) -> None:
    path = write_registry(tmp_path / "t", BASE, changes={2: {"kind": "gemeinde"}})
    before = db_state()
    result = invoke("create", "--ags", "05966", "--registry", str(path))
    assert result.exit_code == 2
    assert "Zeile 4: unbekannte Art „gemeinde“" in one_error_line(result.stderr)
    assert db_state() == before


def test_create_error_in_a_real_process(committed: Kit, cli_env: dict[str, str]) -> None:
    before = db_state()
    done = run_kinrw(cli_env, "tenants", "create", "--ags", "05999")
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (
        "Fehler: Unbekannter AGS „05999“: steht nicht im Register der 54 KI."
    )
    done = run_kinrw(cli_env, "tenants", "create", "--ags", "05315")
    assert done.returncode == 2
    assert "bereits ein KI" in one_error_line(done.stderr)
    assert db_state() == before


def test_create_losing_a_race_still_reports_one_line(
    kit: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process took the slug between the checks and the insert: the unique
    constraint decides, and the operator still gets one line and no partial KI."""
    from kinrw.tenancy import onboarding

    monkeypatch.setattr(onboarding, "validate_new", lambda entry, *, domain: None)
    before = db_state()
    for args, culprit in (
        (["--slug", "koeln"], "ki_koeln"),
        (["--domain", kit.b.host], kit.b.host),
    ):
        result = invoke("create", "--ags", "05966", *args)
        assert result.exit_code == 2, result.output
        line = one_error_line(result.stderr)
        assert "konnte nicht angelegt werden: " in line and culprit in line, line
        assert db_state() == before


# --- kinrw tenants create: success and the one-time set-password link ----------------------


def test_create_with_slug_domain_and_admin_prints_a_one_time_link(kit: Kit) -> None:
    domain = f"ki-olpe.{settings.KINRW_BASE_DOMAIN}"
    result = invoke(
        "create",
        "--ags",
        "05966",
        "--slug",
        "kreis-olpe",
        "--domain",
        domain.upper(),
        "--admin-email",
        "Leitung@Kreis-Olpe.example",
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert f"Angelegt: kreis-olpe (ki_kreis_olpe, {domain})" in result.stdout
    links = re.findall(r"^Passwort-Link: (\S+)$", result.stdout, flags=re.MULTILINE)
    assert len(links) == 1
    link = urlsplit(links[0])
    assert link.hostname == domain
    assert link.path.startswith("/konto/passwort-setzen/")

    tenant = Tenant.objects.get(ags="05966")
    entry = registry.find(registry.load(), "05966")
    assert entry is not None
    assert (tenant.slug, tenant.schema_name, tenant.status) == (
        "kreis-olpe",
        "ki_kreis_olpe",
        Status.ACTIVE,
    )
    assert (tenant.name, tenant.ars, tenant.kind, tenant.population) == (
        entry.name,
        entry.ars,
        entry.kind,
        entry.population,
    )
    assert list(Domain.objects.filter(tenant=tenant).values_list("domain", "is_primary")) == [
        (domain, True)
    ]
    assert migration_state.schema_states(["ki_kreis_olpe"])["ki_kreis_olpe"][1] == (
        migration_state.target_state()
    )
    with in_tenant(tenant):
        admin = User.objects.get()
        assert admin.email == "leitung@kreis-olpe.example"
        assert admin.is_superuser and not admin.has_usable_password()
    for other in kit:  # the admin exists only in the new KI's schema
        with in_tenant(other.tenant):
            assert not User.objects.filter(email=admin.email).exists()
    with in_public():
        assert not User.objects.filter(email=admin.email).exists()

    secure = link.scheme == "https"
    # the link means nothing on another KI's host
    wrong = Client(HTTP_HOST=kit.a.host).get(link.path, follow=True, secure=secure)
    assert "ungültig oder wurde schon benutzt" in wrong.content.decode()

    client = Client(HTTP_HOST=link.netloc)
    form = client.get(link.path, follow=True, secure=secure)
    assert form.status_code == 200
    body = form.content.decode()
    assert "Passwort setzen" in body and 'name="new_password1"' in body
    form_path = form.redirect_chain[-1][0] if form.redirect_chain else link.path
    new_password = "Olpe-Leitung-2026!"
    saved = client.post(
        form_path,
        {"new_password1": new_password, "new_password2": new_password},
        secure=secure,
    )
    assert saved.status_code == 302, saved.content.decode()
    assert saved["Location"].endswith("/konto/anmelden/")
    with in_tenant(tenant):
        admin.refresh_from_db()
        assert admin.check_password(new_password)

    # second use: invalid, no form, the password stays
    again = Client(HTTP_HOST=link.netloc).get(link.path, follow=True, secure=secure)
    assert again.status_code == 200
    assert "ungültig oder wurde schon benutzt" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()
    replay = Client(HTTP_HOST=link.netloc).post(
        link.path,
        {"new_password1": "Anderes-2026-xyz!", "new_password2": "Anderes-2026-xyz!"},
        secure=secure,
    )
    assert replay.status_code == 200
    with in_tenant(tenant):
        admin.refresh_from_db()
        assert admin.check_password(new_password)

    # and the admin can sign in on the KI's host
    login = Client(HTTP_HOST=link.netloc).post(
        "/konto/anmelden/",
        {"username": "leitung@kreis-olpe.example", "password": new_password},
        secure=secure,
    )
    assert login.status_code == 302


def test_create_with_registry_defaults(kit: Kit) -> None:
    result = invoke("create", "--ags", "05334002")
    assert result.exit_code == 0, result.output
    tenant = Tenant.objects.get(slug="aachen")
    assert tenant.ags == "05334002" and tenant.kind == Kind.REGIONSANGEHOERIGE_STADT
    assert f"Angelegt: aachen (ki_aachen, {_domain('aachen')})" in result.stdout
    assert "Passwort-Link" not in result.stdout
    assert "ki_aachen" in schemas()
    assert SchemaState.objects.get(schema_name="ki_aachen").state == (
        migration_state.target_state()
    )
    # the same AGS a second time: refused, nothing changes
    before = db_state()
    again = invoke("create", "--ags", "05334002", "--slug", "aachen-zwei")
    assert again.exit_code == 2
    assert "Für den AGS 05334002 gibt es bereits ein KI" in one_error_line(again.stderr)
    assert db_state() == before


# --- kinrw tenants apply: idempotence, dry run, updates, never deletes ---------------------


def _apply(env: dict[str, str], path: Path, *extra: str) -> str:
    done = run_kinrw(env, "tenants", "apply", *extra, str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == "", done.stderr
    return done.stdout


def test_apply_creates_then_does_nothing_updates_and_never_deletes(
    committed: Kit, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_registry(tmp_path / "tenants", ["koeln", "olpe", "aachen"])
    start = db_state()

    # --dry-run: the plan, nothing else
    out = _apply(cli_env, path, "--dry-run")
    assert f"+ anlegen      olpe (AGS 05966, {_domain('olpe')})" in out
    assert f"+ anlegen      aachen (AGS 05334002, {_domain('aachen')})" in out
    assert "! nicht im Register (bleibt unverändert): bonn" in out
    assert "Plan: 2 anlegen, 0 aktualisieren, 1 unverändert." in out
    assert out.rstrip().endswith("Probelauf: nichts geändert.")
    assert db_state() == start

    # first run: creates the missing KIs, with their admins' links
    out = _apply(cli_env, path, "--admin-email", "leitung@ki.example")
    assert "Fertig: 2 angelegt, 0 aktualisiert, 1 unverändert." in out
    assert len(re.findall(r"^Passwort-Link für (olpe|aachen): http\S+$", out, re.M)) == 2
    entries = {e.slug: e for e in registry.load(path)}
    target = migration_state.target_state()
    for slug in ("olpe", "aachen"):
        tenant = Tenant.objects.get(slug=slug)
        entry = entries[slug]
        for field in ("ags", "ars", "nuts3", "name", "official_name", "kind", "population"):
            assert getattr(tenant, field) == getattr(entry, field), (slug, field)
        assert tenant.population_date == entry.population_date
        assert tenant.status == Status.ACTIVE
        assert [d.domain for d in tenant.domains.all()] == [_domain(slug)]
        assert migration_state.schema_states([tenant.schema_name])[tenant.schema_name][1] == target
        assert SchemaState.objects.get(schema_name=tenant.schema_name).state == target
        with in_tenant(tenant):
            assert User.objects.filter(email="leitung@ki.example", is_superuser=True).exists()
    first = db_state()
    assert {t[0] for t in first["tenants"]} == {t[0] for t in start["tenants"]} | {
        "olpe",
        "aachen",
    }

    # second run: nothing to do, nothing written (not even updated_at)
    out = _apply(cli_env, path)
    assert "Nichts zu tun: 3 KI entsprechen dem Register." in out
    assert "Plan: 0 anlegen, 0 aktualisieren, 3 unverändert." in out
    assert db_state() == first
    out = _apply(cli_env, path, "--dry-run")
    assert "Plan: 0 anlegen, 0 aktualisieren, 3 unverändert." in out
    assert db_state() == first

    # a changed name and a domain of its own: updated on the next run, in place
    olpe = Tenant.objects.get(slug="olpe")
    own_domain = f"ki.kreis-olpe.{settings.KINRW_BASE_DOMAIN}"
    changed = write_registry(
        tmp_path / "changed",
        ["koeln", "olpe", "aachen"],
        changes={1: {"name": "Kreis Olpe", "population": "134000"}},
        settings={"olpe": f'domain = "{own_domain}"\n'},
    )
    out = _apply(cli_env, changed, "--dry-run")
    assert "~ aktualisieren olpe: " in out and "name: Olpe → Kreis Olpe" in out
    assert f"domain: {_domain('olpe')} → {own_domain}" in out
    assert Tenant.objects.get(slug="olpe").name == "Olpe"
    out = _apply(cli_env, changed)
    assert "Fertig: 0 angelegt, 1 aktualisiert, 2 unverändert." in out
    updated = Tenant.objects.get(slug="olpe")
    assert (updated.pk, updated.schema_name) == (olpe.pk, olpe.schema_name)
    assert (updated.name, updated.population) == ("Kreis Olpe", 134000)
    assert list(Domain.objects.filter(tenant=updated).values_list("domain", "is_primary")) == [
        (own_domain, True)
    ]
    assert "Nichts zu tun" in _apply(cli_env, changed)

    # KIs missing from the registry are reported, never deleted
    only_olpe = write_registry(
        tmp_path / "only-olpe",
        ["olpe"],
        changes={0: {"name": "Kreis Olpe", "population": "134000"}},
        settings={"olpe": f'domain = "{own_domain}"\n'},
    )
    before = db_state()
    out = _apply(cli_env, only_olpe)
    for slug in ("aachen", "bonn", "koeln"):
        assert f"! nicht im Register (bleibt unverändert): {slug}" in out
    assert "Nichts zu tun: 1 KI entsprechen dem Register." in out
    assert db_state() == before
    assert {"ki_aachen", "ki_olpe", "ki_koeln", "ki_bonn"} <= set(schemas())


# --- list / show --json ---------------------------------------------------------------------

LIST_KEYS: dict[str, type] = {
    "slug": str,
    "ags": str,
    "ars": str,
    "nuts3": str,
    "name": str,
    "official_name": str,
    "kind": str,
    "regierungsbezirk": str,
    "population": int,
    "population_date": str,
    "status": str,
    "domain": str,
    "schema": str,
    "created_at": str,
    "updated_at": str,
}


def _check_tenant_json(obj: dict[str, Any]) -> None:
    for key, kind in LIST_KEYS.items():
        assert key in obj, key
        assert type(obj[key]) is kind, (key, obj[key])
    assert obj["kind"] in Kind.values
    assert obj["regierungsbezirk"] in Regierungsbezirk.values
    assert obj["status"] in Status.values
    assert registry.AGS_RE.match(obj["ags"]) and registry.ARS_RE.match(obj["ars"])
    assert obj["schema"] == registry.schema_name_for(obj["slug"])
    dt.date.fromisoformat(obj["population_date"])
    dt.datetime.fromisoformat(obj["created_at"])


def test_list_json_in_a_real_process(committed: Kit, cli_env: dict[str, str]) -> None:
    done = run_kinrw(cli_env, "tenants", "list", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)  # stdout is pure JSON
    assert isinstance(data, list)
    assert all(isinstance(obj, dict) for obj in data)
    for obj in data:
        _check_tenant_json(obj)
    by_slug = {obj["slug"]: obj for obj in data}
    assert {"koeln", "bonn"} <= set(by_slug)
    assert len(by_slug) == Tenant.objects.count()
    koeln = by_slug["koeln"]
    assert koeln["ags"] == "05315" and koeln["ars"] == "053150000000"
    assert koeln["name"] == "Köln"  # UTF-8, not escaped away
    assert koeln["kind"] == "kreisfreie_stadt" and koeln["regierungsbezirk"] == "Köln"
    assert koeln["domain"] == committed.a.host
    assert koeln["schema"] == "ki_koeln" and koeln["status"] == "active"


def test_list_json_filters_by_status(kit: Kit) -> None:
    assert invoke("suspend", "bonn").exit_code == 0
    result = invoke("list", "--json", "--status", "suspended")
    assert result.exit_code == 0
    assert [obj["slug"] for obj in json.loads(result.stdout)] == ["bonn"]
    everything = json.loads(invoke("list", "--json").stdout)
    assert [obj["slug"] for obj in everything] == sorted(obj["slug"] for obj in everything)


def test_list_as_table(kit: Kit) -> None:
    result = invoke("list")
    assert result.exit_code == 0
    assert "koeln" in result.stdout and "05315" in result.stdout and "Köln" in result.stdout


def test_show_json(kit: Kit) -> None:
    result = invoke("show", "koeln", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    _check_tenant_json(data)
    assert data["slug"] == "koeln" and data["domain"] == kit.a.host
    assert data["domains"] == [kit.a.host]
    migration = data["migration"]
    assert isinstance(migration, dict)
    assert migration["state"] == migration_state.target_state()
    assert isinstance(migration["applied"], int) and migration["applied"] > 0
    assert migration["error"] is None


def test_show_as_text(kit: Kit) -> None:
    result = invoke("show", "bonn")
    assert result.exit_code == 0
    assert re.search(r"^\s+slug: bonn$", result.stdout, re.M)


@pytest.mark.parametrize(
    "args",
    [["show", "x-gibt-es-nicht"], ["show", "x-gibt-es-nicht", "--json"]]
    + [[command, "x-gibt-es-nicht"] for command in ("suspend", "resume", "archive")],
)
def test_unknown_slug_fails_with_one_line(kit: Kit, args: list[str]) -> None:
    before = db_state()
    result = invoke(*args)
    assert result.exit_code == 2
    assert one_error_line(result.stderr) == (
        "Fehler: Kein KI mit dem Kurznamen „x-gibt-es-nicht“ (kinrw tenants list zeigt alle)."
    )
    assert result.stdout == ""
    assert db_state() == before


# --- suspend / resume / archive ---------------------------------------------------------------


def _status(slug: str) -> str:
    return str(Tenant.objects.get(slug=slug).status)


def test_suspend_resume_archive(kit: Kit) -> None:
    host = kit.a.host
    page = "/konto/anmelden/"
    assert Client(HTTP_HOST=host).get(page).status_code == 200

    result = invoke("suspend", "koeln")
    assert (result.exit_code, result.stdout.strip()) == (0, "KI koeln gesperrt.")
    assert _status("koeln") == Status.SUSPENDED
    assert Client(HTTP_HOST=host).get(page).status_code == 503
    assert Client(HTTP_HOST=kit.b.host).get(page).status_code == 200

    again = invoke("suspend", "koeln")
    assert (again.exit_code, again.stdout.strip()) == (0, "KI koeln war bereits gesperrt.")

    result = invoke("resume", "koeln")
    assert (result.exit_code, result.stdout.strip()) == (0, "KI koeln entsperrt.")
    assert _status("koeln") == Status.ACTIVE
    assert Client(HTTP_HOST=host).get(page).status_code == 200
    assert invoke("resume", "koeln").stdout.strip() == "KI koeln war bereits entsperrt."

    result = invoke("archive", "koeln")
    assert (result.exit_code, result.stdout.strip()) == (0, "KI koeln archiviert.")
    assert _status("koeln") == Status.ARCHIVED
    assert Client(HTTP_HOST=host).get(page).status_code == 404

    # an archived KI cannot come back, nor be suspended
    before = db_state()
    for command, label in (("resume", "aktiv"), ("suspend", "gesperrt")):
        result = invoke(command, "koeln")
        assert result.exit_code == 2
        line = one_error_line(result.stderr)
        assert line == f"Fehler: KI „koeln“ ist archiviert und kann nicht {label} werden."
        assert result.stdout == ""
        assert _status("koeln") == Status.ARCHIVED
    assert db_state() == before
    assert Client(HTTP_HOST=host).get(page).status_code == 404


def test_archive_a_suspended_ki(kit: Kit) -> None:
    assert invoke("suspend", "bonn").exit_code == 0
    assert invoke("archive", "bonn").exit_code == 0
    assert _status("bonn") == Status.ARCHIVED
    assert invoke("archive", "bonn").stdout.strip() == "KI bonn war bereits archiviert."


def test_status_change_in_a_real_process_reaches_the_database(
    committed: Kit, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_registry(tmp_path / "t", ["olpe"])
    _apply(cli_env, path)
    done = run_kinrw(cli_env, "tenants", "suspend", "olpe")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "KI olpe gesperrt.", "")
    assert _status("olpe") == Status.SUSPENDED
    done = run_kinrw(cli_env, "tenants", "archive", "olpe")
    assert done.returncode == 0
    done = run_kinrw(cli_env, "tenants", "resume", "olpe")
    assert done.returncode == 2
    assert one_error_line(done.stderr).endswith("ist archiviert und kann nicht aktiv werden.")
    assert _status("olpe") == Status.ARCHIVED


def test_unmigrated_database_gets_one_line_and_code_1(cli_env: dict[str, str]) -> None:
    """Before `kinrw migrate` every command that needs the registry says so."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    name = "kinrw_unmigrated_test"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        env = dict(cli_env)
        host = server["host"]
        env["DATABASE_URL"] = (
            f"postgres://{server['user']}@/{name}?host={host}&port={server['port']}"
            if str(host).startswith("/")
            else f"postgres://{server['user']}@{host}:{server['port']}/{name}"
        )
        for args in (("tenants", "list"), ("tenants", "apply", "--dry-run")):
            done = run_kinrw(env, *args)
            assert done.returncode == 1
            assert one_error_line(done.stderr).endswith("bitte zuerst `kinrw migrate` ausführen.")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")

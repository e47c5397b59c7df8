"""Atomic onboarding: a KI is fully there or not at all, also when the process is killed.

The kill tests run ``kinrw tenants apply`` in a real process that SIGKILLs itself
inside the onboarding transaction (``KINRW_FAULT``, see ``onboarding._fault``);
they need committed data and clean up after themselves.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from kinrw.tenancy import migration_state, onboarding, registry, template
from kinrw.tenancy.context import use_public_schema
from kinrw.tenancy.models import Domain, SchemaState, Tenant
from tests.kit import Kit
from tests.tenancy.onboarding_helpers import (
    REPO,
    db_state,
    run_kinrw,
    schemas,
    write_registry,
)

SLUGS = ["olpe", "aachen"]  # aachen: 8-digit AGS; both unused by the kit


def _assert_fully_there(slug: str) -> None:
    tenant = Tenant.objects.get(slug=slug)
    assert list(Domain.objects.filter(tenant=tenant).values_list("domain", "is_primary")) == [
        (registry.default_domain(slug), True)
    ]
    schema = registry.schema_name_for(slug)
    assert tenant.schema_name == schema
    target = migration_state.target_state()
    assert migration_state.schema_states([schema])[schema] == (
        migration_state.target_count(),
        target,
    )
    assert SchemaState.objects.get(schema_name=schema).state == target


def _assert_not_there(slug: str) -> None:
    schema = registry.schema_name_for(slug)
    assert not Tenant.objects.filter(slug=slug).exists()
    assert not Domain.objects.filter(domain=registry.default_domain(slug)).exists()
    assert schema not in schemas()
    assert not SchemaState.objects.filter(schema_name=schema).exists()


def _pending_schemas() -> list[str]:
    return [s for s in schemas() if s.startswith(onboarding.PENDING_PREFIX)]


def _make_pending_schema(name: str) -> None:
    """What a killed migrations-fallback run leaves: a half-migrated pending schema."""
    template.create_empty_schema(name)
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE "{name}".django_migrations '
            "(id bigserial PRIMARY KEY, app text, name text, applied timestamptz)"
        )
        cursor.execute(
            f'INSERT INTO "{name}".django_migrations (app, name, applied) '
            "VALUES ('contenttypes', '0001_initial', now())"
        )


def test_killed_onboarding_leaves_nothing_and_a_rerun_creates_everything(
    committed: Kit, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_registry(tmp_path / "tenants", ["koeln", *SLUGS])
    before = db_state()

    killed = run_kinrw(
        {**cli_env, "KINRW_FAULT": "onboarding.after_schema"},
        "tenants",
        "apply",
        "--admin-email",
        "leitung@ki.example",
        str(path),
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert "Fertig" not in killed.stdout

    # no partial KI: no tenant row, no domain, no schema, no state row, no pending schema
    for slug in SLUGS:
        _assert_not_there(slug)
    assert _pending_schemas() == []
    assert db_state() == before

    # the same fault again behaves the same (nothing left in the way)
    again = run_kinrw(
        {**cli_env, "KINRW_FAULT": "onboarding.after_schema"}, "tenants", "apply", str(path)
    )
    assert again.returncode == -signal.SIGKILL
    assert db_state() == before

    done = run_kinrw(cli_env, "tenants", "apply", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Fertig: 2 angelegt, 0 aktualisiert, 1 unverändert." in done.stdout
    for slug in SLUGS:
        _assert_fully_there(slug)
    done = run_kinrw(cli_env, "tenants", "apply", str(path))
    assert "Nichts zu tun: 3 KI entsprechen dem Register." in done.stdout


@pytest.mark.parametrize("with_work", [False, True], ids=["nothing-to-do", "creating"])
def test_apply_repairs_a_leftover_pending_schema(
    committed: Kit, cli_env: dict[str, str], tmp_path: Path, with_work: bool
) -> None:
    pending = onboarding.PENDING_PREFIX + "olpe"
    _make_pending_schema(pending)
    path = write_registry(tmp_path / "tenants", ["koeln", "olpe"] if with_work else ["koeln"])

    # a dry run changes nothing, not even the leftover
    dry = run_kinrw(cli_env, "tenants", "apply", "--dry-run", str(path))
    assert dry.returncode == 0, dry.stderr
    assert _pending_schemas() == [pending]

    done = run_kinrw(cli_env, "tenants", "apply", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Reste eines abgebrochenen Anlegens entfernt: Schema {pending}" in done.stdout
    assert _pending_schemas() == []
    if with_work:
        assert "Fertig: 1 angelegt, 0 aktualisiert, 1 unverändert." in done.stdout
        _assert_fully_there("olpe")
    else:
        assert "Nichts zu tun: 1 KI entsprechen dem Register." in done.stdout
        _assert_not_there("olpe")

    rerun = run_kinrw(cli_env, "tenants", "apply", str(path))
    assert "Reste" not in rerun.stdout
    assert "Nichts zu tun" in rerun.stdout


def test_repair_waits_for_a_running_onboarding(
    committed: Kit, cli_env: dict[str, str], tmp_path: Path
) -> None:
    """A pending schema belongs to a running onboarding while it holds the onboarding
    lock: a concurrent apply must not drop it from under it, only after it ended."""
    pending = onboarding.PENDING_PREFIX + "hamm"
    _make_pending_schema(pending)
    path = write_registry(tmp_path / "tenants", ["koeln"])
    settings_dict = connection.settings_dict
    other = psycopg.connect(
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [onboarding.ONBOARDING_LOCK])
        proc = subprocess.Popen(
            [sys.executable, "-m", "kinrw", "tenants", "apply", str(path)],
            env=cli_env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            assert proc.poll() is None, proc.communicate()
            assert _pending_schemas() == [pending]
        finally:
            other.close()  # the "running onboarding" ends
        out, err = proc.communicate(timeout=60)
    finally:
        if not other.closed:
            other.close()
    assert proc.returncode == 0, out + err
    assert f"Reste eines abgebrochenen Anlegens entfernt: Schema {pending}" in out
    assert _pending_schemas() == []


class _Killed(Exception):
    """Stands in for SIGKILL inside this process (the transaction is abandoned)."""


@pytest.mark.django_db
def test_migrations_fallback_is_atomic_and_leaves_only_a_pending_schema(
    kit: Kit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a current template snapshot a KI is migrated under a pending name first.

    Killed inside the registering transaction, only that pending schema remains
    (no tenant row, domain or ``ki_`` schema); repair() drops it, and a rerun
    creates the KI by migrations.
    """
    entry = registry.find(registry.load(), "05966")
    assert entry is not None
    monkeypatch.setattr(template, "current_snapshot", lambda: None)

    def fault(point: str) -> None:
        if point == "onboarding.after_schema":
            raise _Killed(point)

    monkeypatch.setattr(onboarding, "_fault", fault)
    with pytest.raises(_Killed):
        onboarding.tenant_create(entry=entry)
    use_public_schema()
    with connection.cursor() as cursor:
        # In production the pending schema's migrations are committed before the
        # registering transaction; inside this test's transaction their deferred
        # foreign-key checks must run now, or PostgreSQL refuses to drop the tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _assert_not_there("olpe")
    assert _pending_schemas() == ["kinrw_pending_olpe"]
    pending_state = migration_state.schema_states(["kinrw_pending_olpe"])["kinrw_pending_olpe"]
    assert pending_state[1] == migration_state.target_state()  # migrated, then abandoned

    assert onboarding.repair() == [
        "Reste eines abgebrochenen Anlegens entfernt: Schema kinrw_pending_olpe"
    ]
    assert _pending_schemas() == []
    assert onboarding.repair() == []

    monkeypatch.setattr(onboarding, "_fault", lambda point: None)
    created = onboarding.tenant_create(entry=entry)
    assert created.method == "migrations"
    _assert_fully_there("olpe")
    assert _pending_schemas() == []


@pytest.mark.django_db
def test_template_creation_is_one_transaction(kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    """From the template, a failure after the schema leaves no schema, row or domain."""
    entry = registry.find(registry.load(), "05334002")
    assert entry is not None
    before = db_state()

    def fault(point: str) -> None:
        raise _Killed(point)

    monkeypatch.setattr(onboarding, "_fault", fault)
    with pytest.raises(_Killed):
        onboarding.tenant_create(entry=entry)
    use_public_schema()
    _assert_not_there("aachen")
    assert _pending_schemas() == []
    assert db_state() == before

    monkeypatch.setattr(onboarding, "_fault", lambda point: None)
    created = onboarding.tenant_create(entry=entry)
    assert created.method == "template"
    _assert_fully_there("aachen")

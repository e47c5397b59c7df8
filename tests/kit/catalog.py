"""What a schema looks like in PostgreSQL's catalog, comparable between schemas.

:func:`describe` reads one schema's structure (tables, columns, constraints,
indexes, sequences and who owns them, triggers, views, functions, types,
policies, comments, grants) plus its migration records and the rows Django's
``post_migrate`` writes, with the schema's own name replaced by ``<schema>``.
:func:`assert_same_structure` compares two descriptions and fails with a
unified diff of the differing entries.

Used by the clone ≡ migrations test; later issues can use it for any "these
two schemas must be the same" check.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from django.db import connection

from kinrw.tenancy.context import in_public

PLACEHOLDER = "<schema>"

Description = dict[str, dict[str, Any]]

_NS = "(SELECT oid FROM pg_namespace WHERE nspname = %(schema)s)"

# Each query returns (key..., value...) rows; the first ``key`` columns form the key.
_QUERIES: dict[str, tuple[int, str]] = {
    "relations": (
        1,
        f"""
        SELECT c.relname, c.relkind, c.relpersistence, coalesce(c.reloptions, '{{}}'),
               c.relrowsecurity, c.relforcerowsecurity, c.relreplident,
               coalesce(c.relacl::text, '')
        FROM pg_class c
        WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
        """,
    ),
    "columns": (
        2,
        f"""
        SELECT c.relname, a.attname,
               row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS position,
               format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
               a.attstorage, a.attcompression, a.attstattarget, a.attndims,
               coalesce(a.attoptions, '{{}}'), coalesce(a.attacl::text, ''),
               CASE WHEN c.relkind IN ('r', 'p') THEN pg_get_serial_sequence(
                   format('%%I.%%I', %(schema)s, c.relname), a.attname) END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE c.relnamespace = {_NS} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
          AND a.attnum > 0 AND NOT a.attisdropped
        """,
    ),
    "constraints": (
        2,
        f"""
        SELECT coalesce(c.relname, format_type(con.contypid, NULL), ''), con.conname,
               con.contype, pg_get_constraintdef(con.oid, true),
               con.condeferrable, con.condeferred, con.convalidated, con.connoinherit
        FROM pg_constraint con
        LEFT JOIN pg_class c ON c.oid = con.conrelid
        WHERE con.connamespace = {_NS}
        """,
    ),
    "indexes": (
        2,
        f"""
        SELECT t.relname, i.relname, pg_get_indexdef(i.oid), ix.indisunique, ix.indisprimary,
               ix.indisexclusion, ix.indimmediate, ix.indisclustered, ix.indisvalid,
               ix.indisreplident, coalesce(i.reloptions, '{{}}')
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_class t ON t.oid = ix.indrelid
        WHERE t.relnamespace = {_NS}
        """,
    ),
    "sequences": (
        1,
        f"""
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
               s.seqmin, s.seqmax, s.seqcache, s.seqcycle
        FROM pg_sequence s
        JOIN pg_class c ON c.oid = s.seqrelid
        WHERE c.relnamespace = {_NS}
        """,
    ),
    # (A sequence's position is data, not structure: see sequence_positions().)
    # Who owns a sequence: 'a' = OWNED BY (serial), 'i' = identity column.
    "sequence_owners": (
        1,
        f"""
        SELECT s.relname, d.deptype, t.relname, a.attname
        FROM pg_depend d
        JOIN pg_class s ON d.classid = 'pg_class'::regclass AND s.oid = d.objid
        JOIN pg_class t ON d.refclassid = 'pg_class'::regclass AND t.oid = d.refobjid
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE s.relkind = 'S' AND s.relnamespace = {_NS} AND d.deptype IN ('a', 'i')
        """,
    ),
    "triggers": (
        2,
        f"""
        SELECT c.relname, tg.tgname, pg_get_triggerdef(tg.oid, true), tg.tgenabled
        FROM pg_trigger tg
        JOIN pg_class c ON c.oid = tg.tgrelid
        WHERE c.relnamespace = {_NS} AND NOT tg.tgisinternal
        """,
    ),
    "views": (
        1,
        f"""
        SELECT c.relname, c.relkind, pg_get_viewdef(c.oid, true)
        FROM pg_class c
        WHERE c.relnamespace = {_NS} AND c.relkind IN ('v', 'm')
        """,
    ),
    "functions": (
        2,
        f"""
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind,
               CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,
               coalesce(p.proacl::text, '')
        FROM pg_proc p
        WHERE p.pronamespace = {_NS}
        """,
    ),
    "types": (
        1,
        f"""
        SELECT t.typname, t.typtype,
               CASE t.typtype
                 WHEN 'e' THEN (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                FROM pg_enum e WHERE e.enumtypid = t.oid)
                 WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                               || ' default=' || coalesce(t.typdefault, '')
                               || ' notnull=' || t.typnotnull::text
               END
        FROM pg_type t
        LEFT JOIN pg_class c ON c.oid = t.typrelid
        WHERE t.typnamespace = {_NS} AND (t.typrelid = 0 OR c.relkind = 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_type el WHERE el.typarray = t.oid)
        """,
    ),
    "policies": (
        2,
        f"""
        SELECT c.relname, p.polname, p.polcmd, p.polpermissive,
               pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
               (SELECT array_agg(CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END
                                 ORDER BY 1) FROM unnest(p.polroles) AS r)
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        WHERE c.relnamespace = {_NS}
        """,
    ),
    "comments": (
        3,
        f"""
        SELECT 'relation', c.relname, coalesce(a.attname, ''), d.description
        FROM pg_description d
        JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
                                 AND d.objsubid > 0
        WHERE c.relnamespace = {_NS}
        UNION ALL
        SELECT 'function', p.proname, pg_get_function_identity_arguments(p.oid), d.description
        FROM pg_description d
        JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
        WHERE p.pronamespace = {_NS}
        UNION ALL
        SELECT 'constraint', con.conname, '', d.description
        FROM pg_description d
        JOIN pg_constraint con ON d.classoid = 'pg_constraint'::regclass AND con.oid = d.objoid
        WHERE con.connamespace = {_NS}
        """,
    ),
}

# Rows Django writes into every schema it migrates (migration records, and the
# content types and permissions of post_migrate): a clone must carry them too.
_ROW_QUERIES: dict[str, tuple[str, str]] = {
    "migrations": ("django_migrations", "SELECT app, name FROM {schema}.django_migrations"),
    "content_types": (
        "django_content_type",
        "SELECT app_label, model FROM {schema}.django_content_type",
    ),
    "permissions": (
        "auth_permission",
        "SELECT ct.app_label, ct.model, p.codename, p.name FROM {schema}.auth_permission p "
        "JOIN {schema}.django_content_type ct ON ct.id = p.content_type_id",
    ),
}


def _attoptions(options: list[str]) -> list[str]:
    # This server build stamps every column with ``pg_attver=<WAL position>``
    # when it is defined (like an OID: differs between any two schemas, and
    # ``ALTER ... SET (pg_attver=…)`` is ignored). Every other option counts.
    return sorted(o for o in options if not o.startswith("pg_attver="))


def describe(schema: str) -> Description:
    """A normalised description of ``schema`` (its own name replaced by ``<schema>``)."""
    pattern = re.compile(rf'"{re.escape(schema)}"|(?<![\w$]){re.escape(schema)}(?![\w$])')

    def norm(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(PLACEHOLDER, value)
        if isinstance(value, list | tuple):
            return tuple(norm(v) for v in value)
        return value

    description: Description = {}
    with in_public(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        if cursor.fetchone() is None:
            raise AssertionError(f"schema {schema} does not exist")
        for section, (keys, query) in _QUERIES.items():
            cursor.execute(query, {"schema": schema})
            entries: dict[str, Any] = {}
            for row in cursor.fetchall():
                values = list(row)
                if section == "columns":
                    values[13] = _attoptions(values[13])
                key = ".".join(str(norm(k)) for k in values[:keys])
                assert key not in entries, f"{section}: duplicate key {key}"
                entries[key] = norm(values[keys:])
            description[section] = entries
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [schema],
        )
        tables = {row[0] for row in cursor.fetchall()}
        for section, (table, query) in _ROW_QUERIES.items():
            rows: dict[str, Any] = {}
            if table in tables and (section != "permissions" or "django_content_type" in tables):
                cursor.execute(query.format(schema=connection.ops.quote_name(schema)))
                for row in cursor.fetchall():
                    key = ".".join(str(v) for v in row)
                    rows[key] = rows.get(key, 0) + 1  # duplicates would show as counts > 1
            description[section] = rows
    return description


def sequence_positions(schema: str) -> dict[str, tuple[int | None, int | None]]:
    """Per column-owned sequence: (the next value it hands out, the column's maximum)."""
    quote = connection.ops.quote_name
    positions: dict[str, tuple[int | None, int | None]] = {}
    with in_public(), connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.relname, t.relname, a.attname
            FROM pg_depend d
            JOIN pg_class s ON d.classid = 'pg_class'::regclass AND s.oid = d.objid
            JOIN pg_class t ON d.refclassid = 'pg_class'::regclass AND t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i')
              AND s.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
            """,
            [schema],
        )
        for sequence, table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END "
                f"FROM {quote(schema)}.{quote(sequence)}"
            )
            (next_value,) = cursor.fetchone()
            cursor.execute(f"SELECT max({quote(column)}) FROM {quote(schema)}.{quote(table)}")
            (maximum,) = cursor.fetchone()
            positions[f"{table}.{column}"] = (next_value, maximum)
    return positions


def lines(description: Description) -> list[str]:
    """One sorted line per entry: ``section  key = value``."""
    return sorted(
        f"{section}  {key} = {value!r}"
        for section, entries in description.items()
        for key, value in entries.items()
    )


def diff(a: Description, b: Description, *, a_label: str = "a", b_label: str = "b") -> str:
    """Unified diff of two descriptions ("" when they are the same)."""
    return "\n".join(
        difflib.unified_diff(lines(a), lines(b), fromfile=a_label, tofile=b_label, lineterm="", n=0)
    )


def assert_same_structure(
    a: Description, b: Description, *, a_label: str = "a", b_label: str = "b"
) -> None:
    """Fail with a readable diff when ``a`` and ``b`` differ."""
    if a == b:
        return
    text = diff(a, b, a_label=a_label, b_label=b_label)
    raise AssertionError(
        f"schemas differ ({a_label} vs {b_label}); '-' only/different in {a_label}, "
        f"'+' only/different in {b_label}:\n{text}"
    )

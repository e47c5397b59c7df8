"""Exporting one KI: its schema and its document files, with a manifest of checksums.

The bundle is how one KI is backed up, recovered without touching the others, and
handed over when it leaves the platform (ADR 0016, docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from psycopg import sql

from kinrw import __version__
from kinrw.tenancy import bundle, migration_state, template
from kinrw.tenancy.bundle import BundleError
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.models import Tenant

REGISTRY_FIELDS = (
    "slug",
    "ags",
    "ars",
    "nuts3",
    "name",
    "official_name",
    "kind",
    "regierungsbezirk",
    "population",
    "population_date",
    "status",
)


@dataclass(frozen=True)
class Exported:
    where: str  # the bundle folder: a path or s3://…
    manifest: dict[str, Any]


def table_counts(schema_name: str) -> dict[str, int]:
    """Rows per table of the schema (its base tables only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY 1",
            [schema_name],
        )
        names = [row[0] for row in cursor.fetchall()]
        counts: dict[str, int] = {}
        for name in names:
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {}.{}")
                .format(sql.Identifier(schema_name), sql.Identifier(name))
                .as_string(None)
            )
            counts[name] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT DISTINCT app || '.' || name FROM {}.django_migrations ORDER BY 1")
            .format(sql.Identifier(schema_name))
            .as_string(None)
        )
        return [row[0] for row in cursor.fetchall()]


def _registry(tenant: Tenant) -> dict[str, Any]:
    from kinrw.tenancy.onboarding import primary_domain

    data: dict[str, Any] = {f: getattr(tenant, f) for f in REGISTRY_FIELDS}
    data["population_date"] = tenant.population_date.isoformat()
    data["domain"] = primary_domain(tenant)
    return data


def _document_keys() -> list[tuple[int, str]]:
    """(id, storage key) of every document of the current KI."""
    from kinrw.workspace.models import Document

    return list(Document.objects.order_by("id").values_list("id", "storage_key"))


def _copy_files(
    tenant: Tenant, keys: list[tuple[int, str]], where: bundle.Location
) -> dict[str, Any]:
    """Copy each document into the bundle, one file in memory at a time; the manifest
    entries. Objects are never overwritten, so a key of the snapshot names its bytes."""
    from kinrw.workspace.documents.storage import TenantDocuments, backend

    files: dict[str, dict[str, Any]] = {}
    with in_tenant(tenant):
        store = TenantDocuments(tenant, backend())
        for doc_id, key in keys:
            try:
                with store.open(key) as handle:
                    data = handle.read()
            except (FileNotFoundError, OSError) as exc:
                raise BundleError(
                    f"Datei von Dokument {doc_id} fehlt im Dokumentenspeicher ({key}): {exc}"
                ) from exc
            name = f"files/{doc_id}"
            where.write(name, data)
            files[str(doc_id)] = {
                "path": name,
                "storage_key": key,
                "sha256": bundle.sha256(data),
                "size": len(data),
            }
    return files


def tenant_export(*, slug: str, to: str, now: dt.datetime | None = None) -> Exported:
    """Write the bundle of KI ``slug`` into a new folder below ``to`` (path or s3://…).

    Schema dump, row counts and the list of documents come from one database snapshot
    (``pg_export_snapshot`` handed to pg_dump), so they agree while the KI keeps working.
    Runs outside any transaction of the caller: pg_dump sees committed data only.
    """
    with in_public():
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise BundleError(
                f"Kein KI mit dem Kurznamen „{slug}“ (kinrw tenants list zeigt alle)."
            )
        schema_name = tenant.schema_name
        if not migration_state.schema_exists(schema_name):
            raise BundleError(f"Das Schema {schema_name} von KI „{slug}“ fehlt.")
        registry_data = _registry(tenant)
    started = now or dt.datetime.now(dt.UTC)
    where = bundle.child(bundle.location(to), f"{slug}-{started:%Y%m%dT%H%M%SZ}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        try:
            script = template.dump_schema(schema_name, snapshot=snapshot).encode()
        except template.TemplateUnavailable as exc:
            raise BundleError(f"Export von „{slug}“ fehlgeschlagen: {exc}") from exc
        with in_public():
            migrations = applied_migrations(schema_name)
            counts = table_counts(schema_name)
            state = migration_state.schema_states([schema_name])[schema_name][1]
        with in_tenant(tenant):
            keys = _document_keys()
    where.write(bundle.SCHEMA_SQL, script)
    files = _copy_files(tenant, keys, where)
    known = set(migration_state.known_migrations())
    manifest: dict[str, Any] = {
        "format": bundle.FORMAT,
        "kinrw_version": __version__,
        "created_at": started.isoformat(),
        "tenant": {"id": tenant.pk, "schema": schema_name, **registry_data},
        "migrations": {
            "applied": migrations,
            "count": len([m for m in migrations if m in known]),
            "state": state,
        },
        "tables": counts,
        "schema_sql": {"sha256": bundle.sha256(script), "size": len(script)},
        "files": files,
    }
    bundle.write_manifest(where, manifest)
    return Exported(where=where.describe(), manifest=manifest)

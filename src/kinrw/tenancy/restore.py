"""Restoring one KI from an export bundle, into the same KI or a new one (ADR 0016).

Order, so that a refused or failed restore changes nothing:

1. every checksum of the bundle is verified (manifest, ``schema.sql``, every file), and
   a bundle of a newer migration state than the code is refused;
2. under the onboarding lock, in **one** transaction: the KI's current schema is moved
   aside (or, for a new KI, the tenant row and domain are made as by ``tenant_create``),
   the dump is replayed under the KI's schema name, the row counts are compared with
   the manifest, every document file is written under the KI's own prefix
   (``ki/<tenant id>/…``, never over an existing object) and the document keys are
   updated, then the old schema is dropped. Any error rolls all of it back; at most
   unreferenced objects stay in the storage;
3. after the commit: a bundle of an older migration state is migrated, and the KI's
   Land facts are recomputed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from kinrw.tenancy import bundle, hostcache, migration_state, onboarding, registry, template
from kinrw.tenancy.bundle import BundleError, Location
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.export import table_counts
from kinrw.tenancy.models import Tenant
from kinrw.tenancy.sqlscript import split_statements

logger = logging.getLogger(__name__)

ASIDE_PREFIX = "kinrw_restore_old_"


@dataclass(frozen=True)
class Verified:
    manifest: dict[str, Any]
    script: str
    where: Location
    files: dict[int, dict[str, Any]]  # document id → its manifest entry (checked once)


@dataclass(frozen=True)
class Restored:
    tenant: Tenant
    created: bool  # a new KI was registered for the restore
    tables: int
    rows: int
    files: int
    migrated: bool  # the bundle was older than the code and has been migrated


def bundle_verify(where: Location) -> Verified:
    """Read the bundle and check every checksum and its migration state; changes nothing."""
    manifest = bundle.read_manifest(where)
    script = bundle.read_checked(where, bundle.SCHEMA_SQL, manifest["schema_sql"])
    files = {}
    for doc_id, entry in sorted(manifest["files"].items(), key=lambda kv: int(kv[0])):
        bundle.read_checked(where, entry["path"], entry)  # one file in memory at a time
        files[int(doc_id)] = entry
    newer = sorted(set(manifest["migrations"]["applied"]) - set(migration_state.known_migrations()))
    if newer:
        raise BundleError(
            f"Der Export hat einen neueren Migrationsstand als dieser Code ({len(newer)} "
            f"unbekannte Migrationen, z. B. {newer[0]}): zuerst die Plattform aktualisieren."
        )
    return Verified(manifest=manifest, script=script.decode(), where=where, files=files)


def renamed_statements(script: str, old: str, new: str) -> str:
    """The dump with schema ``old`` renamed to ``new``; row values are left as they are.

    ``template.rename_schema`` also renames bare occurrences (function bodies,
    ``search_path`` settings); applied to the INSERTs it could change a text value that
    happens to contain the schema name, so those only get their table name renamed.
    """
    insert_prefix = f'INSERT INTO "{old}".'
    out = []
    for statement in split_statements(script):
        if statement.startswith(insert_prefix):
            out.append(f'INSERT INTO "{new}".' + statement[len(insert_prefix) :])
        else:
            out.append(template.rename_schema(statement, old, new))
    return "\n".join(out) + "\n"


def tenant_restore(
    *,
    source: str,
    into: str | None = None,
    replace: bool = False,
    registry_path: Path | None = None,
) -> Restored:
    """Restore the bundle at ``source`` (path or s3://…) into KI ``into`` (default: its own)."""
    checked = bundle_verify(bundle.location(source))
    manifest = checked.manifest
    slug = into or str(manifest["tenant"]["slug"])
    with in_public(), template.advisory_lock(onboarding.ONBOARDING_LOCK):
        tenant = Tenant.objects.filter(slug=slug).first()
        entry, domain = None, None
        if tenant is not None:
            _check_replace(tenant, manifest, replace=replace)
            schema_name = tenant.schema_name
        else:
            entry, domain = _new_entry(slug, registry_path)
            schema_name = registry.schema_name_for(slug)
        script = renamed_statements(checked.script, manifest["tenant"]["schema"], schema_name)
        with transaction.atomic():
            aside = None
            if tenant is None:
                assert entry is not None and domain is not None
                tenant = onboarding.insert_rows(entry, schema_name=schema_name, domain=domain)
            elif migration_state.schema_exists(schema_name):
                aside = ASIDE_PREFIX + f"{tenant.pk}"
                template.drop_schema(aside)
                onboarding.schema_rename(schema_name, aside)
            _replay(script)
            _check_counts(schema_name, manifest["tables"])
            written = _restore_files(tenant, manifest, checked)
            if aside:
                template.drop_schema(aside)
            onboarding.record_state(schema_name)
    hostcache.clear()
    migrated = False
    if (
        migration_state.schema_states([schema_name])[schema_name][0]
        < migration_state.target_count()
    ):
        template.migrate_schema(schema_name)
        with in_public():
            onboarding.record_state(schema_name)
        migrated = True
    _rebuild_facts(tenant)
    tables = manifest["tables"]
    logger.info("tenant %s restored from bundle (%d tables)", slug, len(tables))
    return Restored(
        tenant=tenant,
        created=entry is not None,
        tables=len(tables),
        rows=sum(tables.values()),
        files=written,
        migrated=migrated,
    )


def _check_replace(tenant: Tenant, manifest: dict[str, Any], *, replace: bool) -> None:
    if tenant.ags != manifest["tenant"]["ags"]:
        raise BundleError(
            f"Der Export gehört zum AGS {manifest['tenant']['ags']}, KI „{tenant.slug}“ hat den "
            f"AGS {tenant.ags}: nicht ersetzt."
        )
    if not replace:
        raise BundleError(
            f"KI „{tenant.slug}“ gibt es schon: mit --replace werden seine Daten durch den "
            "Export ersetzt (das bisherige Schema wird dabei gelöscht)."
        )


def _new_entry(slug: str, registry_path: Path | None) -> tuple[registry.RegistryEntry, str]:
    """The registry entry for a KI restored under a slug that has no KI yet."""
    try:
        entries = registry.load(registry_path)
    except registry.RegistryError as exc:
        raise BundleError(str(exc)) from exc
    entry = next((e for e in entries if e.slug == slug), None)
    if entry is None:
        raise BundleError(
            f"„{slug}“ steht nicht im Register: ein neues KI braucht einen Registereintrag "
            "mit eigenem AGS (tenants/registry.csv)."
        )
    domain = entry.primary_domain().lower()
    try:
        onboarding.validate_new(entry, domain=domain)
    except onboarding.OnboardingError as exc:
        raise BundleError(str(exc)) from exc
    return entry, domain


def _replay(script: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('check_function_bodies')")
        (previous,) = cursor.fetchone()
        cursor.execute("SET LOCAL check_function_bodies = off")
        cursor.execute(script)
        cursor.execute("SELECT set_config('check_function_bodies', %s, true)", [previous])


def _check_counts(schema_name: str, expected: dict[str, int]) -> None:
    found = table_counts(schema_name)
    if found != expected:
        differing = sorted(
            set(found) ^ set(expected) | {t for t in found if found[t] != expected.get(t)}
        )
        raise BundleError(
            f"Wiederhergestellte Zeilenzahlen weichen vom Manifest ab (z. B. Tabelle "
            f"{differing[0]}): nichts geändert."
        )


def _restore_files(tenant: Tenant, manifest: dict[str, Any], checked: Verified) -> int:
    """Write every document's bytes under the KI's prefix and point its row at them.

    Each file is read (and checked against the manifest again) just before it is
    written, so a restore holds one file in memory, not the KI's documents."""
    from kinrw.workspace.documents.storage import TenantDocuments, backend
    from kinrw.workspace.models import Document

    old_prefix = f"ki/{int(manifest['tenant']['id'])}/"
    written = 0
    with in_tenant(tenant):
        store = TenantDocuments(tenant, backend())
        for doc in Document.objects.order_by("id"):
            entry = checked.files.get(doc.pk)
            if entry is None:
                raise BundleError(f"Datei von Dokument {doc.pk} fehlt im Export.")
            data = bundle.read_checked(checked.where, entry["path"], entry)
            rest = doc.storage_key.removeprefix(old_prefix)
            key = store.prefix + rest
            if store.exists(key) and _same(store, key, data):
                pass  # the object is already there, byte for byte
            else:
                if store.exists(key):  # damaged or replaced: never overwritten
                    key = store.new_key(doc.original_name)
                store.save(key, data, content_type=doc.content_type, filename=doc.original_name)
                written += 1
            if key != doc.storage_key:
                Document.objects.filter(pk=doc.pk).update(storage_key=key)
    return written


def _same(store: Any, key: str, data: bytes) -> bool:
    with store.open(key) as handle:
        return bool(handle.read() == data)


def _rebuild_facts(tenant: Tenant) -> None:
    from kinrw.state.rebuild import rebuild

    rebuild(tenant=tenant)

"""Fleet migration: public schema, template, then every KI schema (ADR 0002).

The migration state of all schemas is read with one query and compared with
the code's checksum; only schemas that differ are migrated, in parallel
worker processes (bounded). Each schema's outcome (the public schema and the
template included) is recorded in :class:`SchemaState`; a failed schema does
not stop the others, and a rerun picks up exactly the schemas that are still
behind.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from django.db import connection, connections, transaction
from django.utils import timezone

from kinrw.tenancy import dbconn, migration_state, template
from kinrw.tenancy.context import in_public
from kinrw.tenancy.models import SchemaState, Tenant

logger = logging.getLogger(__name__)


@dataclass
class FleetResult:
    public_migrated: bool = False
    template: str = ""
    skipped: list[str] = field(default_factory=list)
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # schema -> error
    slugs: dict[str, str] = field(default_factory=dict)  # schema -> KI slug, for operators

    @property
    def ok(self) -> bool:
        return not self.failed

    def label(self, schema: str) -> str:
        """How operators know a schema: ``KI koeln (ki_koeln)``."""
        slug = self.slugs.get(schema)
        return f"KI {slug} ({schema})" if slug else schema


def migrate_public() -> bool:
    """Migrate the public schema if it is behind; True if migrations ran."""
    target = migration_state.target_state()
    with in_public():
        if migration_state.schema_states(["public"])["public"][1] == target:
            return False
        template.migrate_schema("public")
    return True


def migrate_fleet(
    *,
    parallel: int = 2,
    only: list[str] | None = None,
    progress: Callable[[str, bool], None] | None = None,
) -> FleetResult:
    """Migrate public, template and KI schemas; a second run at the same time waits."""
    if connection.in_atomic_block:  # a test's transaction: another session could not see it
        return _migrate_fleet(parallel=parallel, only=only, progress=progress)
    with dbconn.held_lock(dbconn.FLEET_LOCK):
        return _migrate_fleet(parallel=parallel, only=only, progress=progress)


def _migrate_fleet(
    *, parallel: int, only: list[str] | None, progress: Callable[[str, bool], None] | None
) -> FleetResult:
    result = FleetResult(public_migrated=migrate_public())
    try:
        template.ensure_template()
        result.template = "aktuell"
    except template.TemplateUnavailable as exc:
        result.template = f"nicht nutzbar: {exc}"
    target = migration_state.target_state()
    with in_public():
        tenants = Tenant.objects.order_by("schema_name")
        if only:
            tenants = tenants.filter(slug__in=only)
        result.slugs = dict(tenants.values_list("schema_name", "slug"))
        schemas = list(result.slugs)
        states = migration_state.schema_states(schemas)
    pending = [s for s in schemas if states[s][1] != target]
    result.skipped = [s for s in schemas if states[s][1] == target]
    outcomes = _run_pending(pending, parallel=parallel, progress=progress)
    for schema in pending:  # in schema order, whatever order the workers finished in
        error = outcomes[schema]
        if error is None:
            result.migrated.append(schema)
        else:
            result.failed[schema] = error
    _record(schemas, result)
    return result


def _run_pending(
    pending: list[str], *, parallel: int, progress: Callable[[str, bool], None] | None
) -> dict[str, str | None]:
    outcomes: dict[str, str | None] = {}
    if not pending:
        return outcomes
    # Forked workers see only committed data and must not share our connection:
    # inside a transaction (e.g. a test) the schemas are migrated one by one here.
    if parallel <= 1 or len(pending) == 1 or connection.in_atomic_block:
        for schema in pending:
            outcomes[schema] = _migrate_one(schema)[1]
            if progress:
                progress(schema, outcomes[schema] is None)
        return outcomes
    # Children are forked with Django set up; they must not share our connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=parallel, mp_context=context) as pool:
        futures = {pool.submit(_migrate_one, schema): schema for schema in pending}
        for future in as_completed(futures):
            schema = futures[future]
            try:
                outcomes[schema] = future.result()[1]
            except Exception as exc:  # a crashed worker counts as a failure of its schema
                outcomes[schema] = f"Arbeitsprozess abgebrochen: {exc}"
            if progress:
                progress(schema, outcomes[schema] is None)
    return outcomes


def _migrate_one(schema: str) -> tuple[str, str | None]:
    try:
        if connection.in_atomic_block:  # keep the caller's transaction usable after a failure
            with transaction.atomic():
                template.migrate_schema(schema)
        else:
            template.migrate_schema(schema)
    except Exception as exc:
        logger.exception("migration of %s failed", schema)
        return schema, f"{type(exc).__name__}: {exc}"
    finally:
        connection.set_schema_to_public()
    return schema, None


def _record(tenant_schemas: list[str], result: FleetResult) -> None:
    """Write each schema's reached state; rows that already say so are left alone."""
    with in_public():
        schemas = ["public", *tenant_schemas]
        if migration_state.schema_exists(template.template_schema()):
            schemas.insert(1, template.template_schema())
        states = migration_state.schema_states(schemas)
        known = {s.schema_name: s for s in SchemaState.objects.filter(schema_name__in=schemas)}
        now = timezone.now()
        with transaction.atomic():
            for schema in schemas:
                count, state = states[schema]
                error = result.failed.get(schema, "")
                row = known.get(schema)
                if row and (row.state, row.applied_count, row.last_error) == (state, count, error):
                    continue
                SchemaState.objects.update_or_create(
                    schema_name=schema,
                    defaults={
                        "state": state,
                        "applied_count": count,
                        "last_error": error,
                        "migrated_at": now
                        if schema in result.migrated
                        or (schema == "public" and result.public_migrated)
                        else (row.migrated_at if row else None),
                    },
                )

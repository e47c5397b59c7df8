"""Creating, updating and changing the status of KIs: the only write path.

A KI is either fully there (schema at the current migration state, tenant
row, primary domain, optionally its first admin) or not at all:

* from a template snapshot, schema, rows and admin are made in **one**
  transaction, so a killed process leaves nothing behind;
* without a usable snapshot the schema is first migrated under a pending
  name (``kinrw_pending_<slug>``) and then renamed and registered in one
  transaction; :func:`repair` drops pending schemas a killed run left.
"""

from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from psycopg import sql

from kinrw.tenancy import hostcache, migration_state, registry, template
from kinrw.tenancy.context import in_public, in_tenant
from kinrw.tenancy.models import Domain, SchemaState, Status, Tenant
from kinrw.tenancy.registry import RegistryEntry

logger = logging.getLogger(__name__)

PENDING_PREFIX = "kinrw_pending_"
ONBOARDING_LOCK = 0x4B49_4E52_5702


class OnboardingError(Exception):
    """Bad input or state; the message is one German line for the operator."""


@dataclass(frozen=True)
class Created:
    tenant: Tenant
    method: str  # "template" or "migrations"
    set_password_url: str | None = None


def _fault(point: str) -> None:
    """Test hook: ``KINRW_FAULT=<point>`` kills the process there (killed-onboarding tests)."""
    if os.environ.get("KINRW_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


def validate_new(entry: RegistryEntry, *, domain: str) -> None:
    if not registry.SLUG_RE.match(entry.slug):
        raise OnboardingError(
            f"Ungültiger Kurzname „{entry.slug}“: nur Kleinbuchstaben, Ziffern und Bindestriche."
        )
    if len(registry.schema_name_for(entry.slug)) > 63:
        raise OnboardingError(f"Kurzname „{entry.slug}“ ist zu lang (höchstens 60 Zeichen).")
    if not registry.valid_domain(domain):
        raise OnboardingError(
            f"Ungültiger Domainname „{domain}“ (Hostname nötig, nicht die Adresse der Landesebene)."
        )
    if Tenant.objects.filter(ags=entry.ags).exists():
        raise OnboardingError(f"Für den AGS {entry.ags} gibt es bereits ein KI.")
    if Tenant.objects.filter(slug=entry.slug).exists():
        raise OnboardingError(f"Der Kurzname „{entry.slug}“ ist bereits vergeben.")
    if Domain.objects.filter(domain=domain).exists():
        raise OnboardingError(f"Die Domain „{domain}“ ist bereits vergeben.")
    schema_name = registry.schema_name_for(entry.slug)
    if migration_state.schema_exists(schema_name):
        raise OnboardingError(
            f"Das Schema {schema_name} gibt es schon, aber ohne KI-Eintrag: bitte prüfen und "
            "bei Bedarf sichern und entfernen; es wird nicht automatisch gelöscht."
        )


def tenant_create(
    *, entry: RegistryEntry, domain: str | None = None, admin_email: str | None = None
) -> Created:
    """Onboard one KI from a registry entry (validated here, atomically created)."""
    domain = (domain or entry.primary_domain()).lower()
    # Serialised with repair(): another process's repair must not drop our pending schema.
    with in_public(), template.advisory_lock(ONBOARDING_LOCK):
        validate_new(entry, domain=domain)
        if admin_email:
            from kinrw.accounts.services import validate_email

            validate_email(admin_email)
        schema_name = registry.schema_name_for(entry.slug)
        snapshot = template.current_snapshot()
        method = "template" if snapshot is not None else "migrations"
        pending = None
        if snapshot is None:
            logger.warning("no current template snapshot: creating %s by migrations", entry.slug)
            pending = PENDING_PREFIX + entry.slug.replace("-", "_")
            template.drop_schema(pending)
            template.create_empty_schema(pending)
            template.migrate_schema(pending)
        try:
            with transaction.atomic():
                tenant = insert_rows(entry, schema_name=schema_name, domain=domain)
                if snapshot is not None:
                    template.clone_into(schema_name, snapshot)
                else:
                    schema_rename(pending or "", schema_name)
                _fault("onboarding.after_schema")
                record_state(schema_name)
                link = None
                if admin_email:
                    from kinrw.accounts.services import first_admin_create

                    with in_tenant(tenant):
                        link = first_admin_create(tenant=tenant, email=admin_email)
        except (IntegrityError, ValidationError) as exc:
            # A concurrent onboarding won the race past validate_new(): still one line.
            reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise OnboardingError(
                f"KI „{entry.slug}“ konnte nicht angelegt werden: {' '.join(reason.split())}"
            ) from exc
    hostcache.clear()
    logger.debug("tenant %s created by %s", entry.slug, method)
    return Created(tenant=tenant, method=method, set_password_url=link)


def insert_rows(entry: RegistryEntry, *, schema_name: str, domain: str) -> Tenant:
    """The KI's tenant row and primary domain (onboarding and restore into a new slug)."""
    tenant = Tenant(
        schema_name=schema_name,
        slug=entry.slug,
        ags=entry.ags,
        ars=entry.ars,
        nuts3=entry.nuts3,
        name=entry.name,
        official_name=entry.official_name,
        kind=entry.kind,
        regierungsbezirk=entry.regierungsbezirk,
        population=entry.population,
        population_date=entry.population_date,
    )
    tenant.full_clean(validate_unique=False)
    tenant.save()
    Domain.objects.create(domain=domain, tenant=tenant, is_primary=True)
    return tenant


def schema_rename(old: str, new: str) -> None:
    """ALTER SCHEMA old RENAME TO new (onboarding: the pending schema; restore: aside)."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("ALTER SCHEMA {} RENAME TO {}")
            .format(sql.Identifier(old), sql.Identifier(new))
            .as_string()
        )


def record_state(schema_name: str) -> None:
    """Store the schema's migration state, as ``kinrw migrate`` does after migrating it."""
    count, state = migration_state.schema_states([schema_name])[schema_name]
    SchemaState.objects.update_or_create(
        schema_name=schema_name,
        defaults={
            "state": state,
            "applied_count": count,
            "migrated_at": timezone.now(),
            "last_error": "",
        },
    )


FIELDS_FROM_REGISTRY = (
    "ars",
    "nuts3",
    "name",
    "official_name",
    "kind",
    "regierungsbezirk",
    "population",
    "population_date",
)


def changes_for(tenant: Tenant, entry: RegistryEntry) -> dict[str, tuple[object, object]]:
    """What differs between the database and the registry (never slug or AGS)."""
    diff = {
        f: (getattr(tenant, f), getattr(entry, f))
        for f in FIELDS_FROM_REGISTRY
        if getattr(tenant, f) != getattr(entry, f)
    }
    current = primary_domain(tenant)
    wanted = entry.primary_domain()
    if current != wanted:
        diff["domain"] = (current, wanted)
    return diff


def primary_domain(tenant: Tenant) -> str | None:
    for domain in tenant.domains.all():
        if domain.is_primary:
            return str(domain.domain)
    return None


def tenant_update(*, tenant: Tenant, entry: RegistryEntry) -> dict[str, tuple[object, object]]:
    diff = changes_for(tenant, entry)
    if not diff:
        return diff
    with in_public(), transaction.atomic():
        for field in FIELDS_FROM_REGISTRY:
            setattr(tenant, field, getattr(entry, field))
        tenant.full_clean(validate_unique=False)
        tenant.save()
        if "domain" in diff:
            wanted = entry.primary_domain()
            if Domain.objects.filter(domain=wanted).exclude(tenant=tenant).exists():
                raise OnboardingError(f"Die Domain „{wanted}“ ist bereits vergeben.")
            tenant.domains.filter(is_primary=True).delete()
            Domain.objects.update_or_create(
                domain=wanted, defaults={"tenant": tenant, "is_primary": True}
            )
    hostcache.clear()
    return diff


ALLOWED_TRANSITIONS = {
    Status.SUSPENDED: {Status.ACTIVE},
    Status.ACTIVE: {Status.SUSPENDED},
    Status.ARCHIVED: {Status.ACTIVE, Status.SUSPENDED},
}


def tenant_set_status(*, tenant: Tenant, status: Status) -> bool:
    """Move a KI to ``status``; returns False if it already had it."""
    if tenant.status == status:
        return False
    if tenant.status not in ALLOWED_TRANSITIONS[status]:
        raise OnboardingError(
            f"KI „{tenant.slug}“ ist {Status(tenant.status).label} und kann nicht "
            f"{Status(status).label} werden."
        )
    with in_public(), transaction.atomic():
        tenant.status = status
        tenant.save(update_fields=["status", "updated_at"])
    hostcache.clear()
    return True


def repair() -> list[str]:
    """Remove what killed onboarding runs left; return what was done."""
    done: list[str] = []
    with in_public(), template.advisory_lock(ONBOARDING_LOCK), connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s ORDER BY 1",
            [PENDING_PREFIX + "%"],
        )
        for (name,) in cursor.fetchall():
            template.drop_schema(name)
            done.append(f"Reste eines abgebrochenen Anlegens entfernt: Schema {name}")
    return done

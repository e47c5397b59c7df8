"""Building blocks every workspace service uses: audited create and soft delete, area check."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.tenancy.context import current_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.audit import audit_record, snapshot
from kinrw.workspace.models import AuditAction
from kinrw.workspace.services.errors import WorkspaceError


def check_gemeinde(gemeinde: Gemeinde | None, *, field: str = "gemeinde") -> None:
    if gemeinde is None:
        return
    tenant = current_tenant()
    if tenant is None or not gemeinden_of(tenant=tenant).filter(pk=gemeinde.pk).exists():
        raise WorkspaceError(
            _g(
                "Die Gemeinde „%(name)s“ liegt nicht im Gebiet dieses KI; "
                "bitte eine Gemeinde des eigenen Kreises oder der eigenen Stadt wählen."
            )
            % {"name": gemeinde.name},
            field=field,
        )


def check_choice(value: str, choices: type[models.TextChoices], what: str, field: str) -> None:
    """``what``: the translated name of the choice (e.g. "Art der Organisation")."""
    if value not in choices.values:
        raise WorkspaceError(
            _g("Unbekannte %(what)s „%(value)s“.") % {"what": what, "value": value}, field=field
        )


def create_audited(
    model: type[models.Model],
    *,
    actor: User | None,
    relations: dict[str, list[Any]] | None = None,
    **fields: Any,
) -> Any:
    """Create, attach many-to-many relations, and record one audit entry for all of it."""
    obj = model.objects.create(**fields)  # type: ignore[attr-defined]
    changes = {k: [None, v] for k, v in snapshot(obj, list(fields)).items()}
    for name, related in (relations or {}).items():
        getattr(obj, name).set(related)
        changes[name] = [None, sorted(o.pk for o in related)]
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=changes)
    return obj


def update_audited(
    obj: Any,
    *,
    actor: User | None,
    relations: dict[str, list[Any]] | None = None,
    **fields: Any,
) -> Any:
    """Change fields and many-to-many relations; one audit entry with what really changed."""
    before = snapshot(obj, list(fields))
    for name, value in fields.items():
        setattr(obj, name, value)
    after = snapshot(obj, list(fields))
    changes = {k: [before[k], after[k]] for k in fields if before[k] != after[k]}
    if changes:
        names = [k for k in changes]
        if any(f.name == "updated_at" for f in obj._meta.fields):
            names.append("updated_at")
        obj.save(update_fields=names)
    for name, related in (relations or {}).items():
        manager = getattr(obj, name)
        old = sorted(manager.values_list("pk", flat=True))
        new = sorted(o.pk for o in related)
        if old != new:
            manager.set(related)
            changes[name] = [old, new]
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)
    return obj


def delete_audited(*, actor: User | None, obj: Any, fields: list[str]) -> None:
    """Remove a record nothing depends on; the audit entry keeps what it held."""
    changes = {k: [v, None] for k, v in snapshot(obj, fields).items()}
    pk = obj.pk
    obj.delete()
    obj.pk = pk
    audit_record(actor=actor, action=AuditAction.DELETE, obj=obj, changes=changes)


def merged(obj: Any, changes: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The values after a partial update: the given changes over the record's current values."""
    unknown = set(changes) - set(names)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    current = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            current[name] = list(getattr(obj, name).all())
        else:
            current[name] = getattr(obj, name)
    return {**current, **changes}


def soft_delete(*, actor: User | None, obj: Any) -> None:
    """Mark a record deleted (it stays for the figures and history that refer to it); audited."""
    if obj.is_deleted:
        return
    obj.is_deleted = True
    obj.save(update_fields=["is_deleted", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=obj, changes={"is_deleted": [False, True]}
    )

"""Building blocks every workspace service uses: audited create and soft delete, area check."""

from __future__ import annotations

from typing import Any

from django.db import models

from kinrw.accounts.models import User
from kinrw.tenancy.context import current_tenant
from kinrw.tenancy.models import Gemeinde
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.audit import audit_record, snapshot
from kinrw.workspace.models import AuditAction
from kinrw.workspace.services.errors import WorkspaceError


def check_gemeinde(gemeinde: Gemeinde | None) -> None:
    if gemeinde is None:
        return
    tenant = current_tenant()
    if tenant is None or not gemeinden_of(tenant=tenant).filter(pk=gemeinde.pk).exists():
        raise WorkspaceError(
            f"Die Gemeinde „{gemeinde.name}“ liegt nicht im Gebiet dieses KI; "
            "bitte eine Gemeinde des eigenen Kreises oder der eigenen Stadt wählen."
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


def soft_delete(*, actor: User | None, obj: Any) -> None:
    """Mark a record deleted (it stays for the figures and history that refer to it); audited."""
    if obj.is_deleted:
        return
    obj.is_deleted = True
    obj.save(update_fields=["is_deleted", "updated_at"])
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=obj, changes={"is_deleted": [False, True]}
    )

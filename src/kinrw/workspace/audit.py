"""The audit trail of a KI: who changed what, when (tenant schema, append-only).

Every write service of the workspace records its change here, in the same
transaction as the change. The KI-Leitung reads it; nothing updates or
deletes an entry.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from kinrw.accounts.models import User
from kinrw.workspace.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def audit_record(
    *, actor: User | None, action: str, obj: models.Model, changes: dict[str, list[Any]]
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=str(actor) if actor is not None else "System",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        changes=changes,
    )

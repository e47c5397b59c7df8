"""Roles of the current KI's staff."""

from __future__ import annotations

from django.db import transaction

from kinrw.accounts.models import User
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import AuditAction, Membership, Role
from kinrw.workspace.roles import forget_role
from kinrw.workspace.services.errors import WorkspaceError


@transaction.atomic
def membership_set(*, actor: User | None, user: User, role: str) -> Membership:
    if role not in Role.values:
        raise WorkspaceError(f"Unbekannte Rolle „{role}“.")
    membership = Membership.objects.filter(user=user).first()
    if membership is not None and membership.role == role:
        return membership
    if (
        membership is not None
        and membership.role == Role.LEITUNG
        and not Membership.objects.filter(role=Role.LEITUNG).exclude(pk=membership.pk).exists()
    ):
        raise WorkspaceError(
            "Das KI braucht mindestens eine KI-Leitung; bitte zuerst eine weitere ernennen."
        )
    before = membership.role if membership is not None else None
    if membership is None:
        membership = Membership.objects.create(user=user, role=role)
    else:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    forget_role(user)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=membership,
        changes={"user": [None, user.pk], "role": [before, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    """Take an account's role in this KI away (it can no longer open the workspace)."""
    if (
        membership.role == Role.LEITUNG
        and not Membership.objects.filter(role=Role.LEITUNG).exclude(pk=membership.pk).exists()
    ):
        raise WorkspaceError(
            "Das KI braucht mindestens eine KI-Leitung; bitte zuerst eine weitere ernennen."
        )
    pk, user_id, role = membership.pk, membership.user_id, membership.role
    membership.delete()
    membership.pk = pk
    forget_role(membership.user)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=membership,
        changes={"user": [user_id, None], "role": [role, None]},
    )

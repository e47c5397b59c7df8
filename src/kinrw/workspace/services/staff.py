"""Roles of the current KI's staff."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import AuditAction, Membership, Role
from kinrw.workspace.roles import forget_role
from kinrw.workspace.services.errors import WorkspaceError


@transaction.atomic
def membership_set(*, actor: User | None, user: User, role: str) -> Membership:
    if role not in Role.values:
        raise WorkspaceError(_g("Unbekannte Rolle „%(role)s“.") % {"role": role})
    membership = Membership.objects.filter(user=user).first()
    if membership is not None and membership.role == role:
        return membership
    if (
        membership is not None
        and membership.role == Role.LEITUNG
        and not Membership.objects.filter(role=Role.LEITUNG).exclude(pk=membership.pk).exists()
    ):
        raise WorkspaceError(
            _g("Das KI braucht mindestens eine KI-Leitung; bitte zuerst eine weitere ernennen.")
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
            _g("Das KI braucht mindestens eine KI-Leitung; bitte zuerst eine weitere ernennen.")
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


def _email_checked(email: str) -> str:
    from kinrw.accounts.services import AccountError, validate_email

    try:
        return validate_email(email.strip())
    except AccountError as exc:
        raise WorkspaceError(
            _g("„%(email)s“ ist keine gültige E-Mail-Adresse; bitte prüfen.") % {"email": email},
            field="email",
        ) from exc


@transaction.atomic
def member_invite(*, actor: User | None, email: str, full_name: str, role: str) -> Membership:
    """Add an account to this KI's team with a role; it sets its password by a one-time link.

    A new address gets a new account (no password yet). An account that was removed
    from the team earlier comes back: it is activated again and needs a new password.
    """
    email = _email_checked(email)
    full_name = full_name.strip()
    if role not in Role.values:
        raise WorkspaceError(
            _g("Unbekannte Rolle „%(role)s“; bitte eine Rolle wählen.") % {"role": role},
            field="role",
        )
    user = User.objects.filter(email=email).first()
    if user is not None and user.is_active and Membership.objects.filter(user=user).exists():
        raise WorkspaceError(
            _g(
                "%(email)s gehört schon zum Team. Rolle und Einladungslink finden Sie in der "
                "Teamliste auf der Seite dieses Kontos."
            )
            % {"email": email},
            field="email",
        )
    if user is None:
        user = User.objects.create_user(email, full_name=full_name)
        changes = {"email": [None, email], "full_name": [None, full_name]}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=user, changes=changes)
    else:
        before = {"full_name": user.full_name, "is_active": user.is_active}
        had_password = user.has_usable_password()
        user.is_active = True
        user.full_name = full_name or user.full_name
        user.set_unusable_password()  # the old password no longer opens the account
        user.save(update_fields=["is_active", "full_name", "password"])
        after = {"full_name": user.full_name, "is_active": True}
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if had_password:
            changes["password"] = ["gesetzt", "zurückgesetzt"]
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes=changes)
    return membership_set(actor=actor, user=user, role=role)


@transaction.atomic
def member_deactivate(*, actor: User | None, membership: Membership) -> None:
    """Remove an account from the team and switch it off (it can no longer sign in)."""
    user = membership.user
    if actor is not None and actor.pk == user.pk:
        raise WorkspaceError(
            _g(
                "Sie können Ihr eigenes Konto nicht entfernen; "
                "bitte eine andere KI-Leitung darum bitten."
            )
        )
    membership_remove(actor=actor, membership=membership)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=user, changes={"is_active": [True, False]}
        )

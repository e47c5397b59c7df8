"""Who may do what in a KI's workspace: one table, checked by views, API and services.

KI-Leitung: everything, including staff accounts and the audit trail.
Fachkraft: create and edit programmes, measures, sessions and partners.
Verwaltung: create and edit partners and networks; read the rest.
Lesend: read only.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied

from kinrw.accounts.models import User
from kinrw.workspace.models import Membership, Role


class Area(enum.StrEnum):
    PROGRAMMES = "programmes"  # enrolments
    MEASURES = "measures"
    SESSIONS = "sessions"
    PARTNERS = "partners"  # organisations, contacts, agreements, Gremien
    STAFF = "staff"  # accounts and their roles
    AUDIT = "audit"


class Action(enum.StrEnum):
    READ = "read"
    WRITE = "write"


_UNSET = object()
_WORK = {Area.PROGRAMMES, Area.MEASURES, Area.SESSIONS, Area.PARTNERS}

PERMISSIONS: dict[Role, dict[Action, set[Area]]] = {
    Role.LEITUNG: {Action.READ: set(Area), Action.WRITE: set(Area)},
    Role.FACHKRAFT: {Action.READ: set(_WORK), Action.WRITE: set(_WORK)},
    Role.VERWALTUNG: {Action.READ: set(_WORK), Action.WRITE: {Area.PARTNERS}},
    Role.LESEND: {Action.READ: set(_WORK), Action.WRITE: set()},
}


def role_of(user: User | None) -> Role | None:
    """The account's role in the KI whose schema is active (None: no access)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = user.__dict__.get("_kinrw_role", _UNSET)  # one query per request, not per check
    if cached is not _UNSET:
        return cached  # type: ignore[no-any-return]
    membership = Membership.objects.filter(user_id=user.pk).only("role").first()
    role = Role(membership.role) if membership is not None else None
    user.__dict__["_kinrw_role"] = role
    return role


def forget_role(user: User) -> None:
    """After a role change of this very account object (tests, services)."""
    user.__dict__.pop("_kinrw_role", None)


def can(user: User | None, action: Action, area: Area) -> bool:
    role = role_of(user)
    return role is not None and area in PERMISSIONS[role][action]


def require(user: User | None, action: Action, area: Area) -> None:
    if not can(user, action, area):
        raise PermissionDenied(
            "Dafür fehlt Ihrem Konto die Berechtigung; bitte wenden Sie sich an Ihre KI-Leitung."
        )

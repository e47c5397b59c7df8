"""API tokens of the current KI: made and revoked here, audited, the key never stored.

A key is ``kinrw_`` plus 43 random URL-safe characters. The table keeps its
SHA-256 hash (to find it) and its first characters (to recognise it in lists);
the key itself is returned once to the caller and appears in no log and no
audit entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from kinrw.accounts.models import User
from kinrw.workspace.audit import audit_record
from kinrw.workspace.models import ApiToken, AuditAction, Membership
from kinrw.workspace.roles import Action, Area, can
from kinrw.workspace.services.errors import WorkspaceError

KEY_PREFIX = "kinrw_"
SHOWN_CHARS = 12  # "kinrw_" and six random characters: enough to tell keys apart in a list


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _may_manage(actor: User | None, user: User) -> bool:
    """The system (CLI), the account itself, or the KI-Leitung."""
    return actor is None or actor.pk == user.pk or can(actor, Action.WRITE, Area.STAFF)


@transaction.atomic
def api_token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the plain key (shown once, never stored)."""
    if not _may_manage(actor, user):
        raise WorkspaceError(
            _g("Schlüssel für andere Konten kann nur die KI-Leitung anlegen."), field="user"
        )
    name = name.strip()
    if not name:
        raise WorkspaceError(
            _g("Bitte eine Bezeichnung angeben, z. B. wofür der Schlüssel gebraucht wird."),
            field="name",
        )
    if len(name) > 100:
        raise WorkspaceError(_g("Die Bezeichnung hat höchstens 100 Zeichen."), field="name")
    if not user.is_active:
        raise WorkspaceError(
            _g("Das Konto %(account)s ist deaktiviert.") % {"account": user}, field="user"
        )
    if not Membership.objects.filter(user=user).exists():
        raise WorkspaceError(
            _g(
                "Das Konto %(account)s hat keine Rolle in diesem KI; "
                "bitte zuerst eine Rolle vergeben."
            )
            % {"account": user},
            field="user",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise WorkspaceError(_g("Das Ablaufdatum liegt in der Vergangenheit."), field="expires_at")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:SHOWN_CHARS],
        key_hash=key_hash(key),
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        changes={
            "user": [None, user.pk],
            "name": [None, name],
            "prefix": [None, token.prefix],
            "expires_at": [None, expires_at.isoformat() if expires_at else None],
        },
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """The key stops working at once; the entry stays (who had it, when it was used)."""
    if not _may_manage(actor, token.user):
        raise WorkspaceError(_g("Schlüssel anderer Konten kann nur die KI-Leitung widerrufen."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=token,
        changes={"revoked_at": [None, token.revoked_at.isoformat()]},
    )
    return token

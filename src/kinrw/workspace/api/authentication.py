"""Token authentication: ``Authorization: Bearer <key>`` (or ``Token <key>``).

The key is looked up by its SHA-256 hash in the schema of the KI whose host
was called, so a key of Köln is unknown on Bonn's host (401).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from kinrw.accounts.models import User
from kinrw.workspace.models import ApiToken
from kinrw.workspace.services.tokens import key_hash

KEYWORDS = (b"bearer", b"token")
# "last used" is for people, not an access log: at most one write per token and minute
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: session authentication may still apply
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ungültige Anmeldung: nach „Bearer“ bitte genau einen Schlüssel senden.")
            )
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Ungültiger Schlüssel.")) from None
        return self._check(key)

    def _check(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
        now = timezone.now()
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Unbekannter Schlüssel: ein Schlüssel gilt nur auf dem Host seines KI.")
            )
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Dieser Schlüssel ist widerrufen."))
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("Dieser Schlüssel ist abgelaufen; bitte einen neuen anlegen lassen.")
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Das Konto dieses Schlüssels ist deaktiviert."))
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token (Swagger UI offers a field for it)."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "API-Schlüssel des KI: „Authorization: Bearer <Schlüssel>“ "
                "(auch „Token <Schlüssel>“)."
            ),
        }

"""What the signed-in account may do in this KI, for navigation and buttons (lazy)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kinrw.workspace.roles import PERMISSIONS, Action, role_of


def _permissions(request: HttpRequest) -> dict[str, set[str]]:
    role = role_of(request.user)  # type: ignore[arg-type]
    if role is None:
        return {"read": set(), "write": set()}
    return {
        "read": {str(a) for a in PERMISSIONS[role][Action.READ]},
        "write": {str(a) for a in PERMISSIONS[role][Action.WRITE]},
    }


def permissions(request: HttpRequest) -> dict[str, Any]:
    """``ws_perms.read`` / ``ws_perms.write``: sets of area names (e.g. ``"measures"``)."""
    if getattr(request, "tenant", None) is None or getattr(request.tenant, "schema_name", "") in (
        "",
        "public",
    ):
        return {}
    return {"ws_perms": SimpleLazyObject(lambda: _permissions(request))}

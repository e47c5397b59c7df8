"""The role table (:mod:`kinrw.workspace.roles`) applied to the API.

Each view names its area; reading (GET, HEAD, OPTIONS) needs the role's read
right for it, everything else its write right. No account: 401; an account
without a role in this KI, or without the right: 403. A view that names no
area is closed to everyone.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from kinrw.workspace.roles import Action, Area, can, role_of


class AreaPermission(permissions.BasePermission):
    message = _(
        "Dafür fehlt Ihrem Konto die Berechtigung; bitte wenden Sie sich an Ihre KI-Leitung."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        area: Area | None = getattr(view, "area", None)
        if area is None or not request.user or not request.user.is_authenticated:
            return False
        if role_of(request.user) is None:
            self.message = _("Ihr Konto hat keine Rolle in diesem KI.")
            return False
        action = Action.READ if request.method in permissions.SAFE_METHODS else Action.WRITE
        return can(request.user, action, area)

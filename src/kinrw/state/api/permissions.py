"""Who may use the State API: Land accounts whose role includes figures.

Ministerium and LaKI see every KI, a Bezirksregierung the KIs of its
Regierungsbezirk (:func:`kinrw.state.selectors.scope`). Plattformbetrieb and
accounts without a Land role: 403; no session: 403 (session authentication only).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from kinrw.state.selectors import scope


class LandFiguresPermission(permissions.BasePermission):
    message = _(
        "Ihr Zugang zur Landesebene umfasst keine Programmzahlen. Wenden Sie sich an das "
        "Ministerium, wenn Sie die Zahlen sehen müssen."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            return False
        return scope(request.user) is not None

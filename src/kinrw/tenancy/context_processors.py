from __future__ import annotations

from django.http import HttpRequest


def tenant(request: HttpRequest) -> dict[str, object]:
    ki = getattr(request, "tenant", None)
    return {"ki": ki, "is_land": ki is None}

"""Login throttling and lockout with django-axes (ADR 0013).

Failed logins are counted per e-mail address *and* client address, in the schema of
the host (a KI's staff in the KI's schema, the Land's accounts in public): an
attacker guessing one account locks out only that account from that address, and
nothing in one KI touches another. After ``KINRW_LOGIN_FAILURE_LIMIT`` failures the
pair is refused, also with the right password, until ``KINRW_LOGIN_COOLOFF_MINUTES``
have passed or an operator unlocks it (``kinrw accounts unlock``).
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesBackend):
    """Axes' check, for logins with a request (the login pages) only.

    Authentication without a request (the test client's ``login``, a script) has no
    client to throttle; axes would refuse it outright, here it is passed on to the
    next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address tried, in one spelling (the login form's ``username`` field)."""
    value = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(value).strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy the last address
    that proxy added to ``X-Forwarded-For`` (the client can only forge earlier ones)."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    trusted = "*" in settings.KINRW_PROXIES or remote in settings.KINRW_PROXIES
    if trusted and forwarded:
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return remote


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The German page a locked-out login gets (HTTP 429), saying what to do."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = render(
        request,
        "accounts/locked.html",
        {"minutes": minutes, "on_land_host": getattr(request, "tenant", None) is None},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response.headers["Cache-Control"] = "no-store"
    if minutes:
        response.headers["Retry-After"] = str(minutes * 60)
    return response

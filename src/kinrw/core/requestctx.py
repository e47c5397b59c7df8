"""What every log line and error report of a request knows: its id and its KI.

``RequestIdMiddleware`` (first in the chain) takes the id from an incoming
``X-Request-ID`` header when it looks sane (8–128 letters, digits, ``.-_``; a
proxy or ingress usually sets one), else makes one, and returns it in the
response's ``X-Request-ID``; it also writes the access log line (logger
``kinrw.access``: method, path, status, duration; no client address, no query
string). ``TenantContextMiddleware`` (right after the tenant middleware) records
the KI of the request for logs and the ``tenant`` tag of error reports. Both live
in context variables, so they never reach another request on the same thread.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kinrw.core.redact import scrub_path

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

access_log = logging.getLogger("kinrw.access")
_QUIET_PATHS = frozenset({"/healthz", "/healthz/", "/readyz", "/readyz/"})  # probes: no line

_request_id: ContextVar[str | None] = ContextVar("kinrw_request_id", default=None)
_tenant: ContextVar[str | None] = ContextVar("kinrw_tenant", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def current_tenant_label() -> str | None:
    """The KI of the running request (slug, or ``public`` on the Land host), if any."""
    return _tenant.get()


def tenant_label() -> str:
    """The KI of the request, else of the active schema (a task, a command): its slug,
    or the schema's name (``public``)."""
    label = _tenant.get()
    if label is not None:
        return label
    try:
        from django.db import connection

        tenant = connection.tenant
        slug = getattr(tenant, "slug", None)
        return str(slug) if slug else str(connection.schema_name)
    except Exception:  # settings or database not ready (early start-up): say so, never fail
        return "unbekannt"


def request_id_from(value: str | None) -> str:
    if value and _SANE_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        rid = request_id_from(request.headers.get(HEADER))
        request.request_id = rid  # type: ignore[attr-defined]
        id_token = _request_id.set(rid)
        tenant_token = _tenant.set(None)
        try:
            if settings.SENTRY_DSN:
                import sentry_sdk

                sentry_sdk.set_tag("request_id", rid)
            response = self.get_response(request)
            if request.path_info not in _QUIET_PATHS:
                _log_access(request, response, time.perf_counter() - started)
        finally:
            _request_id.reset(id_token)
            _tenant.reset(tenant_token)
        response.headers[HEADER] = rid
        return response


class TenantContextMiddleware:
    """After ``TenantMiddleware``: the KI of this request, for logs and Sentry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        label = str(tenant.slug) if tenant is not None else "public"
        _tenant.set(label)  # reset by RequestIdMiddleware when the request ends
        if settings.SENTRY_DSN:
            from kinrw.core import sentry

            sentry.set_tenant_tag(label)
        return self.get_response(request)


def _log_access(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
    """One line per request: no client address, no user agent, no query string."""
    path = scrub_path(request.path_info)
    duration_ms = round(seconds * 1000, 1)
    access_log.info(
        "%s %s %s %sms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            "http": {
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            }
        },
    )

"""Kubernetes probes that answer on any host, a bare pod IP included.

This middleware sits first: it never calls ``request.get_host()`` (so
ALLOWED_HOSTS does not apply) and never looks up a tenant.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from kinrw.tenancy.context import use_public_schema


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in ("/healthz", "/healthz/"):
            return JsonResponse({"status": "ok"})
        if path in ("/readyz", "/readyz/"):
            return readiness()
        return self.get_response(request)


def readiness() -> HttpResponse:
    use_public_schema()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not ready"; the reason goes to the log only
        import logging

        logging.getLogger("kinrw.health").warning("readiness check failed", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

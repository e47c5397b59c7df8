"""Counting every SQL statement a request sends, at the driver (psycopg) level.

Django's ``execute_wrapper`` and ``assertNumQueries`` do not see statements
run on the raw psycopg cursor: django-tenants' ``SET search_path`` and
Django's connection health check (``SELECT 1``). The bench backends install a
cursor class that records every ``execute`` of the thread's connection, so
the count is what the database server receives. The listener thread of the
host cache uses its own connection and cursors and is not counted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Bench-SQL"
_local = threading.local()


def kind_of(query: object) -> str:
    if isinstance(query, bytes):
        text = query.decode(errors="replace")
    elif isinstance(query, str):
        text = query
    else:
        text = str(query)
    text = " ".join(text.split())
    upper = text.upper()
    if upper.startswith("SET SEARCH_PATH"):
        return "search_path"
    if upper == "SELECT 1":
        return "health_check"
    if "kinrw_bench_item" in text:
        return "view"
    if "tenancy_domain" in text or "tenancy_tenant" in text:
        return "tenant_lookup"
    if upper.startswith("SET ") or "SET_CONFIG(" in upper:
        return "connection_setup"  # e.g. Django's time zone on a new connection
    return "other"


def _record(query: object) -> None:
    log = getattr(_local, "log", None)
    if log is None:
        log = _local.log = []
    log.append(kind_of(query))


def take() -> list[str]:
    """The statements this thread sent since the last call (and forget them)."""
    log = getattr(_local, "log", None) or []
    _local.log = []
    return log


@cache
def counting_cursor(base: type) -> type:
    class CountingCursor(base):  # type: ignore[misc, valid-type]
        def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            _record(query)
            return super().execute(query, *args, **kwargs)

        def executemany(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            _record(query)
            return super().executemany(query, *args, **kwargs)

    CountingCursor.__name__ = CountingCursor.__qualname__ = f"Counting{base.__name__}"
    return CountingCursor


class CountingMixin:
    """Put in front of a DatabaseWrapper: its connections use a counting cursor class."""

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()  # type: ignore[misc]
        params["cursor_factory"] = counting_cursor(params["cursor_factory"])
        return params


class SQLCountMiddleware:
    """Outermost middleware: lists the request's statements in a response header.

    Statements sent on this thread after the previous response left (none are
    expected) are reported with the next request as ``after_previous:<kind>``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        before = [f"after_previous:{kind}" for kind in take()]
        response = self.get_response(request)
        response.headers[HEADER] = ",".join(before + take()) or "-"
        return response

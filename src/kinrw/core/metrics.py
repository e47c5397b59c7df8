"""Prometheus metrics at ``/metrics``, for operators only (ADR 0013).

Who gets them:

* a scraper with ``Authorization: Bearer <KINRW_METRICS_TOKEN>``, on any host (also a
  bare pod IP, like the health probes): answered by :class:`MetricsMiddleware` before
  the tenant lookup. A wrong token gets 403.
* a signed-in Land account with the role Plattformbetrieb, on the Land host
  (:func:`metrics_view`). Everybody else gets 404; KI hosts have no such page.

What they hold: requests by method and status class, request durations, failed and
locked-out logins, KIs by status, and the process's own figures. No label names a KI,
a person or a path, so the number of series stays fixed.

Several gunicorn workers: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder per
instance; every worker writes there and each scrape sums all of them.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric

PATH = "/metrics"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "kinrw_http_requests",
    "HTTP requests answered, by method and status class",
    ["method", "status"],
)
DURATION = Histogram(
    "kinrw_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response leaves the middleware)",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LOGIN_FAILURES = Counter("kinrw_login_failures", "Failed logins, by host kind", ["host"])
LOCKOUTS = Counter("kinrw_login_lockouts", "Logins refused by a lockout, by host kind", ["host"])


def host_kind(request: HttpRequest | None) -> str:
    """``ki`` or ``land``: the only label that says where (never which KI)."""
    return "land" if request is None or getattr(request, "tenant", None) is None else "ki"


class TenantCollector:
    """KIs by status, read from the public schema at scrape time (one query)."""

    def collect(self) -> Iterator[Metric]:
        from django.db.models import Count

        from kinrw.tenancy.context import in_public
        from kinrw.tenancy.models import Status, Tenant

        family = GaugeMetricFamily(
            "kinrw_tenants", "KIs on the platform by status", labels=["status"]
        )
        with in_public():
            counts = dict(Tenant.objects.values_list("status").annotate(n=Count("id")))
        for status in Status.values:
            family.add_metric([str(status)], counts.get(status, 0))
        yield family


def render() -> HttpResponse:
    """The process's metrics (or all workers' with ``PROMETHEUS_MULTIPROC_DIR``) and ours."""
    multiproc = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=multiproc)
    else:
        registry = REGISTRY
    tenants = CollectorRegistry()
    tenants.register(TenantCollector())
    body = generate_latest(registry) + generate_latest(tenants)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_valid(presented: str) -> bool:
    expected = settings.KINRW_METRICS_TOKEN
    return bool(expected) and hmac.compare_digest(presented.encode(), expected.encode())


class MetricsMiddleware:
    """Counts every request; answers ``/metrics`` to a scraper with the right token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == PATH:
            presented = _bearer(request)
            if presented is not None:
                if token_valid(presented):
                    return render()
                return HttpResponse(status=403)
            return self.get_response(request)  # the Land host's page for operators
        started = time.perf_counter()
        response = self.get_response(request)
        DURATION.observe(time.perf_counter() - started)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(method=method, status=f"{response.status_code // 100}xx").inc()
        return response


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics`` on the Land host: for signed-in operators (Plattformbetrieb) only."""
    from kinrw.state.models import LandRole

    user = request.user
    access = getattr(user, "land_access", None) if user.is_authenticated else None
    if access is None or access.role != LandRole.PLATTFORMBETRIEB:
        raise Http404
    return render()


def _count_failure(
    sender: object, credentials: object = None, request: object = None, **_: object
) -> None:
    LOGIN_FAILURES.labels(host=host_kind(request)).inc()  # type: ignore[arg-type]


def _count_lockout(sender: object, request: object = None, **_: object) -> None:
    LOCKOUTS.labels(host=host_kind(request)).inc()  # type: ignore[arg-type]


def connect_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(_count_failure, dispatch_uid="kinrw_metrics_login_failed")
    user_locked_out.connect(_count_lockout, dispatch_uid="kinrw_metrics_lockout")

"""Request benchmark, baseline: the same Django as a plain single-tenant site.

Same settings as :mod:`settings_tenant` (DEBUG off, CONN_MAX_AGE, health
checks, security, sessions, CSRF, locale, messages …) minus tenancy: Django's
own PostgreSQL backend (with the same statement counter), django-tenants not
installed, no tenancy middleware, no router; the bench table lives in
``public``. Our own apps stay installed because their models import each
other (e.g. ``state`` uses ``tenancy``); apps cost nothing per request.
"""

from __future__ import annotations

from kinrw.benchmarks.settings_ours import *  # noqa: F403
from kinrw.benchmarks.settings_ours import DATABASES, INSTALLED_APPS, MIDDLEWARE

TENANCY_APPS = {"django_tenants"}
TENANCY_MIDDLEWARE = {
    "kinrw.tenancy.middleware.TenantMiddleware",
    "kinrw.tenancy.middleware.SessionBindingMiddleware",
}

DATABASES["default"]["ENGINE"] = "kinrw.benchmarks.backends.plain"
DATABASE_ROUTERS: list[str] = []
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in TENANCY_APPS]
MIDDLEWARE = [
    "kinrw.benchmarks.sqlcount.SQLCountMiddleware",
    *(m for m in MIDDLEWARE if m not in TENANCY_MIDDLEWARE),
]
ROOT_URLCONF = "kinrw.benchmarks.urls"

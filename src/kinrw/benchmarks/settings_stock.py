"""Request benchmark, for reference: django-tenants' own request path.

:mod:`settings_tenant` with django-tenants' ``TenantMainMiddleware`` and
PostgreSQL backend (statement counter on top) instead of ours; everything
else, ``TENANT_LIMIT_SET_CALLS`` included, as in production.
"""

from __future__ import annotations

from kinrw.benchmarks.settings_tenant import *  # noqa: F403
from kinrw.benchmarks.settings_tenant import DATABASES, MIDDLEWARE

DATABASES["default"]["ENGINE"] = "kinrw.benchmarks.backends.stock"
MIDDLEWARE = [
    "django_tenants.middleware.main.TenantMainMiddleware"
    if m == "kinrw.tenancy.middleware.TenantMiddleware"
    else m
    for m in MIDDLEWARE
]

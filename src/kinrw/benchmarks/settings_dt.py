"""Baseline for onboarding and fleet migration: django-tenants as it comes.

Same models, apps and database as :mod:`settings_ours`, but django-tenants'
own PostgreSQL backend instead of ``kinrw.tenancy.backend``.
"""

from __future__ import annotations

from kinrw.benchmarks.settings_ours import *  # noqa: F403
from kinrw.benchmarks.settings_ours import DATABASES

DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"

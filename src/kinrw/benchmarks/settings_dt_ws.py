""":mod:`settings_dt` (django-tenants as it comes) plus the same workspace app as
:mod:`settings_ours_ws`: both sides of a line always have the same models."""

from __future__ import annotations

from kinrw.benchmarks import workspace_model
from kinrw.benchmarks.settings_dt import *  # noqa: F403
from kinrw.benchmarks.settings_dt import SHARED_APPS, TENANT_APPS

TENANT_APPS, INSTALLED_APPS = workspace_model.install(TENANT_APPS, SHARED_APPS)

""":mod:`settings_ours` plus the bench-only workspace app (26 tenant models).

Used for the "26 tenant models" lines of ``kinrw bench onboarding`` and
``kinrw bench migrate``, and to make that app's migrations::

    DJANGO_SETTINGS_MODULE=kinrw.benchmarks.settings_ours_ws \\
    DATABASE_URL=postgres://…/kinrw_bench_mk kinrw django makemigrations benchws
"""

from __future__ import annotations

from kinrw.benchmarks import workspace_model
from kinrw.benchmarks.settings_ours import *  # noqa: F403
from kinrw.benchmarks.settings_ours import SHARED_APPS, TENANT_APPS

TENANT_APPS, INSTALLED_APPS = workspace_model.install(TENANT_APPS, SHARED_APPS)

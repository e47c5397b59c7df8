"""The Celery app: tenant-aware tasks (tenant-schemas-celery), settings ``CELERY_*`` (ADR 0010).

Worker and beat: ``celery -A kinrw.conf.celery worker -B``. A task sent from a KI's
schema carries its schema name in a header and runs in that schema.
"""

from __future__ import annotations

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinrw.conf.settings")

app = CeleryApp("kinrw")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["kinrw.state"])

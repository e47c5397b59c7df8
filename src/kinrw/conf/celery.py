"""The Celery app: tenant-aware tasks (tenant-schemas-celery), settings ``CELERY_*`` (ADR 0010).

Worker and beat: ``celery -A kinrw.conf.celery worker -B``. A task sent from a KI's
schema carries its schema name in a header and runs in that schema.
"""

from __future__ import annotations

import os

from celery.signals import beat_embedded_init, beat_init
from tenant_schemas_celery.app import CeleryApp

from kinrw.core import heartbeat, jsonlog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinrw.conf.settings")

app = CeleryApp("kinrw")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["kinrw.state"])
jsonlog.use_for_celery()  # worker and beat log JSON lines too (ADR 0013)
heartbeat.install(app)  # the file the liveness probe checks (kinrw worker-alive)


_relay_started: set[int] = set()  # process ids: an embedded beat sends both signals


@beat_init.connect
@beat_embedded_init.connect
def start_outbox_relay(**_: object) -> None:
    """The one beat process also relays outbox rows right after their commit."""
    if os.environ.get("KINRW_OUTBOX_RELAY", "1") == "0" or os.getpid() in _relay_started:
        return
    _relay_started.add(os.getpid())
    from kinrw.state.relay import Relay
    from kinrw.state.tasks import send

    Relay(send).start()

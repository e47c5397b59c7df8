"""The worker's heartbeat file: what the liveness probe of a Celery worker looks at.

A worker started with ``KINRW_WORKER_HEARTBEAT_FILE`` set touches that file every
``KINRW_WORKER_HEARTBEAT_SECONDS`` from its own timer (the event loop of the main process
with the prefork pool), and removes it when it stops. ``kinrw worker-alive`` (the probe)
checks that the file was touched recently; it needs no broker and no database, so a slow
Redis does not make a healthy worker look dead. A main process that hangs stops touching
the file, and the probe fails.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from celery import Celery, bootsteps

ENV_FILE = "KINRW_WORKER_HEARTBEAT_FILE"
logger = logging.getLogger("kinrw.heartbeat")


def touch(path: Path) -> None:
    """Write the current time into ``path`` (atomically, so a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(f"{time.time():.3f}\n")
    partial.replace(path)


def age(path: Path) -> float | None:
    """Seconds since the last heartbeat, or None when there is none."""
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except FileNotFoundError:
        return None


def is_fresh(path: Path, max_age: float) -> bool:
    seconds = age(path)
    return seconds is not None and seconds <= max_age


class Heartbeat(bootsteps.StartStopStep):
    """Worker bootstep: touch the heartbeat file on the worker's timer."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        from django.conf import settings

        self.path = Path(settings.KINRW_WORKER_HEARTBEAT_FILE or ".")
        self.interval = float(settings.KINRW_WORKER_HEARTBEAT_SECONDS)
        self.enabled = bool(settings.KINRW_WORKER_HEARTBEAT_FILE)
        self.tref: Any = None
        super().__init__(parent, **kwargs)

    def start(self, parent: Any) -> None:
        touch(self.path)
        self.tref = parent.timer.call_repeatedly(self.interval, self._beat, priority=10)
        logger.info("Herzschlag des Workers alle %s s in %s", self.interval, self.path)

    def stop(self, parent: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        self.path.unlink(missing_ok=True)

    def _beat(self) -> None:
        try:
            touch(self.path)
        except OSError:  # a full or read-only disk: the probe will tell
            logger.warning("Herzschlag nicht geschrieben: %s", self.path, exc_info=True)


def install(app: Celery) -> None:
    """Add the heartbeat step to ``app``'s workers (it is off without the setting)."""
    app.steps["worker"].add(Heartbeat)


def main_path() -> Path | None:
    """The heartbeat file named in the environment (the probe runs without Django)."""
    configured = os.environ.get(ENV_FILE, "")
    return Path(configured) if configured else None

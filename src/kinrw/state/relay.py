"""The outbox relay: hands a KI's new outbox rows to the worker right after the commit.

The outbox trigger says ``NOTIFY kinrw_outbox, '<schema>'`` when it writes a row
(migration ``workspace.0013_outbox_notify``); PostgreSQL delivers it only once the
writing transaction has committed. One thread in the beat process (exactly one
runs, ADR 0010) listens on its own connection and relays that KI's due rows
(:func:`kinrw.state.outbox.relay`). Whatever it misses (while it reconnects, or a
message lost with a worker) the sweep finds a few seconds later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import psycopg
from django.db import close_old_connections, connection

from kinrw.state import outbox
from kinrw.tenancy.context import in_public
from kinrw.tenancy.dbconn import conninfo
from kinrw.tenancy.models import Tenant

logger = logging.getLogger(__name__)

CHANNEL = "kinrw_outbox"
RECONNECT_SECONDS = 2.0


class Relay:
    """Listens for outbox notifications and relays each notified KI once per batch."""

    def __init__(self, send: outbox.Sender) -> None:
        self.send = send
        self.stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is active (tests wait for it)
        self._tenants: dict[str, Tenant] = {}

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="kinrw-outbox-relay", daemon=True)
        thread.start()
        return thread

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    self._listen()
                except Exception:  # the relay must never take the beat down; the sweep covers
                    logger.warning("outbox relay lost its connection; the sweep covers meanwhile")
                self.listening.clear()
                self.stop.wait(RECONNECT_SECONDS)
        finally:
            connection.close()  # this thread's Django connection

    def _listen(self) -> None:
        with psycopg.connect(autocommit=True, **conninfo()) as conn:  # type: ignore[arg-type]
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            while not self.stop.is_set():
                schemas = [n.payload for n in conn.notifies(timeout=1.0, stop_after=1)]
                if schemas:
                    # whatever else arrived meanwhile, without waiting
                    schemas += [n.payload for n in conn.notifies(timeout=0)]
                    self.relay(schemas)

    def relay(self, schemas: Iterable[str]) -> int:
        """Relay each KI once; a KI that fails is left to the sweep."""
        close_old_connections()
        total = 0
        for schema in dict.fromkeys(schemas):  # once each, in arrival order
            tenant = self._tenant(schema)
            if tenant is None:
                continue
            try:
                total += outbox.relay(tenant, self.send)
            except Exception:
                logger.warning("outbox relay of %s failed; the sweep sends it again", schema)
        return total

    def _tenant(self, schema: str) -> Tenant | None:
        if schema not in self._tenants:
            with in_public():
                found = outbox.active_tenants().filter(schema_name=schema).first()
            if found is None:
                return None
            self._tenants[schema] = found
        return self._tenants[schema]

"""Connections of our own, beside Django's (listener, cross-process locks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connections

FLEET_LOCK = 0x4B49_4E52_5703  # advisory lock key: one fleet migration at a time


def conninfo() -> dict[str, object]:
    """psycopg connection arguments of the default database, without Django's extras."""
    params = dict(connections["default"].get_connection_params())
    for key in ("options", "cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    return params


@contextmanager
def held_lock(key: int) -> Iterator[None]:
    """A session advisory lock on a connection of its own.

    Survives ``connections.close_all()`` (before forking workers), which would
    silently release a lock held on Django's connection.
    """
    with psycopg.connect(autocommit=True, **conninfo()) as conn:  # type: ignore[arg-type]
        conn.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [key])

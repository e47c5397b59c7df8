"""Receives ``NOTIFY kinrw_tenancy`` and empties the host cache of this process.

One daemon thread per process (started lazily, so after a fork), on its own
connection. :func:`ensure_started` says whether the cache may be used: only
while the listener is connected.
"""

from __future__ import annotations

import logging
import os
import threading

import psycopg

from kinrw.tenancy.dbconn import conninfo

logger = logging.getLogger(__name__)

CHANNEL = "kinrw_tenancy"
_state: dict[str, object] = {"pid": 0, "connected": False, "thread": None}
_stop = threading.Event()
_start_lock = threading.Lock()
_disabled = os.environ.get("KINRW_TENANT_LISTENER", "1") == "0"


def ensure_started() -> bool:
    if _disabled:
        return False
    if _state["pid"] != os.getpid():
        with _start_lock:
            if _state["pid"] != os.getpid():
                _state["pid"] = os.getpid()
                _state["connected"] = False
                _stop.clear()
                thread = threading.Thread(target=_run, name="kinrw-tenancy-listener", daemon=True)
                _state["thread"] = thread
                thread.start()
    return bool(_state["connected"])


def _run() -> None:
    from kinrw.tenancy import hostcache

    pid = os.getpid()
    delay = 1.0
    while _state["pid"] == pid and not _stop.is_set():
        try:
            with psycopg.connect(autocommit=True, **conninfo()) as conn:  # type: ignore[arg-type]
                conn.execute(f"LISTEN {CHANNEL}")
                hostcache.clear()  # anything may have changed while we were away
                _state["connected"] = True
                delay = 1.0
                while not _stop.is_set():
                    for _notice in conn.notifies(timeout=1.0):
                        hostcache.clear()
        except Exception:  # the listener must never take the process down
            logger.warning("tenancy listener lost its connection; host cache bypassed")
        _state["connected"] = False
        hostcache.clear()
        if _stop.wait(delay):
            break
        delay = min(delay * 2, 30.0)


def stop() -> None:
    """Stop this process's listener (tests; shutdown) and bypass the cache."""
    _stop.set()
    thread = _state.get("thread")
    if isinstance(thread, threading.Thread) and thread.is_alive():
        thread.join(timeout=5)
    _state["pid"] = 0
    _state["connected"] = False
    _state["thread"] = None

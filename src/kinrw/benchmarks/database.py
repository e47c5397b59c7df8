"""The benchmark's own database: created fresh on the developer's server, dropped after.

The server is the one ``DATABASE_URL`` points at, or the embedded PostgreSQL
when it is unset (ADR 0004). Only a database whose name starts with
``kinrw_bench`` is ever created or dropped here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

import psycopg
from psycopg import sql

PREFIX = "kinrw_bench"
MAINTENANCE_DB = "postgres"  # CREATE/DROP DATABASE run from here


class BenchDatabaseError(Exception):
    """The benchmark database cannot be prepared; the message says why."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str
    main_database: str  # the developer's database: never touched, only named in checks

    def connect(self, dbname: str, **kwargs: object) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=dbname,
            **kwargs,  # type: ignore[arg-type]
        )

    def url(self, dbname: str) -> str:
        """A DATABASE_URL for child processes (Unix sockets via ``?host=``)."""
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        if self.host.startswith("/"):
            return f"postgres://{auth}@/{dbname}?host={quote(self.host)}&port={self.port}"
        return f"postgres://{auth}@{self.host}:{self.port}/{dbname}"


def find_server() -> Server:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        import environ

        config = environ.Env.db_url_config(url)
        options = config.get("OPTIONS") or {}
        host = str(options.get("host") or config.get("HOST") or "127.0.0.1")
        port = int(options.get("port") or config.get("PORT") or 5432)
        return Server(
            host=host,
            port=port,
            user=str(config.get("USER") or "postgres"),
            password=str(config.get("PASSWORD") or ""),
            main_database=str(config.get("NAME") or ""),
        )
    from kinrw.core import embedded_pg

    embedded = embedded_pg.ensure_running(PREFIX)
    return Server(
        host=embedded.socket_dir,
        port=embedded.port,
        user="postgres",
        password="",
        main_database=embedded_pg.DEFAULT_DB_NAME,
    )


def _check_name(name: str) -> None:
    if not name.startswith(PREFIX) or not name.replace("_", "").isalnum():
        raise BenchDatabaseError(
            f"Benchmark-Datenbank „{name}“: der Name muss mit {PREFIX} beginnen."
        )


def recreate(server: Server, name: str) -> None:
    """Drop ``name`` if a previous run left it, then create it empty."""
    _check_name(name)
    try:
        with server.connect(MAINTENANCE_DB, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise BenchDatabaseError(f"Benchmark-Datenbank „{name}“ nicht anlegbar: {exc}") from exc


def vacuum(server: Server, name: str) -> None:
    """``VACUUM (ANALYZE)`` the whole database once set-up has filled its catalogs.

    Creating 54 KI schemas leaves many new and dead rows in ``pg_class``,
    ``pg_attribute`` and friends; without this, autovacuum would process them
    in the middle of the first measurements, on whichever side happens to run.
    """
    _check_name(name)
    with server.connect(name, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def drop(server: Server, name: str) -> None:
    _check_name(name)
    with server.connect(MAINTENANCE_DB, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def child_env(server: Server, name: str, *, static_root: str, registry: str) -> dict[str, str]:
    """Environment of every process the benchmark starts (workers, servers, CLI)."""
    env = dict(os.environ)
    env["DATABASE_URL"] = server.url(name)
    env["DJANGO_DEBUG"] = "0"
    env.setdefault("DJANGO_SECRET_KEY", "kinrw-bench-only-" + os.urandom(16).hex())
    env["KINRW_STATIC_ROOT"] = static_root
    env["KINRW_REGISTRY_PATH"] = registry
    env["KINRW_TENANT_LISTENER"] = "1"
    env.setdefault("KINRW_LOG_LEVEL", "WARNING")
    env.pop("KINRW_FAULT", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env

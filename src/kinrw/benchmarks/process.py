"""What ``kinrw bench workspace`` and ``kinrw bench state`` share: a database of their
own for the run (:func:`bench_database`), the measuring process, the JSON results.

The orchestrator (no Django) starts ``python -m <module> PARAMS_JSON`` with the
production settings on the benchmark database; the process prints progress to
stderr and one JSON line to stdout: ``{"result": …}`` or ``{"error": traceback}``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from kinrw.benchmarks import database
from kinrw.benchmarks.options import SETTINGS, BenchError

Progress = Callable[[str], None]


def exists(server: database.Server, name: str) -> bool:
    with server.connect(database.MAINTENANCE_DB, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def run(module: str, env: dict[str, str], params: dict[str, Any]) -> dict[str, Any]:
    """Run the measuring ``module``; its progress goes straight to our stderr."""
    process = subprocess.run(
        [sys.executable, "-m", module, json.dumps(params)],
        env={**env, "DJANGO_SETTINGS_MODULE": SETTINGS["ours"]},
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = process.stdout.strip().splitlines()
    if not lines:
        raise BenchError(f"Messprozess ohne Ergebnis beendet (Code {process.returncode}).")
    message: dict[str, Any] = json.loads(lines[-1])
    if "error" in message:
        raise BenchError(f"Messprozess fehlgeschlagen:\n{message['error']}")
    return message["result"]


def child_main(argv: list[str], work: Callable[[dict[str, Any], Progress], dict[str, Any]]) -> int:
    """The measuring process: Django set up, ``work(params, progress)``, one JSON line."""
    channel = os.fdopen(os.dup(1), "w")  # the result line; anything else printed -> stderr
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        import django

        django.setup()
        params = json.loads(argv[1]) if len(argv) > 1 else {}

        def progress(message: str) -> None:
            print(f"▸ {message}", file=sys.stderr, flush=True)

        channel.write(json.dumps({"result": work(params, progress)}, default=str) + "\n")
    except Exception:
        channel.write(json.dumps({"error": traceback.format_exc()}) + "\n")
        return 1
    finally:
        channel.flush()
    return 0


@dataclass
class BenchRun:
    """One run of a benchmark with a database of its own: the child's environment,
    whether the filled database is reused, and the run's metadata for the JSON."""

    env: dict[str, str]
    tmp: str
    reuse: bool
    started: dt.datetime
    meta: dict[str, Any]


@contextlib.contextmanager
def bench_database(options: Any, part: str) -> Iterator[BenchRun]:
    """Create (or reuse) ``options.db_name``, yield the run, then keep or drop it.

    ``options`` carries ``db_name``, ``keep_db``, ``reuse_db`` and ``registry``.
    """
    from kinrw.benchmarks.runner import _loadavg, _resolve

    status = Console(stderr=True)
    registry = _resolve(options.registry)
    database._check_name(options.db_name)  # before anything reads or reuses it
    server = database.find_server()
    reuse = options.reuse_db and exists(server, options.db_name)
    started = dt.datetime.now().astimezone()
    meta: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "part": part,
        "database": f"{server.host}:{server.port}/{options.db_name}",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_start": _loadavg(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in options.__dict__.items()},
    }
    if not reuse:
        status.print(f"[dim]▸ Datenbank {options.db_name} neu anlegen[/]", highlight=False)
        database.recreate(server, options.db_name)
    try:
        with tempfile.TemporaryDirectory(prefix=f"kinrw-bench-{part}-") as tmp:
            env = database.child_env(
                server, options.db_name, static_root=tmp, registry=str(registry)
            )
            yield BenchRun(env=env, tmp=tmp, reuse=reuse, started=started, meta=meta)
    finally:
        if options.keep_db or options.reuse_db:
            status.print(f"[dim]▸ Datenbank {options.db_name} bleibt erhalten[/]")
        else:
            status.print(f"[dim]▸ Datenbank {options.db_name} entfernen[/]")
            database.drop(server, options.db_name)
        meta["loadavg_end"] = _loadavg()


def write_json(report: dict[str, Any], directory: Path, run: BenchRun) -> Path:
    """``<part>-<time>.json`` and ``<part>-latest.json`` in ``directory``; the first's path."""
    from kinrw.benchmarks.runner import _resolve

    directory = _resolve(directory)
    directory.mkdir(parents=True, exist_ok=True)
    part = run.meta["part"]
    path = directory / f"{part}-{run.started:%Y%m%dT%H%M%S}.json"
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    (directory / f"{part}-latest.json").write_text(text, encoding="utf-8")
    return path

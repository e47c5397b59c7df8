"""The measuring process of ``kinrw bench workspace`` and ``kinrw bench state``.

The orchestrator (no Django) starts ``python -m <module> PARAMS_JSON`` with the
production settings on the benchmark database; the process prints progress to
stderr and one JSON line to stdout: ``{"result": …}`` or ``{"error": traceback}``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import Any

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

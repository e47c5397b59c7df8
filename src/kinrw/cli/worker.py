"""The Celery worker that ``kinrw serve`` runs beside the web server (ADR 0011).

With the embedded default (no ``CELERY_BROKER_URL``, no ``DATABASE_URL``) the broker is
kombu's filesystem transport, so ``make run`` keeps the Land's facts current without Redis:
``serve`` starts one worker with beat as a child process and stops it when the web stops.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

SHOWN = "celery -A kinrw.conf.celery worker -B --pool=solo -Q kinrw"  # what serve prints
STOP_SECONDS = 15  # a warm shutdown finishes the running task; then the worker is killed


def worker_command(data_dir: Path) -> list[str]:
    """The worker with embedded beat; its schedule file lives in the data dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return [
        *(sys.executable, "-m", "celery", "-A", "kinrw.conf.celery", "--quiet"),  # no banner
        *("worker", "-B", "--pool=solo", "-Q", "kinrw", "-l", "WARNING", "-n", "kinrw@%h"),
        *("-s", str(data_dir / "celerybeat-schedule")),
        *("--without-mingle", "--without-gossip", "--without-heartbeat"),
    ]


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask the process to stop (SIGTERM), kill it when it does not within STOP_SECONDS."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_with_worker(web: Sequence[str], worker: Sequence[str]) -> int:
    """Run ``web`` in the foreground and ``worker`` beside it; return the web's exit code.

    SIGTERM and SIGINT to this process are passed on to the web; when the web ends the
    worker is stopped.
    """
    worker_process = subprocess.Popen(worker)
    try:
        web_process = subprocess.Popen(web)
        previous = signal.signal(
            signal.SIGTERM, lambda _signum, _frame: web_process.send_signal(signal.SIGTERM)
        )
        try:
            while True:
                try:
                    code = web_process.wait()
                    return code if code >= 0 else 128 - code  # killed by a signal: 128 + n
                except KeyboardInterrupt:  # pass it on (Ctrl-C reached the web too: harmless)
                    web_process.send_signal(signal.SIGINT)
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        stop(worker_process)

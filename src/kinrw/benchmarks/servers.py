"""gunicorn servers of the request benchmark: started, awaited, stopped (by their own pid)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class GunicornConfig:
    """Identical for every server of one run."""

    workers: int = 2
    threads: int = 4
    keep_alive: int = 30

    def args(self, port: int) -> list[str]:
        return [
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--keep-alive",
            str(self.keep_alive),
            "--log-level",
            "warning",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ]


@dataclass
class Server:
    name: str
    settings: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    stopped: bool = field(default=False)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the gunicorn master we started
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(
    name: str, settings: str, *, config: GunicornConfig, env: dict[str, str], log_dir: Path
) -> Server:
    port = free_port()
    log = log_dir / f"gunicorn-{name}.log"
    server_env = {**env, "DJANGO_SETTINGS_MODULE": settings}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kinrw.conf.wsgi:application", *config.args(port)],
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(name=name, settings=settings, port=port, process=process, log=log)


def wait_ready(server: Server, *, timeout: float = 60.0) -> None:
    """Until /healthz answers (no database, any host)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn ({server.name}) beendet mit Code {server.process.returncode}:\n"
                + server.log_tail()
            )
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn ({server.name}) antwortet nicht:\n" + server.log_tail())


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

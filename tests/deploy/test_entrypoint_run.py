"""The entrypoint's long-running roles, really started outside a container.

``web`` runs gunicorn against the test database and answers the probes on a bare pod
address; ``worker`` (prefork, Redis database 7: the production path) keeps its heartbeat
file fresh and removes it when it stops; ``beat`` sends the outbox sweep.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.deploy.envvars import ENTRYPOINT
from tests.kit import Kit

pytestmark = pytest.mark.slow

BROKER = "redis://127.0.0.1:6379/7"
BIN = Path(sys.executable).parent


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"nach {seconds} s nicht erreicht: {what}"
        time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def role_env(django_db_setup: Kit, cli_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment a container gets, pointed at the test database and this test's dirs."""
    (tmp_path / "static").mkdir()
    return {
        **cli_env,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "TMPDIR": str(tmp_path),
        "KINRW_DATA_DIR": str(tmp_path / "data"),
        "KINRW_STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BROKER_URL": BROKER,
    }


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(BROKER)
    client.ping()  # Redis must run (`.ci/run` starts it)
    client.flushdb()
    yield client
    client.flushdb()


def start(role: str, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            ["bash", str(ENTRYPOINT), role, *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def _get(url: str, host: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host, **headers})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_web_serves_the_probes_on_a_bare_pod_address(
    role_env: dict[str, str], tmp_path: Path
) -> None:
    port = _free_port()
    env = {**role_env, "KINRW_BIND": "127.0.0.1", "PORT": str(port), "KINRW_WEB_WORKERS": "1"}
    # as in the image: static files collected before the web starts (its pages need them)
    collect = [BIN / "kinrw", "django", "collectstatic", "--noinput", "-v0"]
    assert subprocess.run(collect, env=env, timeout=120).returncode == 0
    log = tmp_path / "web.log"
    process = start("web", env, log)
    base = f"http://127.0.0.1:{port}"
    pod = f"10.244.1.17:{port}"  # what the kubelet sends as Host
    try:

        def up() -> bool:
            assert process.poll() is None, log.read_text()
            try:
                return _get(f"{base}/healthz", pod)[0] == 200
            except OSError:
                return False

        _wait_for(up, "gunicorn antwortet")
        status, body = _get(f"{base}/healthz", pod)
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        status, body = _get(f"{base}/readyz", pod)  # no redirect to HTTPS, no tenant lookup
        assert (status, json.loads(body)) == (200, {"status": "ok", "database": "ok"})
        # behind the Ingress (HTTPS): an unknown host is no KI, the host check holds
        assert _get(f"{base}/", "nowhere.example", **{"X-Forwarded-Proto": "https"})[0] == 404
    finally:
        code = stop(process)
    assert code == 0, log.read_text()  # a graceful stop on SIGTERM


def test_worker_keeps_its_heartbeat_fresh_and_removes_it_when_stopped(
    role_env: dict[str, str], broker: redis.Redis, tmp_path: Path
) -> None:
    env = {**role_env, "KINRW_WORKER_CONCURRENCY": "1", "KINRW_WORKER_HEARTBEAT_SECONDS": "1"}
    heartbeat = tmp_path / "kinrw-worker-heartbeat"  # the entrypoint's default in $TMPDIR
    log = tmp_path / "worker.log"

    def probe() -> int:
        done = subprocess.run(
            ["bash", str(ENTRYPOINT), "worker-alive", "--max-age", "5"], env=role_env
        )
        return done.returncode

    assert probe() == 1
    process = start("worker", env, log, "--without-mingle", "--without-gossip")
    try:
        _wait_for(lambda: heartbeat.exists() or process.poll() is not None, "Herzschlag")
        assert process.poll() is None, log.read_text()
        first = heartbeat.stat().st_mtime
        _wait_for(lambda: heartbeat.stat().st_mtime > first + 1.5, "zweiter Herzschlag", 15)
        assert probe() == 0
        assert "ready." in log.read_text()
    finally:
        code = stop(process)
    assert code == 0, log.read_text()
    assert not heartbeat.exists()
    assert probe() == 1


def test_beat_sends_the_outbox_sweep(
    role_env: dict[str, str], broker: redis.Redis, tmp_path: Path
) -> None:
    env = {**role_env, "KINRW_OUTBOX_SWEEP_SECONDS": "0.5"}
    log = tmp_path / "beat.log"
    process = start("beat", env, log)
    try:
        _wait_for(
            lambda: "outbox-sweep" in log.read_text() or process.poll() is not None, "Beat sendet"
        )
        assert process.poll() is None, log.read_text()
        _wait_for(lambda: broker.llen("kinrw") > 0, "Aufgabe in der Warteschlange kinrw")
    finally:
        stop(process)
    assert list((tmp_path / "data").glob("celerybeat-schedule*"))  # in $KINRW_DATA_DIR

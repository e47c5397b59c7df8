"""The embedded default runs a worker without Redis (issue 4, part 2; ADR 0011).

Without ``CELERY_BROKER_URL`` and ``DATABASE_URL`` the broker is kombu's filesystem
transport under ``$KINRW_DATA_DIR/broker``; ``kinrw serve`` starts a worker with beat
beside gunicorn and stops it with the web. The end-to-end test runs a real worker on the
filesystem transport against the committed test database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db.models import QuerySet

from kinrw.catalogue.models import Programme
from kinrw.cli import worker as worker_module
from kinrw.cli.misc import serve
from kinrw.state.facts import Fact
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.services import enrolment_create, measure_create, session_record
from tests.kit import Kit
from tests.state.test_outbox_worker import _wait_for, fresh_ki  # noqa: F401 (fixture)

# Settings of a process without DATABASE_URL, with the embedded server replaced by a stub
# (the broker choice needs no database).
SETTINGS_CODE = (
    "from kinrw.core import embedded_pg; "
    "embedded_pg.ensure_running = lambda *a: embedded_pg.EmbeddedServer('/nowhere', 5432, None); "
    "import json; from django.conf import settings; "
    "print(json.dumps([settings.CELERY_BROKER_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "settings.CELERY_BEAT_SCHEDULE_FILENAME]))"
)


def _settings(tmp_path: Path, **env: str) -> tuple[str, dict[str, str], str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    base |= {"DJANGO_SETTINGS_MODULE": "kinrw.conf.settings", "KINRW_DATA_DIR": str(tmp_path)}
    base.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
    done = subprocess.run(
        [sys.executable, "-c", SETTINGS_CODE],
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    url, options, schedule = json.loads(done.stdout.strip().splitlines()[-1])
    return url, options, schedule


def test_the_embedded_database_without_a_broker_uses_the_filesystem(tmp_path: Path) -> None:
    url, options, schedule = _settings(tmp_path)
    broker = tmp_path / "broker"
    assert url == "filesystem://"
    assert options == {
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "processed_folder": str(broker / "processed"),
        "control_folder": str(broker / "control"),
    }
    assert all(Path(folder).is_dir() for folder in options.values())
    assert schedule == str(tmp_path / "celerybeat-schedule")  # not in the repository


def test_a_database_url_keeps_redis(tmp_path: Path, test_database_url: str) -> None:
    url, options, schedule = _settings(tmp_path, DATABASE_URL=test_database_url)
    assert (url, options) == ("redis://127.0.0.1:6379/0", {})
    assert not (tmp_path / "broker").exists()
    assert schedule == str(tmp_path / "celerybeat-schedule")


def test_a_configured_broker_wins_over_the_embedded_default(tmp_path: Path) -> None:
    url, options, _ = _settings(tmp_path, CELERY_BROKER_URL="redis://broker.example:6379/2")
    assert (url, options) == ("redis://broker.example:6379/2", {})


def test_the_worker_command_runs_beat_with_its_schedule_in_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    command = worker_module.worker_command(data)
    assert command[:5] == [sys.executable, "-m", "celery", "-A", "kinrw.conf.celery"]
    assert {"worker", "-B", "--pool=solo"} <= set(command)
    assert command[command.index("-Q") + 1] == "kinrw"
    assert command[command.index("-s") + 1] == str(data / "celerybeat-schedule")
    assert data.is_dir()


def test_the_worker_stops_when_the_web_ends(tmp_path: Path) -> None:
    pid_file = tmp_path / "worker.pid"
    worker = [
        sys.executable,
        "-c",
        f"import os, time; open({str(pid_file)!r} + '.tmp', 'w').write(str(os.getpid())); "
        f"os.rename({str(pid_file)!r} + '.tmp', {str(pid_file)!r}); time.sleep(60)",
    ]
    web = [
        sys.executable,
        "-c",
        f"import time, os.path as p\nwhile not p.exists({str(pid_file)!r}): "
        "time.sleep(0.05)\nraise SystemExit(3)",
    ]
    started = time.monotonic()
    assert worker_module.run_with_worker(web, worker) == 3  # the web's exit code
    assert time.monotonic() - started < 30
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # reaped, not left behind
        os.kill(pid, 0)


def _sleeper(pid_file: Path) -> list[str]:
    """A child that writes its pid (atomically) and sleeps."""
    code = (
        f"import os, time; open({str(pid_file)!r} + '.tmp', 'w').write(str(os.getpid())); "
        f"os.rename({str(pid_file)!r} + '.tmp', {str(pid_file)!r}); time.sleep(60)"
    )
    return [sys.executable, "-c", code]


def test_sigterm_to_serve_stops_the_web_and_then_the_worker(tmp_path: Path) -> None:
    web_pid, worker_pid = tmp_path / "web.pid", tmp_path / "worker.pid"
    code = (
        "import sys, json; from kinrw.cli.worker import run_with_worker; "
        "sys.exit(run_with_worker(*json.loads(sys.argv[1])))"
    )
    argument = json.dumps([_sleeper(web_pid), _sleeper(worker_pid)])
    parent = subprocess.Popen([sys.executable, "-c", code, argument])
    try:
        _wait_for(lambda: web_pid.exists() and worker_pid.exists(), "beide gestartet")
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=30) == 128 + signal.SIGTERM  # the web's end
    finally:
        worker_module.stop(parent)
    for pid_file in (web_pid, worker_pid):
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid_file.read_text()), 0)


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, Any]:
    """Record what serve would start instead of starting it."""
    seen: dict[str, Any] = {}
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)

    def execv(_exe: str, args: list[str]) -> None:  # replaces the process: never returns
        seen.update(execv=args)
        raise SystemExit(0)

    monkeypatch.setattr("kinrw.cli.misc.os.execv", execv)

    def run_with_worker(web: list[str], worker: list[str]) -> int:
        seen.update(web=web, worker=worker)
        return 0

    monkeypatch.setattr(worker_module, "run_with_worker", run_with_worker)
    return seen


def test_serve_starts_the_worker_with_the_embedded_broker(
    launched: dict[str, Any], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KINRW_DATA_DIR", str(tmp_path))
    settings.CELERY_BROKER_URL = "filesystem://"
    result = CliRunner().invoke(serve, ["--port", "8123"])
    assert result.exit_code == 0, result.output
    assert (
        "Worker:       celery -A kinrw.conf.celery worker -B --pool=solo -Q kinrw" in result.output
    )
    assert "gunicorn" in launched["web"] and "127.0.0.1:8123" in launched["web"]
    assert str(tmp_path / "celerybeat-schedule") in launched["worker"]
    assert "execv" not in launched


@pytest.mark.parametrize(
    ("broker", "option"),
    [("filesystem://", "--no-worker"), ("redis://:secret@redis.example:6379/0", None)],
)
def test_serve_without_a_worker_runs_only_the_web(
    launched: dict[str, Any], settings: Any, broker: str, option: str | None
) -> None:
    settings.CELERY_BROKER_URL = broker
    result = CliRunner().invoke(serve, [option] if option else [])
    assert result.exit_code == 0, result.output
    assert "Worker" not in result.output and "secret" not in result.output
    assert "gunicorn" in launched["execv"] and "worker" not in launched


@pytest.fixture
def filesystem_worker(committed: Kit, cli_env: dict[str, str], tmp_path: Path) -> Iterator[Path]:
    log = tmp_path / "worker.log"
    env = {k: v for k, v in cli_env.items() if k != "CELERY_BROKER_URL"}
    env |= {
        "CELERY_BROKER_URL": "filesystem://",  # DATABASE_URL points at the test database
        "KINRW_DATA_DIR": str(tmp_path / "data"),
        "KINRW_OUTBOX_SWEEP_SECONDS": "0.5",
    }
    command = worker_module.worker_command(tmp_path / "data")
    command[command.index("-l") + 1] = "INFO"
    command.remove("--quiet")  # the banner names the transport
    banner = tmp_path / "banner.txt"
    with banner.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--logfile", str(log)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_for(lambda: log.exists() and "ready." in log.read_text(), "Worker bereit")
        assert "transport:   filesystem://" in banner.read_text()  # not a Redis by chance
        yield tmp_path / "data"
    finally:
        worker_module.stop(process)


@pytest.mark.slow
def test_a_worker_on_the_filesystem_transport_relays_the_outbox(
    committed: Kit,
    fresh_ki: Tenant,  # noqa: F811 (the imported fixture)
    filesystem_worker: Path,
) -> None:
    with in_tenant(fresh_ki):
        griffbereit = Programme.objects.get(code="griffbereit")
        enrolment_create(actor=None, programme=griffbereit, year=2026)
        measure = measure_create(
            actor=None, title="Sprachcafé", programme=griffbereit, starts_on=dt.date(2026, 1, 1)
        )
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 5, 6),
            counts={"children": {"total": 5}, "families": {"total": 3}},
        )

    def facts() -> QuerySet[Fact]:
        return Fact.objects.filter(tenant=fresh_ki).select_related("indicator")

    _wait_for(lambda: facts().count() == 2, "Fakten der KI angelegt")
    assert {(f.indicator.code, f.period, f.value) for f in facts()} == {
        ("children", dt.date(2026, 5, 1), 5),
        ("families", dt.date(2026, 5, 1), 3),
    }
    # the tasks went through this data dir's broker folder, and none is left waiting (a
    # message of a row that an earlier task took along is consumed as a no-op)
    assert "state.outbox_process" in (filesystem_worker.parent / "worker.log").read_text()
    queue = filesystem_worker / "broker" / "queue"
    _wait_for(lambda: not any(queue.iterdir()), "keine Nachricht wartet mehr")

"""The worker's heartbeat file and its probe ``kinrw worker-alive`` (unit level)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import override_settings

from kinrw.cli.probe import worker_alive
from kinrw.conf.celery import app
from kinrw.core import heartbeat


def _age_by(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_touched_file_is_fresh_and_ages(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "beat"
    assert heartbeat.age(path) is None and not heartbeat.is_fresh(path, 60)
    heartbeat.touch(path)
    assert heartbeat.is_fresh(path, 60)
    _age_by(path, 90)
    assert not heartbeat.is_fresh(path, 60)
    assert 89 < (heartbeat.age(path) or 0) < 100
    heartbeat.touch(path)
    assert heartbeat.is_fresh(path, 60)
    assert [p.name for p in path.parent.iterdir()] == ["beat"]  # no partial file left


def test_the_probe_answers_by_the_age_of_the_heartbeat(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "beat"
    missing = runner.invoke(worker_alive, ["--file", str(path)])
    assert missing.exit_code == 1 and "kein Herzschlag" in missing.output
    heartbeat.touch(path)
    alive = runner.invoke(worker_alive, ["--file", str(path), "--max-age", "30"])
    assert alive.exit_code == 0 and "Worker lebt" in alive.output
    _age_by(path, 45)
    stale = runner.invoke(worker_alive, ["--file", str(path), "--max-age", "30"])
    assert stale.exit_code == 1 and "vor 45 s (erlaubt: 30 s)" in stale.output
    from_env = runner.invoke(worker_alive, ["--max-age", "60"], env={heartbeat.ENV_FILE: str(path)})
    assert from_env.exit_code == 0
    unnamed = runner.invoke(worker_alive, [], env={heartbeat.ENV_FILE: ""})
    assert unnamed.exit_code == 2 and heartbeat.ENV_FILE in unnamed.output


class FakeTimer:
    def __init__(self) -> None:
        self.calls: list[tuple[float, Callable[[], None]]] = []
        self.cancelled = False

    def call_repeatedly(self, interval: float, fun: Callable[[], None], **_: Any) -> FakeTimer:
        self.calls.append((interval, fun))
        return self

    def cancel(self) -> None:
        self.cancelled = True


class FakeWorker:
    def __init__(self) -> None:
        self.timer = FakeTimer()


def test_the_bootstep_touches_on_the_worker_timer_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    worker = FakeWorker()
    with override_settings(KINRW_WORKER_HEARTBEAT_FILE=str(path), KINRW_WORKER_HEARTBEAT_SECONDS=7):
        step = heartbeat.Heartbeat(worker)
    assert step.include_if(worker)
    step.start(worker)
    assert heartbeat.is_fresh(path, 5)
    [(interval, beat)] = worker.timer.calls
    assert interval == 7
    _age_by(path, 300)
    beat()
    assert heartbeat.is_fresh(path, 5)
    step.stop(worker)
    assert worker.timer.cancelled and not path.exists()


def test_without_the_setting_the_step_stays_out(tmp_path: Path) -> None:
    with override_settings(KINRW_WORKER_HEARTBEAT_FILE=""):
        step = heartbeat.Heartbeat(FakeWorker())
    assert not step.include_if(FakeWorker())


def test_the_step_is_part_of_every_worker() -> None:
    assert heartbeat.Heartbeat in app.steps["worker"]


@pytest.mark.parametrize("name", ["KINRW_WORKER_HEARTBEAT_FILE", "KINRW_WORKER_HEARTBEAT_SECONDS"])
def test_the_settings_are_documented(name: str) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    assert f"`{name}`" in docs

"""The measured sides: :mod:`kinrw.benchmarks.worker` processes, and rounds that alternate."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from kinrw.benchmarks.options import SETTINGS, BenchError


class WorkerFailed(BenchError):
    pass


class Worker:
    """A :mod:`kinrw.benchmarks.worker` process (ours alone: killed only by its pid)."""

    def __init__(self, task: str, side: str, env: dict[str, str], params: dict[str, Any]) -> None:
        self.name = f"{task} ({side})"
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kinrw.benchmarks.worker", task, json.dumps(params)],
            env={**env, "DJANGO_SETTINGS_MODULE": SETTINGS[side]},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        try:
            self.ready: dict[str, Any] = self._read()["ready"]
        except BaseException:
            self.close()
            raise

    def _stderr_tail(self, lines: int = 25) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=30)
            raise WorkerFailed(
                f"{self.name} beendet (Code {self.process.returncode}):\n{self._stderr_tail()}"
            )
        message: dict[str, Any] = json.loads(line)
        if "error" in message:
            raise WorkerFailed(f"{self.name}:\n{message['error']}\n{self._stderr_tail(10)}")
        return message

    def _send(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._read()

    def round(self) -> float:
        return float(self._send("round")["seconds"])

    def finish(self) -> dict[str, Any]:
        result: dict[str, Any] = self._send("finish")["result"]
        self.process.wait(timeout=60)
        return result

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout, self._stderr):
            if stream is not None:
                stream.close()


@contextmanager
def workers(*specs: tuple[str, str, dict[str, str], dict[str, Any]]) -> Iterator[list[Worker]]:
    """Started one after the other, each ``(task, side, env, params)``; all closed at the end."""
    started: list[Worker] = []
    try:
        for spec in specs:
            started.append(Worker(*spec))
        yield started
    finally:
        for worker in started:
            worker.close()


def alternate(
    baseline: Callable[[], float],
    ours: Callable[[], float],
    *,
    rounds: int,
    warmup: int,
    progress: Callable[[str], None],
    label: str,
) -> tuple[list[float], list[float]]:
    """Rounds of both sides, alternating who goes first; warm-up rounds are dropped."""
    for _ in range(warmup):
        baseline()
        ours()
    base_times: list[float] = []
    our_times: list[float] = []
    for index in range(rounds):
        progress(f"{label}: Runde {index + 1}/{rounds}")
        if index % 2 == 0:
            base_times.append(baseline())
            our_times.append(ours())
        else:
            our_times.append(ours())
            base_times.append(baseline())
    return base_times, our_times

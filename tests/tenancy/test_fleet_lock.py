"""Two fleet migrations never run at once: the second waits for the first."""

from __future__ import annotations

import subprocess
import sys
import time

from kinrw.tenancy import dbconn
from tests.kit import Kit


def test_second_migrate_waits_for_the_lock(django_db_setup: Kit, cli_env: dict[str, str]) -> None:
    with dbconn.held_lock(dbconn.FLEET_LOCK):
        waiting = subprocess.Popen(
            [sys.executable, "-m", "kinrw", "migrate"],
            env=cli_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert waiting.poll() is None, "kinrw migrate ran although another held the lock"
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "0 fehlgeschlagen" in out

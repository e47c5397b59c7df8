"""The serving process collects garbage rarely and leaves start-up objects alone."""

from __future__ import annotations

import gc
import subprocess
import sys


def test_the_wsgi_module_tunes_the_collector(cli_env: dict[str, str]) -> None:
    code = (
        "import gc, kinrw.conf.wsgi; from kinrw.core.runtime import GC_THRESHOLD; "
        "assert gc.get_threshold() == GC_THRESHOLD, gc.get_threshold(); "
        "assert gc.get_freeze_count() > 10000, gc.get_freeze_count(); print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=cli_env, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr
    assert gc.get_threshold() != (0, 0, 0)  # the test process itself is untouched

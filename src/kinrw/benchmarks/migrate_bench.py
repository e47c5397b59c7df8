"""No-op migration of the whole fleet: ``migrate_schemas`` against ``kinrw migrate``."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from kinrw.benchmarks.options import SETTINGS, BenchError, ModelSet, Options
from kinrw.benchmarks.report import Report, models_note, raw_sides, timing_row
from kinrw.benchmarks.sides import alternate, workers

GOAL_MIGRATE = 10.0


def _run_command(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=900, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchError(
            f"{' '.join(args[2:])} fehlgeschlagen (Code {done.returncode}):\n{done.stderr[-2000:]}"
        )
    return elapsed


def bench_migrate(
    options: Options,
    envs: dict[str, dict[str, str]],
    report: Report,
    progress: Callable[[str], None],
) -> None:
    raw_all: dict[str, Any] = {}
    for models in options.model_sets():
        raw_all[models.key] = _bench_migrate(options, models, envs[models.key], report, progress)
    report.raw["migrate"] = raw_all


def _bench_migrate(
    options: Options,
    models: ModelSet,
    env: dict[str, str],
    report: Report,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    setup = report.setups[models.key]
    with workers(("migrate-dt", models.dt, env, {}), ("migrate-ours", models.ours, env, {})) as (
        dt_worker,
        our_worker,
    ):
        tenants = our_worker.ready["tenants"]
        base, ours = alternate(
            dt_worker.round,
            our_worker.round,
            rounds=options.migrate_rounds,
            warmup=1,
            progress=progress,
            label=f"No-op-Migration ({tenants} KI, {models.key})",
        )
        dt_check = dt_worker.finish()
        our_check = our_worker.finish()
    no_op = dt_check["no_op"] and our_check["no_op"]
    report.rows.append(
        timing_row(
            models,
            key="migrate",
            title=f"No-op-Migration von {tenants} KI (im Prozess)",
            baseline_label="django-tenants migrate_schemas",
            ours_label="kinrw migrate (migrate_fleet)",
            base=base,
            ours=ours,
            goal=GOAL_MIGRATE,
            notes=[models_note(setup)],
            problems=[] if no_op else ["kein No-op: ein Lauf hat Migrationen angewandt"],
        )
    )
    raw = raw_sides(base, ours, dt_check, our_check)
    raw["tenants"] = tenants
    if options.cli_rounds > 0:
        dt_cmd = [sys.executable, "-m", "kinrw", "django", "migrate_schemas", "--noinput", "-v0"]
        our_cmd = [sys.executable, "-m", "kinrw", "migrate"]
        dt_env = {**env, "DJANGO_SETTINGS_MODULE": SETTINGS[models.dt]}
        our_env = {**env, "DJANGO_SETTINGS_MODULE": SETTINGS[models.ours]}
        cli_base, cli_ours = alternate(
            lambda: _run_command(dt_cmd, dt_env),
            lambda: _run_command(our_cmd, our_env),
            rounds=options.cli_rounds,
            warmup=0,
            progress=progress,
            label=f"No-op-Migration als Befehl ({models.key})",
        )
        report.rows.append(
            timing_row(
                models,
                key="migrate_cli",
                title=f"dasselbe als Befehl, mit Python-Start ({tenants} KI)",
                baseline_label="kinrw django migrate_schemas",
                ours_label="kinrw migrate",
                base=cli_base,
                ours=cli_ours,
            )
        )
        raw["cli_django_tenants_s"] = cli_base
        raw["cli_kinrw_s"] = cli_ours
    return raw

"""``kinrw bench``: runs the measurements side by side, prints the table, writes the JSON.

The orchestrator itself never sets Django up: it prepares the benchmark
database with psycopg and starts every measured side as its own process
(:mod:`kinrw.benchmarks.worker`, gunicorn), all with the same environment
apart from ``DJANGO_SETTINGS_MODULE``. The parts are measured in
:mod:`~kinrw.benchmarks.onboarding_bench`, :mod:`~kinrw.benchmarks.migrate_bench`
and :mod:`~kinrw.benchmarks.requests_bench`; :mod:`~kinrw.benchmarks.report`
prints and writes the result.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
import time
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path

from rich.console import Console

from kinrw.benchmarks import database, servers
from kinrw.benchmarks.migrate_bench import bench_migrate
from kinrw.benchmarks.onboarding_bench import bench_onboarding
from kinrw.benchmarks.options import MODEL_SETS, BenchError, Options
from kinrw.benchmarks.report import Report, print_report, write_json
from kinrw.benchmarks.requests_bench import bench_requests
from kinrw.benchmarks.sides import workers

PARTS = ("onboarding", "migrate", "requests")
REPO_ROOT = Path(__file__).resolve().parents[3]


def _resolve(path: Path) -> Path:
    """Relative paths are taken from the working directory, else from the repository."""
    if path.is_absolute() or path.exists() or not (REPO_ROOT / "pyproject.toml").exists():
        return path.resolve()
    return (REPO_ROOT / path).resolve()


def _loadavg() -> list[float]:
    with suppress(OSError):
        return [round(x, 2) for x in os.getloadavg()]
    return []


def run(parts: list[str], options: Options, console: Console) -> Report:
    import django
    import django_tenants

    status = Console(stderr=True)

    def progress(message: str) -> None:
        status.print(f"[dim]▸ {message}[/]", highlight=False)

    registry = _resolve(options.registry)
    if not (registry / "registry.csv").is_file() and not registry.is_file():
        raise BenchError(f"KI-Register nicht gefunden: {registry} (--registry)")
    results = _resolve(options.results)
    server = database.find_server()
    report = Report()
    report.meta = {
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "parts": parts,
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
        "database": f"{server.host}:{server.port}/{options.db_name}*",
        "django": django.get_version(),
        "django_tenants": getattr(django_tenants, "__version__", "4.0.1"),
        "python": platform.python_version(),
        "cpus": servers.cpu_count(),
        "loadavg_start": _loadavg(),
        "conn_max_age": int(os.environ.get("KINRW_CONN_MAX_AGE", "60")),
    }
    # One database per model set: kinrw_bench (the platform's models; also the
    # requests) and kinrw_bench_ws (with the bench workspace app).
    databases: dict[str, str] = {}
    if "onboarding" in parts or "migrate" in parts:
        for models in options.model_sets():
            databases[models.key] = options.db_name + models.db_suffix
    if "requests" in parts:
        databases.setdefault("platform", options.db_name)
    report.meta["databases"] = {
        key: f"{server.host}:{server.port}/{name}" for key, name in databases.items()
    }
    created: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="kinrw-bench-") as tmp:
            workdir = Path(tmp)
            (workdir / "static").mkdir()
            envs: dict[str, dict[str, str]] = {}
            for key, name in databases.items():
                progress(f"Datenbank {name} neu anlegen ({server.host}:{server.port})")
                database.recreate(server, name)
                created.append(name)
                envs[key] = database.child_env(
                    server,
                    name,
                    static_root=str(workdir / "static"),
                    registry=str(registry),
                )
                progress(
                    f"{name}: öffentliches Schema, Vorlage und die KI des Registers anlegen "
                    f"({MODEL_SETS[key].description})"
                )
                started = time.perf_counter()
                with workers(("setup", MODEL_SETS[key].ours, envs[key], {})) as (worker,):
                    report.setups[key] = worker.finish()
                report.setups[key]["setup_s"] = time.perf_counter() - started
            for key, name in databases.items():
                progress(f"{name}: VACUUM (ANALYZE) nach dem Anlegen der Flotte")
                started = time.perf_counter()
                database.vacuum(server, name)
                report.setups[key]["vacuum_s"] = time.perf_counter() - started
            report.setup = report.setups.get("platform", {})
            report.meta["postgres"] = next(iter(report.setups.values())).get("postgres")
            if "onboarding" in parts:
                bench_onboarding(options, envs, report, progress)
            if "migrate" in parts:
                bench_migrate(options, envs, report, progress)
            if "requests" in parts:
                bench_requests(
                    options,
                    envs["platform"],
                    report,
                    progress,
                    server=server,
                    setup=report.setup,
                    workdir=workdir,
                )
    finally:
        for name in created:
            if options.keep_db:
                progress(f"Datenbank {name} bleibt erhalten (--keep-db)")
            else:
                progress(f"Datenbank {name} entfernen")
                database.drop(server, name)
    report.meta["loadavg_end"] = _loadavg()
    write_json(report, results)
    print_report(report, console)
    return report

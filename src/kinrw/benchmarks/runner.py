"""``kinrw bench``: runs the measurements side by side, prints the table, writes the JSON.

The orchestrator itself never sets Django up: it prepares the benchmark
database with psycopg and starts every measured side as its own process
(:mod:`kinrw.benchmarks.worker`, gunicorn), all with the same environment
apart from ``DJANGO_SETTINGS_MODULE``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from psycopg import sql
from rich.console import Console
from rich.table import Table

from kinrw.benchmarks import database, load, servers
from kinrw.benchmarks.urls import PATH as BENCH_PATH
from kinrw.benchmarks.views import TABLE as BENCH_TABLE

PARTS = ("onboarding", "migrate", "requests")
REPO_ROOT = Path(__file__).resolve().parents[3]
SETTINGS = {
    "ours": "kinrw.benchmarks.settings_ours",
    "dt": "kinrw.benchmarks.settings_dt",
    "ours_ws": "kinrw.benchmarks.settings_ours_ws",
    "dt_ws": "kinrw.benchmarks.settings_dt_ws",
    "tenant": "kinrw.benchmarks.settings_tenant",
    "plain": "kinrw.benchmarks.settings_plain",
    "stock": "kinrw.benchmarks.settings_stock",
}
GOAL_CREATE = 10.0
GOAL_MIGRATE = 10.0
GOAL_RPS = 0.9
BENCH_ROWS = 10
# "No extra query": fewer than one extra statement per 100 requests (a schema
# switch after the warm-up may cost one SET on a worker thread's connection).
SQL_TOLERANCE = 0.01
SQL_KIND_LABELS = {
    "view": "Seite",
    "health_check": "Health-Check",
    "search_path": "SET search_path",
    "tenant_lookup": "Mandant suchen",
    "connection_setup": "Verbindung",
    "other": "andere",
}


@dataclass(frozen=True)
class ModelSet:
    """The tenant models both sides of a creation or migration line run on."""

    key: str
    title: str  # short, in row titles
    description: str  # the header line
    ours: str  # settings keys
    dt: str
    db_suffix: str  # its own database: kinrw_bench<suffix>
    goal: bool  # the goals are judged on this set


MODEL_SETS = {
    "platform": ModelSet(
        key="platform",
        title="Modelle A: die Plattform heute",
        description="nur die Tenant-Apps der Plattform selbst (Information)",
        ours="ours",
        dt="dt",
        db_suffix="",
        goal=False,
    ),
    "workspace": ModelSet(
        key="workspace",
        title="Modelle B: mit 26 Arbeitsbereich-Modellen wie die Basislinie der Issue",
        description="die Plattform plus die Bench-App benchws (kinrw.benchmarks.workspace_model) "
        "als Tenant-App, 26 Modelle wie die „26 tenant models“ der Issue; daran werden die "
        "Ziele gemessen",
        ours="ours_ws",
        dt="dt_ws",
        db_suffix="_ws",
        goal=True,
    ),
}


class BenchError(Exception):
    """The benchmark could not run; the message says why."""


@dataclass
class Options:
    onboarding_rounds: int = 7
    migrate_rounds: int = 3
    cli_rounds: int = 2
    request_rounds: int = 5
    requests: int = 3000
    concurrency: int = 8
    workers: int = 2
    threads: int = 4
    stock: bool = True
    mixed: bool = True
    keep_db: bool = False
    strict: bool = False
    db_name: str = database.PREFIX
    results: Path = Path("bench/results")
    registry: Path = Path("tenants")
    models: str = "both"  # "both", "platform" or "workspace" (creation and migration only)

    def model_sets(self) -> list[ModelSet]:
        if self.models == "both":
            return list(MODEL_SETS.values())
        return [MODEL_SETS[self.models]]


@dataclass
class Row:
    """One line of the result table: baseline and ours, factor (>1: ours is better)."""

    key: str
    title: str
    baseline_label: str
    ours_label: str
    baseline: float
    ours: float
    unit: str
    factor: float | None
    goal: str = ""
    passed: bool | None = None
    note: str = ""
    models: str = ""  # the ModelSet key, where the line depends on the models


@dataclass
class Report:
    meta: dict[str, Any] = field(default_factory=dict)
    setup: dict[str, Any] = field(default_factory=dict)  # the platform database (requests)
    setups: dict[str, dict[str, Any]] = field(default_factory=dict)  # per ModelSet key
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    requests_detail: list[dict[str, Any]] = field(default_factory=list)

    @property
    def goals_met(self) -> bool:
        return all(row.passed is not False for row in self.rows)


# -- helpers ----------------------------------------------------------------------


def _resolve(path: Path) -> Path:
    """Relative paths are taken from the working directory, else from the repository."""
    if path.is_absolute() or path.exists() or not (REPO_ROOT / "pyproject.toml").exists():
        return path.resolve()
    return (REPO_ROOT / path).resolve()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _loadavg() -> list[float]:
    with suppress(OSError):
        return [round(x, 2) for x in os.getloadavg()]
    return []


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
def _workers(*specs: tuple[str, str, dict[str, str], dict[str, Any]]) -> Iterator[list[Worker]]:
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


# -- the parts --------------------------------------------------------------------


def _models_label(setup: dict[str, Any]) -> str:
    return (
        f"{setup.get('tenant_models', '?')} Tenant-Modelle, "
        f"{setup.get('tenant_tables', '?')} Tabellen je KI-Schema, "
        f"{setup.get('migrations', '?')} Migrationen"
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _profile_note(dt_profile: dict[str, Any], our_profile: dict[str, Any]) -> str:
    """One line each: where a profiled creation's wall time went."""
    parts = []
    if dt_profile:
        parts.append(
            f"django-tenants (profiliert, {_ms(dt_profile['wall_s'])}): SQL "
            f"{_ms(dt_profile['sql_s'])} in {dt_profile['statements']:.0f} Anweisungen, "
            f"{dt_profile['commits']:.0f} Commits {_ms(dt_profile['commit_s'])}, "
            f"Python {_ms(dt_profile['python_and_rest_s'])}"
        )
    if our_profile:
        from kinrw.benchmarks.sqlprofile import REPLAY

        replay = our_profile["by_kind"].get(REPLAY, {"s": 0.0})["s"]
        parts.append(
            f"kinrw (profiliert, {_ms(our_profile['wall_s'])}): Vorlage einspielen "
            f"{_ms(replay)}, übrige SQL {_ms(our_profile['sql_s'] - replay)} in "
            f"{our_profile['statements'] - 1:.0f} Anweisungen, Commit "
            f"{_ms(our_profile['commit_s'])}, Python {_ms(our_profile['python_and_rest_s'])}"
        )
    return "\n".join(parts)


def _replay_note(by_kind: dict[str, Any], top: int = 6) -> str:
    """The snapshot replayed inside the server, statement by statement: time per kind."""
    if not by_kind:
        return ""
    kinds = by_kind["by_kind"]
    items = ", ".join(f"{label} {v['n']}× {_ms(v['s'])}" for label, v in list(kinds.items())[:top])
    server = by_kind["server_s"]
    share = by_kind["index_s"] / server if server else 0.0
    return (
        f"Vorlage im Server Anweisung für Anweisung ({by_kind['statements']} Anweisungen, "
        f"{_ms(server)}): {items}; B-Baum-Indexe zusammen {by_kind['index_statements']}× "
        f"{_ms(by_kind['index_s'])} ({share:.0%})"
    )


def bench_onboarding(
    options: Options,
    envs: dict[str, dict[str, str]],
    report: Report,
    progress: Callable[[str], None],
) -> None:
    warmup = 1
    raw: dict[str, Any] = {"warmup_rounds_dropped": warmup}
    for models in options.model_sets():
        env = envs[models.key]
        setup = report.setups[models.key]
        params = {"count": warmup + options.onboarding_rounds, "profile": 3}
        with _workers(
            ("onboarding-dt", models.dt, env, params), ("onboarding-ours", models.ours, env, params)
        ) as (dt_worker, our_worker):
            base, ours = alternate(
                dt_worker.round,
                our_worker.round,
                rounds=options.onboarding_rounds,
                warmup=warmup,
                progress=progress,
                label=f"KI anlegen ({models.key})",
            )
            progress(f"KI anlegen ({models.key}): Profil und Prüfung")
            dt_check = dt_worker.finish()
            our_check = our_worker.finish()
        factor = _median(base) / _median(ours)
        problems = []
        if set(our_check.get("methods", {})) != {"template"}:
            problems.append(f"kinrw legte nicht nur aus der Vorlage an: {our_check.get('methods')}")
        for side, check in (("django-tenants", dt_check), ("kinrw", our_check)):
            if check["at_target_state"] != check["created"]:
                missing = check["created"] - check["at_target_state"]
                problems.append(f"{side}: {missing} Schemas nicht auf dem Migrationsstand")
        replay = _median(our_check.get("replay_only_s", []))
        notes = [
            f"Modelle: {_models_label(setup)}",
            f"davon spielt PostgreSQL die Vorlage ein (zurückgerollt): {_fmt(replay, 's')}",
            _profile_note(dt_check.get("profile", {}), our_check.get("profile", {})),
        ]
        if models.goal:
            notes.append(_replay_note(our_check.get("replay_by_kind", {})))
        passed: bool | None = (factor >= GOAL_CREATE) if models.goal else None
        if problems:
            notes.insert(0, "; ".join(problems))
            passed = False
        report.rows.append(
            Row(
                key=f"onboarding_{models.key}",
                title=f"Ein KI anlegen (Median je KI) – {models.title}",
                baseline_label="django-tenants auto_create_schema (alle Migrationen)",
                ours_label="kinrw tenant_create (Vorlage)",
                baseline=_median(base),
                ours=_median(ours),
                unit="s",
                factor=factor,
                goal=f"≥ {GOAL_CREATE:g}×" if models.goal else "Info",
                passed=passed,
                note="\n".join(n for n in notes if n),
                models=models.key,
            )
        )
        raw[models.key] = {
            "django_tenants_s": base,
            "kinrw_s": ours,
            "django_tenants_check": dt_check,
            "kinrw_check": our_check,
        }
    report.raw["onboarding"] = raw


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
    with _workers(("migrate-dt", models.dt, env, {}), ("migrate-ours", models.ours, env, {})) as (
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
    factor = _median(base) / _median(ours)
    notes = [f"Modelle: {_models_label(setup)}"]
    passed: bool | None = (factor >= GOAL_MIGRATE) if models.goal else None
    if not (dt_check["no_op"] and our_check["no_op"]):
        notes.insert(0, "kein No-op: ein Lauf hat Migrationen angewandt")
        passed = False
    report.rows.append(
        Row(
            key=f"migrate_{models.key}",
            title=f"No-op-Migration von {tenants} KI (im Prozess) – {models.title}",
            baseline_label="django-tenants migrate_schemas",
            ours_label="kinrw migrate (migrate_fleet)",
            baseline=_median(base),
            ours=_median(ours),
            unit="s",
            factor=factor,
            goal=f"≥ {GOAL_MIGRATE:g}×" if models.goal else "Info",
            passed=passed,
            note="\n".join(notes),
            models=models.key,
        )
    )
    raw: dict[str, Any] = {
        "django_tenants_s": base,
        "kinrw_s": ours,
        "django_tenants_check": dt_check,
        "kinrw_check": our_check,
        "tenants": tenants,
    }
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
            Row(
                key=f"migrate_cli_{models.key}",
                title=f"dasselbe als Befehl, mit Python-Start ({tenants} KI) – {models.title}",
                baseline_label="kinrw django migrate_schemas",
                ours_label="kinrw migrate",
                baseline=_median(cli_base),
                ours=_median(cli_ours),
                unit="s",
                factor=_median(cli_base) / _median(cli_ours),
                goal="Info",
                models=models.key,
            )
        )
        raw["cli_django_tenants_s"] = cli_base
        raw["cli_kinrw_s"] = cli_ours
    return raw


# -- requests ---------------------------------------------------------------------


def _create_bench_tables(server: database.Server, db_name: str, schemas: list[str]) -> None:
    with server.connect(db_name, autocommit=True) as conn:
        for schema in ["public", *schemas]:
            table = sql.Identifier(schema, BENCH_TABLE)
            conn.execute(
                sql.SQL("CREATE TABLE {} (id bigint PRIMARY KEY, name text NOT NULL)").format(table)
            )
            conn.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT g, 'Eintrag ' || g FROM generate_series(1, %s) g"
                ).format(table),
                [BENCH_ROWS],
            )
            conn.execute(sql.SQL("ANALYZE {}").format(table))


def _worker_cpu_seconds(master_pid: int) -> tuple[frozenset[int], float]:
    """CPU time (user + system) of the gunicorn master's children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids: set[int] = set()
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == master_pid:
            pids.add(int(entry.name))
            total += (int(fields[11]) + int(fields[12])) / ticks
    return frozenset(pids), total


@dataclass
class Measured:
    server: str
    scenario: str
    rps: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    statements: Counter[str] = field(default_factory=Counter)
    per_request: Counter[int] = field(default_factory=Counter)
    requests: int = 0

    def add(self, result: load.LoadResult, cpu_ms: float | None) -> None:
        self.rps.append(result.rps)
        if cpu_ms is not None:
            self.cpu_ms.append(cpu_ms)
        self.latencies_ms.extend(result.latencies_ms)
        self.statuses.update(result.statuses)
        self.statements.update(result.statements)
        self.per_request.update(result.per_request)
        self.requests += result.requests

    def per_request_of(self, *kinds: str) -> float:
        return sum(self.statements[k] for k in kinds) / self.requests if self.requests else 0.0

    @property
    def total_sql(self) -> float:
        return sum(self.statements.values()) / self.requests if self.requests else 0.0

    @property
    def queries(self) -> float:
        """Statements per request apart from Django's connection health check and set-up."""
        return self.total_sql - self.per_request_of("health_check", "connection_setup")

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "scenario": self.scenario,
            "requests": self.requests,
            "rps_median": _median(self.rps),
            "rps_rounds": self.rps,
            "cpu_ms_per_request_median": _median(self.cpu_ms),
            "cpu_ms_per_request_rounds": self.cpu_ms,
            "latency_ms_p50": self.percentile(0.5),
            "latency_ms_p95": self.percentile(0.95),
            "sql_per_request": self.total_sql,
            "queries_per_request": self.queries,
            "sql_kinds_per_request": {
                k: v / self.requests for k, v in sorted(self.statements.items())
            },
            "sql_count_distribution": {str(k): v for k, v in sorted(self.per_request.items())},
            "statuses": {str(k): v for k, v in self.statuses.items()},
        }


SERVER_LABELS = {
    "plain": "Django, ein Mandant",
    "tenant": "kinrw",
    "stock": "django-tenants Standard",
}


def bench_requests(
    options: Options,
    env: dict[str, str],
    report: Report,
    progress: Callable[[str], None],
    *,
    server: database.Server,
    setup: dict[str, Any],
    workdir: Path,
) -> None:
    hosts: dict[str, str] = setup["hosts"]
    if not hosts:
        raise BenchError("keine KI in der Benchmark-Datenbank")
    one_host = hosts.get("koeln") or next(iter(hosts.values()))
    all_hosts = list(hosts.values())
    _create_bench_tables(server, options.db_name, setup["schemas"])
    config = servers.GunicornConfig(workers=options.workers, threads=options.threads)
    names = ["plain", "tenant"] + (["stock"] if options.stock else [])
    running: list[servers.Server] = []
    measured: dict[tuple[str, str], Measured] = {}
    try:
        for name in names:
            running.append(
                servers.start(name, SETTINGS[name], config=config, env=env, log_dir=workdir)
            )
        for srv in running:
            servers.wait_ready(srv)
        progress("Anfragen: Aufwärmen (alle Hosts, jeder Worker)")
        for srv in running:
            warm = load.run(
                port=srv.port,
                hosts=all_hosts,
                path=BENCH_PATH,
                total=max(1000, 20 * len(all_hosts)),
                threads=options.concurrency,
                reconnect_every=10,
            )
            bad = {s: n for s, n in warm.statuses.items() if s != 200}
            if bad or set(warm.bodies) != {str(BENCH_ROWS)}:
                raise BenchError(
                    f"{srv.name}: unerwartete Antworten beim Aufwärmen: {dict(warm.statuses)} "
                    f"{dict(warm.bodies)}\n{srv.log_tail()}"
                )
        scenarios = [("ein KI", [one_host], options.request_rounds)]
        if options.mixed:
            scenarios.append(
                (f"{len(all_hosts)} KI im Wechsel", all_hosts, max(1, options.request_rounds // 2))
            )
        for scenario, scenario_hosts, rounds in scenarios:
            for srv in running:  # each worker thread's connection on this scenario's schemas
                load.run(
                    port=srv.port,
                    hosts=scenario_hosts,
                    path=BENCH_PATH,
                    total=50 * options.workers * options.threads,
                    threads=options.concurrency,
                    reconnect_every=10,
                )
            for index in range(rounds):
                progress(f"Anfragen ({scenario}): Runde {index + 1}/{rounds}")
                order = running[index % len(running) :] + running[: index % len(running)]
                for srv in order:
                    pids_before, cpu_before = _worker_cpu_seconds(srv.process.pid)
                    result = load.run(
                        port=srv.port,
                        hosts=scenario_hosts,
                        path=BENCH_PATH,
                        total=options.requests,
                        threads=options.concurrency,
                    )
                    pids_after, cpu_after = _worker_cpu_seconds(srv.process.pid)
                    cpu_ms = (
                        (cpu_after - cpu_before) * 1000 / result.requests
                        if pids_before == pids_after and pids_before
                        else None
                    )
                    key = (srv.name, scenario)
                    measured.setdefault(key, Measured(server=srv.name, scenario=scenario)).add(
                        result, cpu_ms
                    )
    finally:
        for srv in running:
            srv.stop()
    for m in measured.values():
        bad = {s: n for s, n in m.statuses.items() if s != 200}
        if bad:
            raise BenchError(f"{m.server} ({m.scenario}): Antworten ≠ 200: {bad}")
    single = "ein KI"
    plain, ours = measured[("plain", single)], measured[("tenant", single)]
    extra = ours.total_sql - plain.total_sql
    extra_queries = ours.queries - plain.queries
    report.rows.append(
        Row(
            key="requests_sql",
            title="SQL-Anweisungen je Anfrage (ohne Health-Check)",
            baseline_label=SERVER_LABELS["plain"],
            ours_label="kinrw, ein KI",
            baseline=plain.queries,
            ours=ours.queries,
            unit="SQL",
            factor=None,
            goal="keine zusätzliche",
            passed=extra_queries < SQL_TOLERANCE and extra < SQL_TOLERANCE,
            note=f"mit Djangos Health-Check (SELECT 1): {plain.total_sql:.2f} gegen "
            f"{ours.total_sql:.2f}",
        )
    )
    factor = _median(ours.rps) / _median(plain.rps)
    report.rows.append(
        Row(
            key="requests_rps",
            title=f"Anfragen/s, gunicorn {options.workers}×{options.threads}, "
            f"{options.concurrency} Verbindungen",
            baseline_label=SERVER_LABELS["plain"],
            ours_label="kinrw",
            baseline=_median(plain.rps),
            ours=_median(ours.rps),
            unit="req/s",
            factor=factor,
            goal=f"≥ {GOAL_RPS:g}×",
            passed=factor >= GOAL_RPS,
        )
    )
    if plain.cpu_ms and ours.cpu_ms:
        report.rows.append(
            Row(
                key="requests_cpu",
                title="Server-CPU je Anfrage (gunicorn-Worker)",
                baseline_label=SERVER_LABELS["plain"],
                ours_label="kinrw",
                baseline=_median(plain.cpu_ms),
                ours=_median(ours.cpu_ms),
                unit="ms",
                factor=_median(plain.cpu_ms) / _median(ours.cpu_ms),
                goal="Info",
            )
        )
    for (name, scenario), m in sorted(measured.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        summary = m.summary()
        base = measured.get(("plain", scenario))
        summary["rps_vs_plain"] = (
            _median(m.rps) / _median(base.rps) if base is not None and base.rps else None
        )
        summary["label"] = SERVER_LABELS[name]
        report.requests_detail.append(summary)
    report.raw["requests"] = {
        "gunicorn": asdict(config),
        "host_one_ki": one_host,
        "hosts_mixed": len(all_hosts),
        "requests_per_round": options.requests,
        "connections": options.concurrency,
        "path": BENCH_PATH,
    }


# -- output -----------------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "–"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "req/s":
        return f"{value:.0f} /s"
    if unit == "SQL":
        return f"{value:.2f}"
    return f"{value:g} {unit}"


def _pg_version(number: object) -> str:
    return f"{int(number) // 10000}.{int(number) % 100}" if isinstance(number, int) else "?"


def print_report(report: Report, console: Console) -> None:
    meta = report.meta
    console.print(
        f"[bold]KI-Plattform NRW – Benchmark[/] {meta['started']}\n"
        f"PostgreSQL {_pg_version(meta.get('postgres'))}, "
        f"Django {meta['django']}, django-tenants {meta['django_tenants']}, "
        f"Python {meta['python']}, {meta['cpus']} CPU, "
        f"Systemlast {meta['loadavg_start']} → {meta.get('loadavg_end')}",
        highlight=False,
    )
    for key, setup in report.setups.items():
        models = MODEL_SETS[key]
        by_app = ", ".join(f"{app} {n}" for app, n in setup.get("tenant_models_by_app", {}).items())
        console.print(
            f"[bold]{models.title}[/]: {models.description}. Datenbank "
            f"{meta['databases'][key]}: {setup['tenant_models']} Tenant-Modelle ({by_app}), "
            f"{setup['tenant_tables']} Tabellen je KI-Schema, {setup['migrations']} Migrationen "
            f"im Code (davon benchws {setup.get('bench_workspace_migrations', 0)}). "
            f"Flotte: {setup['created']} KI aus dem Register angelegt "
            f"({setup['apply_s']:.1f} s).",
            highlight=False,
        )
    table = Table(title="Ergebnis: Mediane; Faktor > 1 heißt kinrw ist besser", show_lines=True)
    table.add_column("Messung (Basislinie gegen kinrw)", ratio=3)
    table.add_column("Basislinie", justify="right", no_wrap=True)
    table.add_column("kinrw", justify="right", no_wrap=True)
    table.add_column("Faktor", justify="right", no_wrap=True)
    table.add_column("Ziel", no_wrap=True)
    table.add_column("", no_wrap=True)
    for row in report.rows:
        if row.passed is None:
            verdict = "[dim]Info[/]"
        else:
            verdict = "[green]erfüllt[/]" if row.passed else "[red]verfehlt[/]"
        if row.factor is not None:
            factor = f"{row.factor:.2f}×"
        else:
            factor = f"{row.ours - row.baseline:+.2f}"
        title = f"[bold]{row.title}[/]\n[dim]{row.baseline_label} gegen {row.ours_label}[/]"
        if row.note:
            title += f"\n{row.note}"
        table.add_row(
            title,
            _fmt(row.baseline, row.unit),
            _fmt(row.ours, row.unit),
            factor,
            row.goal,
            verdict,
        )
    console.print(table)
    if report.requests_detail:
        detail = Table(title="Anfragen im Einzelnen", show_lines=True)
        detail.add_column("Szenario / Server")
        detail.add_column("Anfragen/s\n(min–max)", justify="right")
        detail.add_column("× Django", justify="right")
        detail.add_column("CPU je\nAnfrage", justify="right")
        detail.add_column("p50 / p95", justify="right")
        detail.add_column("SQL je Anfrage")
        for d in report.requests_detail:
            kinds = ", ".join(
                f"{SQL_KIND_LABELS.get(k, k)} {v:.2f}"
                for k, v in d["sql_kinds_per_request"].items()
                if v >= 0.005
            )
            rounds = d["rps_rounds"]
            detail.add_row(
                f"{d['scenario']}\n[bold]{d['label']}[/]",
                f"{d['rps_median']:.0f}\n({min(rounds):.0f}–{max(rounds):.0f})",
                f"{d['rps_vs_plain']:.2f}×" if d["rps_vs_plain"] else "–",
                _fmt(d["cpu_ms_per_request_median"], "ms"),
                f"{d['latency_ms_p50']:.1f} / {d['latency_ms_p95']:.1f} ms",
                f"[bold]{d['sql_per_request']:.2f}[/]\n{kinds}",
            )
        console.print(detail)
        req = report.raw.get("requests", {})
        g = req.get("gunicorn", {})
        console.print(
            f"Gleiche Einstellungen für alle Server: gunicorn gthread {g.get('workers')} Worker × "
            f"{g.get('threads')} Threads, Keep-alive; DEBUG aus; CONN_MAX_AGE "
            f"{meta.get('conn_max_age')} s; CONN_HEALTH_CHECKS an (daher 1 „SELECT 1“ je "
            f"Anfrage auf beiden Seiten). Last: {req.get('connections')} Verbindungen, "
            f"{req.get('requests_per_round')} Anfragen je Runde an {req.get('path')}.",
            highlight=False,
        )
    verdict = "Alle Ziele erfüllt" if report.goals_met else "Nicht alle Ziele erfüllt"
    console.print(f"[bold]{verdict}.[/] Ergebnisse: {meta.get('json', '–')}", highlight=False)


def write_json(report: Report, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = report.meta["started"].replace(":", "").replace("-", "")
    path = directory / f"bench-{stamp}.json"
    report.meta["json"] = str(path)
    data = {
        "meta": report.meta,
        "setup": {
            key: {k: v for k, v in setup.items() if k not in ("schemas", "hosts")}
            for key, setup in report.setups.items()
        },
        "rows": [asdict(row) for row in report.rows],
        "goals_met": report.goals_met,
        "requests_detail": report.requests_detail,
        "raw": report.raw,
    }
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    (directory / "latest.json").write_text(text + "\n", encoding="utf-8")
    return path


# -- entry point ------------------------------------------------------------------


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
                with _workers(("setup", MODEL_SETS[key].ours, envs[key], {})) as (worker,):
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

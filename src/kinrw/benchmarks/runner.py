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


@dataclass
class Report:
    meta: dict[str, Any] = field(default_factory=dict)
    setup: dict[str, Any] = field(default_factory=dict)
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


def bench_onboarding(
    options: Options, env: dict[str, str], report: Report, progress: Callable[[str], None]
) -> None:
    warmup = 1
    params = {"count": warmup + options.onboarding_rounds}
    with _workers(
        ("onboarding-dt", "dt", env, params), ("onboarding-ours", "ours", env, params)
    ) as (dt_worker, our_worker):
        base, ours = alternate(
            dt_worker.round,
            our_worker.round,
            rounds=options.onboarding_rounds,
            warmup=warmup,
            progress=progress,
            label="KI anlegen",
        )
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
    note = "; ".join(problems) or (
        f"davon spielt PostgreSQL die Vorlage ein: {_fmt(replay, 's')} "
        f"({report.setup.get('tenant_tables', '?')} Tabellen)"
    )
    report.rows.append(
        Row(
            key="onboarding",
            title="Ein KI anlegen (Median je KI)",
            baseline_label="django-tenants auto_create_schema (alle Migrationen)",
            ours_label="kinrw tenant_create (Vorlage)",
            baseline=_median(base),
            ours=_median(ours),
            unit="s",
            factor=factor,
            goal=f"≥ {GOAL_CREATE:g}×",
            passed=factor >= GOAL_CREATE and not problems,
            note=note,
        )
    )
    report.raw["onboarding"] = {
        "django_tenants_s": base,
        "kinrw_s": ours,
        "django_tenants_check": dt_check,
        "kinrw_check": our_check,
        "warmup_rounds_dropped": warmup,
    }


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
    options: Options, env: dict[str, str], report: Report, progress: Callable[[str], None]
) -> None:
    with _workers(("migrate-dt", "dt", env, {}), ("migrate-ours", "ours", env, {})) as (
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
            label=f"No-op-Migration ({tenants} KI)",
        )
        dt_check = dt_worker.finish()
        our_check = our_worker.finish()
    factor = _median(base) / _median(ours)
    note = ""
    if not (dt_check["no_op"] and our_check["no_op"]):
        note = "kein No-op: ein Lauf hat Migrationen angewandt"
    report.rows.append(
        Row(
            key="migrate",
            title=f"No-op-Migration von {tenants} KI (im Prozess)",
            baseline_label="django-tenants migrate_schemas",
            ours_label="kinrw migrate (migrate_fleet)",
            baseline=_median(base),
            ours=_median(ours),
            unit="s",
            factor=factor,
            goal=f"≥ {GOAL_MIGRATE:g}×",
            passed=factor >= GOAL_MIGRATE and not note,
            note=note,
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
        dt_env = {**env, "DJANGO_SETTINGS_MODULE": SETTINGS["dt"]}
        our_env = {**env, "DJANGO_SETTINGS_MODULE": SETTINGS["ours"]}
        cli_base, cli_ours = alternate(
            lambda: _run_command(dt_cmd, dt_env),
            lambda: _run_command(our_cmd, our_env),
            rounds=options.cli_rounds,
            warmup=0,
            progress=progress,
            label="No-op-Migration als Befehl",
        )
        report.rows.append(
            Row(
                key="migrate_cli",
                title=f"dasselbe als Befehl, mit Python-Start ({tenants} KI)",
                baseline_label="kinrw django migrate_schemas",
                ours_label="kinrw migrate",
                baseline=_median(cli_base),
                ours=_median(cli_ours),
                unit="s",
                factor=_median(cli_base) / _median(cli_ours),
                goal="Info",
            )
        )
        raw["cli_django_tenants_s"] = cli_base
        raw["cli_kinrw_s"] = cli_ours
    report.raw["migrate"] = raw


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
        f"PostgreSQL {_pg_version(meta.get('postgres'))} ({meta['database']}), "
        f"Django {meta['django']}, django-tenants {meta['django_tenants']}, "
        f"Python {meta['python']}, {meta['cpus']} CPU, "
        f"Systemlast {meta['loadavg_start']} → {meta.get('loadavg_end')}",
        highlight=False,
    )
    if report.setup:
        console.print(
            f"Flotte: {report.setup['created']} KI aus dem Register angelegt "
            f"({report.setup['apply_s']:.1f} s), {report.setup['tenant_tables']} Tabellen je "
            f"KI-Schema, {report.setup['migrations']} Migrationen im Code.",
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
        "setup": {k: v for k, v in report.setup.items() if k not in ("schemas", "hosts")},
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
        "database": f"{server.host}:{server.port}/{options.db_name}",
        "django": django.get_version(),
        "django_tenants": getattr(django_tenants, "__version__", "4.0.1"),
        "python": platform.python_version(),
        "cpus": servers.cpu_count(),
        "loadavg_start": _loadavg(),
        "conn_max_age": int(os.environ.get("KINRW_CONN_MAX_AGE", "60")),
    }
    progress(f"Datenbank {options.db_name} neu anlegen ({server.host}:{server.port})")
    database.recreate(server, options.db_name)
    try:
        with tempfile.TemporaryDirectory(prefix="kinrw-bench-") as tmp:
            workdir = Path(tmp)
            (workdir / "static").mkdir()
            env = database.child_env(
                server,
                options.db_name,
                static_root=str(workdir / "static"),
                registry=str(registry),
            )
            progress("Öffentliches Schema, Vorlage und die KI des Registers anlegen")
            with _workers(("setup", "ours", env, {})) as (setup_worker,):
                report.setup = setup_worker.finish()
            report.meta["postgres"] = report.setup.get("postgres")
            if "onboarding" in parts:
                bench_onboarding(options, env, report, progress)
            if "migrate" in parts:
                bench_migrate(options, env, report, progress)
            if "requests" in parts:
                bench_requests(
                    options,
                    env,
                    report,
                    progress,
                    server=server,
                    setup=report.setup,
                    workdir=workdir,
                )
    finally:
        if options.keep_db:
            progress(f"Datenbank {options.db_name} bleibt erhalten (--keep-db)")
        else:
            progress(f"Datenbank {options.db_name} entfernen")
            database.drop(server, options.db_name)
    report.meta["loadavg_end"] = _loadavg()
    write_json(report, results)
    print_report(report, console)
    return report

"""The request path: a trivial KI page under gunicorn against the same page in plain Django."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from psycopg import sql

from kinrw.benchmarks import database, load, servers
from kinrw.benchmarks.options import SETTINGS, BenchError, Options
from kinrw.benchmarks.report import Report, Row, median
from kinrw.benchmarks.urls import PATH as BENCH_PATH
from kinrw.benchmarks.views import TABLE as BENCH_TABLE

GOAL_RPS = 0.9
BENCH_ROWS = 10
# "No extra query": fewer than one extra statement per 100 requests (a schema
# switch after the warm-up may cost one SET on a worker thread's connection).
SQL_TOLERANCE = 0.01


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
            "rps_median": median(self.rps),
            "rps_rounds": self.rps,
            "cpu_ms_per_request_median": median(self.cpu_ms),
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
    measured = _measure(
        options,
        env,
        progress,
        config=config,
        workdir=workdir,
        one_host=one_host,
        all_hosts=all_hosts,
    )
    _add_results(report, options, measured)
    report.raw["requests"] = {
        "gunicorn": asdict(config),
        "host_one_ki": one_host,
        "hosts_mixed": len(all_hosts),
        "requests_per_round": options.requests,
        "connections": options.concurrency,
        "path": BENCH_PATH,
    }


def _measure(
    options: Options,
    env: dict[str, str],
    progress: Callable[[str], None],
    *,
    config: servers.GunicornConfig,
    workdir: Path,
    one_host: str,
    all_hosts: list[str],
) -> dict[tuple[str, str], Measured]:
    """Start the servers, warm them up, run the rounds of each scenario; per server and scenario."""
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
    return measured


def _add_results(
    report: Report, options: Options, measured: dict[tuple[str, str], Measured]
) -> None:
    """The lines of the table (one KI against plain Django) and the details of every server."""
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
    factor = median(ours.rps) / median(plain.rps)
    report.rows.append(
        Row(
            key="requests_rps",
            title=f"Anfragen/s, gunicorn {options.workers}×{options.threads}, "
            f"{options.concurrency} Verbindungen",
            baseline_label=SERVER_LABELS["plain"],
            ours_label="kinrw",
            baseline=median(plain.rps),
            ours=median(ours.rps),
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
                baseline=median(plain.cpu_ms),
                ours=median(ours.cpu_ms),
                unit="ms",
                factor=median(plain.cpu_ms) / median(ours.cpu_ms),
                goal="Info",
            )
        )
    for (name, scenario), m in sorted(measured.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        summary = m.summary()
        base = measured.get(("plain", scenario))
        summary["rps_vs_plain"] = (
            median(m.rps) / median(base.rps) if base is not None and base.rps else None
        )
        summary["label"] = SERVER_LABELS[name]
        report.requests_detail.append(summary)

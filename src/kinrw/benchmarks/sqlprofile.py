"""Where a KI creation spends its time: SQL by statement kind, commits, the rest.

Used by the onboarding workers (:mod:`kinrw.benchmarks.worker`) in rounds of
their own after the measured ones, so the measured rounds carry no
instrumentation. Two tools:

* :class:`Profile` times every statement Django sends (an ``execute_wrapper``)
  and every commit of one creation. What is left of the wall time is Python
  (Django, django-tenants, kinrw) and the round trips.
* :func:`replay_by_kind` replays a template snapshot statement by statement
  (rolled back) and sums the server time per statement kind: what PostgreSQL
  spends on each kind of object of a KI schema.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_WS = re.compile(r"\s+")
_KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE | re.DOTALL), k)
    for p, k in [
        (r"^CREATE SCHEMA", "CREATE SCHEMA"),
        (r"^CREATE TABLE", "CREATE TABLE"),
        (r"^CREATE SEQUENCE", "CREATE SEQUENCE"),
        (r"^CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX"),
        (r"^CREATE INDEX", "CREATE INDEX"),
        (r"^ALTER TABLE .* ALTER COLUMN .* SET \(", "ALTER COLUMN … SET (Spaltenoption)"),
        (r"^ALTER TABLE .* ADD GENERATED .* AS IDENTITY", "ALTER TABLE … ADD IDENTITY"),
        (r"^ALTER TABLE .* PRIMARY KEY", "ALTER TABLE … PRIMARY KEY"),
        (r"^ALTER TABLE .* FOREIGN KEY", "ALTER TABLE … FOREIGN KEY"),
        (r"^ALTER TABLE .* ADD CONSTRAINT .* UNIQUE", "ALTER TABLE … UNIQUE"),
        (r"^ALTER TABLE .* ADD CONSTRAINT .* CHECK", "ALTER TABLE … CHECK"),
        (r"^ALTER TABLE .* SET DEFAULT", "ALTER TABLE … SET DEFAULT"),
        (r"^ALTER TABLE .* DROP", "ALTER TABLE … DROP"),
        (r"^ALTER TABLE .* ADD COLUMN", "ALTER TABLE … ADD COLUMN"),
        (r"^ALTER TABLE .* ALTER COLUMN .* TYPE", "ALTER TABLE … ALTER TYPE"),
        (r"^ALTER TABLE", "ALTER TABLE (sonstiges)"),
        (r"^ALTER SEQUENCE", "ALTER SEQUENCE"),
        (r"^SET CONSTRAINTS", "SET CONSTRAINTS"),
        (r"^SET ", "SET (Sitzung)"),
        (r"^SELECT (pg_catalog\.)?setval", "SELECT setval"),
        (r"^SELECT .*(pg_catalog|information_schema|pg_namespace|pg_class)", "SELECT Katalog"),
        (r"^SELECT .*django_migrations", "SELECT django_migrations"),
        (r"^SELECT", "SELECT"),
        (r"^INSERT", "INSERT"),
        (r"^UPDATE", "UPDATE"),
        (r"^DELETE", "DELETE"),
        (r"^COMMENT", "COMMENT"),
        (r"^(SAVEPOINT|RELEASE|ROLLBACK)", "SAVEPOINT"),
    ]
]
REPLAY = "Vorlage einspielen (ein Skript)"
# Kinds that build a B-tree index (PostgreSQL up to 16 fsyncs each new index file
# at once; 17 leaves that to the next checkpoint).
INDEX_KINDS = {
    "CREATE INDEX",
    "CREATE UNIQUE INDEX",
    "ALTER TABLE … PRIMARY KEY",
    "ALTER TABLE … UNIQUE",
}


def kind(statement: str) -> str:
    text = _WS.sub(" ", statement.strip())
    for pattern, label in _KINDS:
        if pattern.search(text):
            return label
    return text.split(" ", 1)[0].upper() or "?"


class Profile:
    """Statement and commit times of the current connection while active."""

    def __init__(self, *, script_kind: Callable[[str], str | None] | None = None) -> None:
        self.by_kind: dict[str, list[float]] = defaultdict(list)
        self.commits: list[float] = []
        self._script_kind = script_kind

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            label = (self._script_kind(sql) if self._script_kind else None) or kind(sql)
            self.by_kind[label].append(elapsed)

    @contextmanager
    def active(self) -> Iterator[None]:
        from django.db import connection

        original = connection._commit

        def timed_commit() -> None:
            started = time.perf_counter()
            try:
                original()
            finally:
                self.commits.append(time.perf_counter() - started)

        connection._commit = timed_commit  # type: ignore[method-assign]
        try:
            with connection.execute_wrapper(self):
                yield
        finally:
            del connection._commit  # the class's method again

    def summary(self, wall: float) -> dict[str, Any]:
        sql_s = sum(sum(v) for v in self.by_kind.values())
        commit_s = sum(self.commits)
        return {
            "wall_s": wall,
            "sql_s": sql_s,
            "statements": sum(len(v) for v in self.by_kind.values()),
            "commit_s": commit_s,
            "commits": len(self.commits),
            "python_and_rest_s": wall - sql_s - commit_s,
            "by_kind": {
                k: {"n": len(v), "s": sum(v)}
                for k, v in sorted(self.by_kind.items(), key=lambda kv: -sum(kv[1]))
            },
        }


def median_summary(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-field medians over several profiled creations (kinds: median of their sums)."""
    if not summaries:
        return {}
    result: dict[str, Any] = {
        key: statistics.median(s[key] for s in summaries)
        for key in ("wall_s", "sql_s", "statements", "commit_s", "commits", "python_and_rest_s")
    }
    kinds = {k for s in summaries for k in s["by_kind"]}
    by_kind = {
        k: {
            "n": statistics.median(s["by_kind"].get(k, {"n": 0})["n"] for s in summaries),
            "s": statistics.median(s["by_kind"].get(k, {"s": 0.0})["s"] for s in summaries),
        }
        for k in kinds
    }
    result["by_kind"] = dict(sorted(by_kind.items(), key=lambda kv: -kv[1]["s"]))
    result["rounds"] = len(summaries)
    return result


# Runs each statement of a script inside the server and returns its time in
# seconds: server time per statement, without a round trip each. Temporary (in
# pg_temp) and created inside the rolled-back transaction of the replay.
_TIMED_REPLAY = """
CREATE FUNCTION pg_temp.kinrw_bench_timed(statements text[]) RETURNS float8[]
LANGUAGE plpgsql AS $fn$
DECLARE
    i integer;
    started timestamptz;
    times float8[] := '{}';
BEGIN
    FOR i IN 1 .. coalesce(array_length(statements, 1), 0) LOOP
        started := clock_timestamp();
        EXECUTE statements[i];
        times := times || extract(epoch FROM clock_timestamp() - started)::float8;
    END LOOP;
    RETURN times;
END
$fn$
"""


def replay_by_kind(script: str, *, rounds: int = 3) -> dict[str, Any]:
    """Replay ``script`` statement by statement inside the server, rolled back.

    A PL/pgSQL loop runs the statements one after another and takes the time
    of each with ``clock_timestamp()``, so the times are PostgreSQL's own work
    per statement kind, without a round trip per statement. Their sum is close
    to the time of replaying the script in one piece (``total_s``).
    """
    from django.db import connection, transaction

    from kinrw.tenancy.sqlscript import split_statements

    statements = split_statements(script)
    labels = [kind(s) for s in statements]
    per_round: list[dict[str, float]] = []
    server: list[float] = []
    totals: list[float] = []
    for _ in range(rounds):
        times: dict[str, float] = defaultdict(float)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL check_function_bodies = off")
            cursor.execute(_TIMED_REPLAY)
            started = time.perf_counter()
            cursor.execute("SELECT pg_temp.kinrw_bench_timed(%s)", [statements])
            (durations,) = cursor.fetchone()
            totals.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        for label, seconds in zip(labels, durations, strict=True):
            times[label] += seconds
        server.append(sum(durations))
        per_round.append(times)
    counts: dict[str, int] = defaultdict(int)
    for label in labels:
        counts[label] += 1
    by_kind = {k: {"n": counts[k], "s": statistics.median(r[k] for r in per_round)} for k in counts}
    return {
        "statements": len(statements),
        "index_statements": sum(v["n"] for k, v in by_kind.items() if k in INDEX_KINDS),
        "index_s": sum(v["s"] for k, v in by_kind.items() if k in INDEX_KINDS),
        "server_s": statistics.median(server),
        "total_s": statistics.median(totals),
        "by_kind": dict(sorted(by_kind.items(), key=lambda kv: -kv[1]["s"])),
        "rounds": rounds,
    }

"""A small, bounded HTTP load generator: keep-alive connections on a few threads.

Each thread sends its share of a fixed number of GET requests over one
HTTP/1.1 connection (``http.client``), opening a new one every
``reconnect_every`` requests so that the server's workers share the
connections about evenly. It stops by itself; nothing runs longer than the
requests it was given.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field

from kinrw.benchmarks.sqlcount import HEADER


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    statements: Counter[str] = field(default_factory=Counter)  # kind -> count over all requests
    per_request: Counter[int] = field(default_factory=Counter)  # statements -> requests
    latencies_ms: list[float] = field(default_factory=list)
    bodies: Counter[str] = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run(
    *,
    port: int,
    hosts: list[str],
    path: str,
    total: int,
    threads: int,
    reconnect_every: int = 100,
    timeout: float = 30.0,
) -> LoadResult:
    """Send ``total`` requests to 127.0.0.1:``port``, host names taken round robin."""
    per_thread = [total // threads + (1 if i < total % threads else 0) for i in range(threads)]
    results = [LoadResult(requests=n, seconds=0.0) for n in per_thread]
    errors: list[BaseException] = []
    start = threading.Barrier(threads + 1)

    def worker(index: int) -> None:
        mine = results[index]
        conn: http.client.HTTPConnection | None = None
        try:
            start.wait()
            for number in range(mine.requests):
                if conn is None or number % reconnect_every == 0:
                    if conn is not None:
                        conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                host = hosts[(index + number * threads) % len(hosts)]
                began = time.perf_counter()
                conn.request(
                    "GET",
                    path,
                    headers={"Host": host, "X-Forwarded-Proto": "https"},
                )
                response = conn.getresponse()
                body = response.read()
                mine.latencies_ms.append((time.perf_counter() - began) * 1000)
                mine.statuses[response.status] += 1
                kinds = [k for k in (response.getheader(HEADER) or "").split(",") if k and k != "-"]
                mine.statements.update(kinds)
                mine.per_request[len(kinds)] += 1
                if number < 3:
                    mine.bodies[body.decode(errors="replace").strip()[:40]] += 1
                if response.will_close:
                    conn.close()
                    conn = None
        except BaseException as exc:  # reported to the caller, never swallowed
            errors.append(exc)
            with suppress(threading.BrokenBarrierError):
                start.abort()
        finally:
            if conn is not None:
                conn.close()

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    with suppress(threading.BrokenBarrierError):
        start.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(f"Lastgenerator: {errors[0]!r}") from errors[0]
    merged = LoadResult(requests=total, seconds=elapsed)
    for part in results:
        merged.statuses.update(part.statuses)
        merged.statements.update(part.statements)
        merged.per_request.update(part.per_request)
        merged.latencies_ms.extend(part.latencies_ms)
        merged.bodies.update(part.bodies)
    return merged

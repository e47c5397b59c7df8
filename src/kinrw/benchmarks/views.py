"""The trivial page of the request benchmark: one query, a tiny response."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse

TABLE = "kinrw_bench_item"


def items(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 (constant name)
        (count,) = cursor.fetchone()
    return HttpResponse(f"{count}\n", content_type="text/plain; charset=utf-8")

"""Where generated measures, sessions and counts go: ``bulk_create`` or PostgreSQL COPY.

Demo data uses :class:`ModelSink` (the model layer's ``bulk_create``: about
75,000 counts for Köln in a few seconds). The benchmark volume (20,000
measures, 200,000 sessions, about 2 million counts) would take minutes that
way, mostly in building model instances and quoting parameters; :class:`CopySink`
writes the same rows with COPY (ids reserved from the table's sequence first,
table and column names taken from the models' metadata).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from kinrw.workspace.models import Measure, Session, SessionCount

# (measure id, date, starts_at, duration minutes, cancelled, volunteers present, note)
SessionRow = tuple[int, dt.date, dt.time, int, bool, int, str]
# (session id, indicator id, breakdown, value code, value)
CountRow = tuple[int, int, str, str, int | Decimal]


class ModelSink:
    def measures(self, measures: list[Measure]) -> None:
        Measure.objects.bulk_create(measures)

    def links(self, through: type[models.Model], rows: list[dict[str, int]]) -> None:
        through.objects.bulk_create([through(**row) for row in rows])  # type: ignore[attr-defined]

    def sessions(self, rows: list[SessionRow]) -> list[int]:
        sessions = Session.objects.bulk_create(
            [
                Session(
                    measure_id=m,
                    date=date,
                    starts_at=at,
                    duration_minutes=minutes,
                    cancelled=cancelled,
                    volunteers_present=volunteers,
                    note=note,
                )
                for m, date, at, minutes, cancelled, volunteers, note in rows
            ],
            batch_size=5_000,
        )
        return [s.pk for s in sessions]

    def counts(self, rows: list[CountRow]) -> None:
        SessionCount.objects.bulk_create(
            [
                SessionCount(
                    session_id=s, indicator_id=i, breakdown=b, value_code=code, value=value
                )
                for s, i, b, code, value in rows
            ],
            batch_size=5_000,
        )


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, n],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_sql(model: type[models.Model], columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    return f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"


def _copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Any]) -> None:
    with connection.cursor() as cursor, cursor.copy(_copy_sql(model, columns)) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_text(model: type[models.Model], names: Sequence[str], lines: list[str]) -> None:
    """COPY text lines of the fields ``names`` (digits, dates, codes; notes escaped)."""
    columns = [model._meta.get_field(name).column for name in names]
    with connection.cursor() as cursor, cursor.copy(_copy_sql(model, columns)) as copy:
        for start in range(0, len(lines), 20_000):
            copy.write("".join(lines[start : start + 20_000]))


class CopySink(ModelSink):
    def measures(self, measures: list[Measure]) -> None:
        fields = Measure._meta.concrete_fields
        for measure, pk in zip(measures, _reserve_ids(Measure, len(measures)), strict=True):
            measure.pk = pk
        rows = (
            [f.get_db_prep_save(f.pre_save(m, add=True), connection) for f in fields]
            for m in measures
        )
        _copy_rows(Measure, [f.column for f in fields], rows)

    def links(self, through: type[models.Model], rows: list[dict[str, int]]) -> None:
        if not rows:
            return
        names = list(rows[0])
        columns = [through._meta.get_field(n).column for n in names]
        _copy_rows(through, columns, ([row[n] for n in names] for row in rows))

    def sessions(self, rows: list[SessionRow]) -> list[int]:
        ids = _reserve_ids(Session, len(rows))
        now = timezone.now().isoformat()
        lines = [
            f"{pk}\t{m}\t{date}\t{at}\t{minutes}\t{'t' if cancelled else 'f'}\t{volunteers}\t"
            f"{_escape(note)}\tf\t{now}\t{now}\n"
            for pk, (m, date, at, minutes, cancelled, volunteers, note) in zip(
                ids, rows, strict=True
            )
        ]
        _copy_text(Session, SESSION_FIELDS, lines)
        return ids

    def counts(self, rows: list[CountRow]) -> None:
        """Without ids: the column's identity default numbers them."""
        lines = [f"{s}\t{i}\t{b}\t{code}\t{value}\n" for s, i, b, code, value in rows]
        _copy_text(SessionCount, COUNT_FIELDS, lines)


SESSION_FIELDS = [
    "id",
    "measure",
    "date",
    "starts_at",
    "duration_minutes",
    "cancelled",
    "volunteers_present",
    "note",
    "is_deleted",
    "created_at",
    "updated_at",
]
COUNT_FIELDS = ["session", "indicator", "breakdown", "value_code", "value"]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

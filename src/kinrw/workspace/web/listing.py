"""List pages of the workspace: search, filters, sorting, pagination and export, one way.

A view describes its table with :class:`Column` and :class:`Filter` and calls
:func:`list_response`; the generic template ``workspace/list.html`` renders
it (accessible table, sortable headers with ``aria-sort``, pagination,
empty states). ``?export=csv`` or ``?export=xlsx`` downloads all filtered
rows with the same columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from kinrw.core.export import FORMATS, export_response
from kinrw.core.paging import KeysFirstPaginator

PER_PAGE = 25
MAX_EXPORT_ROWS = 100_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy German label
    value: Callable[[Any], Any]
    # ORM field(s) to order by (a tuple: the later ones break ties); None: not sortable
    sort: str | tuple[str, ...] | None = None
    link: Callable[[Any], str] | None = None
    numeric: bool = False
    money: bool = False  # two decimals always ("12.500,00")
    export: bool = True


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter
    label: Any
    choices: Callable[[], Sequence[tuple[str, Any]]]
    apply: Callable[[QuerySet[Any], str], QuerySet[Any]]


@dataclass
class Listing:
    """What the template needs; built by :func:`list_response`."""

    title: Any
    columns: Sequence[Column]
    filters: list[dict[str, Any]]
    search: str
    search_label: Any
    sort: str
    page: Any
    rows: list[tuple[Any, list[tuple[Column, Any, str | None]]]]
    total: int
    is_filtered: bool
    query: QueryDict
    empty_text: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def url_with(self, **changes: Any) -> str:
        q = self.query.copy()
        for k, v in changes.items():
            if v in (None, ""):
                q.pop(k, None)
            else:
                q[k] = str(v)
        return "?" + q.urlencode() if q else "?"

    def sort_links(self) -> list[dict[str, Any]]:
        out = []
        for col in self.columns:
            state = None
            if col.sort:
                if self.sort == col.key:
                    state = "ascending"
                elif self.sort == "-" + col.key:
                    state = "descending"
            target = "-" + col.key if state == "ascending" else col.key
            out.append(
                {
                    "column": col,
                    "state": state,
                    "url": self.url_with(sortierung=target, seite=None) if col.sort else None,
                }
            )
        return out

    def page_url(self, number: int) -> str:
        return self.url_with(seite=number if number > 1 else None)

    @property
    def first_url(self) -> str:
        return self.page_url(1)

    @property
    def prev_url(self) -> str:
        return self.page_url(self.page.previous_page_number())

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.next_page_number())

    @property
    def last_url(self) -> str:
        return self.page_url(self.page.paginator.num_pages)

    @property
    def csv_url(self) -> str:
        return self.url_with(export="csv", seite=None)

    @property
    def xlsx_url(self) -> str:
        return self.url_with(export="xlsx", seite=None)


def _display(value: Any) -> Any:
    """Dates as on paper and in the CSV (TT.MM.JJJJ); everything else as it is."""
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d.%m.%Y %H:%M")
        )
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value


def _ordering(columns: Sequence[Column], raw: str, default: str) -> tuple[str, list[str]]:
    by_key = {c.key: c for c in columns if c.sort}
    key = raw.lstrip("-")
    if key not in by_key:
        raw, key = default, default.lstrip("-")
    sign = "-" if raw.startswith("-") else ""
    fields = by_key[key].sort or key
    names = (fields,) if isinstance(fields, str) else fields
    return raw, [sign + name for name in (*names, "pk")]


def list_response(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    title: Any,
    columns: Sequence[Column],
    default_sort: str,
    template: str = "workspace/list.html",
    filters: Sequence[Filter] = (),
    search: Callable[[QuerySet[Any], str], QuerySet[Any]] | None = None,
    search_label: Any = "",
    export_name: str = "",
    empty_text: Any = "",
    context: dict[str, Any] | None = None,
    per_page: int = PER_PAGE,
) -> HttpResponse:
    params = request.GET
    base = queryset  # search and filters only narrow it (rows are loaded from it)
    term = params.get("q", "").strip()[:200]
    if search is not None and term:
        queryset = search(queryset, term)
    filter_state = []
    active = bool(term)
    for flt in filters:
        choices = list(flt.choices())
        value = params.get(flt.name, "")
        if value and value in {str(c[0]) for c in choices}:
            queryset = flt.apply(queryset, value)
            active = True
        else:
            value = ""
        filter_state.append({"filter": flt, "value": value, "choices": choices})
    sort, ordering = _ordering(columns, params.get("sortierung", ""), default_sort)
    queryset = queryset.order_by(*ordering)

    fmt = params.get("export", "")
    if fmt in FORMATS:
        exported = [c for c in columns if c.export]
        return export_response(
            fmt=fmt,
            name=export_name or str(title),
            headers=[str(c.label) for c in exported],
            rows=([c.value(obj) for c in exported] for obj in queryset[:MAX_EXPORT_ROWS]),
        )

    paginator = KeysFirstPaginator(queryset, per_page, rows=base)
    page = paginator.get_page(params.get("seite"))
    rows = [
        (obj, [(c, _display(c.value(obj)), c.link(obj) if c.link else None) for c in columns])
        for obj in page.object_list
    ]
    query = params.copy()
    query.pop("export", None)
    listing = Listing(
        title=title,
        columns=columns,
        filters=filter_state,
        search=term,
        search_label=search_label,
        sort=sort,
        page=page,
        rows=rows,
        total=paginator.count,
        is_filtered=active,
        query=query,
        empty_text=empty_text,
    )
    return render(request, template, {"listing": listing, **(context or {})})

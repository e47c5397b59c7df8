"""Pages of big ordered querysets, keys first: deep pages without reading every row before.

Used by the workspace's list pages and its REST API alike.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_rows(
    queryset: QuerySet[Any], bottom: int, top: int, *, rows: QuerySet[Any] | None = None
) -> list[Any]:
    """Rows ``bottom:top`` of an ordered queryset, keys first.

    A deep page by OFFSET would read, join and throw away every row before it.
    Instead a narrow query takes only the page's primary keys (an index-only
    scan when an index fits the order and the filter), then the rows are
    loaded by ``pk__in`` and put back in the keys' order: one query more than
    a slice, whatever the page. ``rows`` is the queryset to load them from
    (default ``queryset``): the unfiltered one the list started from, with its
    ``select_related``/``prefetch_related``/annotations, so that search and
    filters (which only narrow it) are not evaluated a second time.
    """
    if top <= bottom:
        return []
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    if not keys:
        return []
    source = queryset if rows is None else rows
    by_key = {row.pk: row for row in source.order_by().filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]


class KeysFirstPaginator(Paginator):
    """Django's paginator (exact count), whose pages come from :func:`page_rows`."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *args: Any,
        rows: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number: Any) -> Page:
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = page_rows(self.object_list, bottom, top, rows=self.rows)
        return self._get_page(rows, number, self)

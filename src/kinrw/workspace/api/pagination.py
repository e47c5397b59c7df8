"""Page-number pagination: ``?page=2&page_size=100`` (at most 200 per page).

The count stays exact; a page's rows are fetched keys first (see
:func:`kinrw.core.paging.page_rows`), so a deep page costs about
what the first one does.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from kinrw.core.paging import KeysFirstPaginator


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = KeysFirstPaginator

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any] | None:
        # the page's rows come from the view's unfiltered queryset (its relations loaded)
        if view is not None and hasattr(view, "get_queryset"):
            self.django_paginator_class = partial(KeysFirstPaginator, rows=view.get_queryset())
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        # The rows are serialized. Prefetching made each row and its related rows refer to
        # each other (a session's counts point back to it): such cycles wait for Python's
        # full garbage collection, which then takes 100-200 ms on a page of sessions. Dropping
        # the prefetched lists lets the page be freed at once.
        for row in self.page.object_list:
            row.__dict__.pop("_prefetched_objects_cache", None)
        return response

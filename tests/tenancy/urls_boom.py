"""Tenant URLconf plus a view that fails half-way (tests of the request path)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kinrw.conf.urls_tenant import urlpatterns as tenant_patterns


def boom(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user")
    raise RuntimeError("boom")


def where(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        (path_value,) = cursor.fetchone()
    return HttpResponse(path_value)


urlpatterns = [path("boom/", boom), path("where/", where), *tenant_patterns]

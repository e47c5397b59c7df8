"""Request path: host -> tenant -> schema and URLconf, per request.

Every request sets its schema before anything else can query (the Land host
and every error page set ``public``), so nothing of one request's schema
reaches the next one on this thread, also after an exception. The schema is
not reset when the response leaves: a streaming response (an export) still
runs its queries after that, and must see its own KI's schema.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import translation

from kinrw.core.language import language_for
from kinrw.tenancy import hostcache
from kinrw.tenancy.context import current_schema, use_public_schema, use_tenant
from kinrw.tenancy.models import Status


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            host = request.get_host().rsplit(":", 1)[0].lower().rstrip(".")
        except DisallowedHost:
            use_public_schema()
            return _not_found(request)
        resolved = hostcache.resolve(host)
        tenant = resolved.tenant if resolved is not None else None
        if resolved is None or (tenant is not None and tenant.status == Status.ARCHIVED):
            use_public_schema()
            return _not_found(request)
        if tenant is not None and tenant.status == Status.SUSPENDED:
            use_public_schema()  # no data access at all
            return _suspended(request, tenant)
        request.tenant = tenant  # type: ignore[attr-defined]
        if tenant is None:
            use_public_schema()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
        else:
            use_tenant(tenant)
            request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]
        set_urlconf(request.urlconf)  # type: ignore[attr-defined]
        return self.get_response(request)


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    # These pages are rendered before LanguageMiddleware: pick the language here.
    translation.activate(language_for(request))
    response = render(request, template, context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    request.tenant = None  # type: ignore[attr-defined]
    return _page(request, "tenancy/unknown_host.html", 404)


def _suspended(request: HttpRequest, tenant: object) -> HttpResponse:
    request.tenant = None  # type: ignore[attr-defined]
    response = _page(request, "tenancy/suspended.html", 503, ki=tenant)
    response.headers["Retry-After"] = "3600"
    return response


class SessionBindingMiddleware:
    """A session belongs to the schema it was made in; elsewhere it is dropped.

    Sessions already live in each schema's own table and cookies are
    host-only; this is the third lock on the same door.
    """

    KEY = "_kinrw_schema"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # No cookie, no session to check (and no query, no user loaded).
        if session is not None and session.session_key:
            bound = session.get(self.KEY)
            schema = current_schema()
            if bound is not None and bound != schema:
                from django.contrib.auth import logout

                logout(request)
            elif bound is None and session.get("_auth_user_id") is not None:
                session[self.KEY] = schema
        return self.get_response(request)

"""Every URL pattern of a URLconf, recursively through includes, with what a test needs to
fill it in (its kwargs, the model behind each object kwarg, the HTTP methods its view
takes), and the checks of the generic isolation test. Nothing here knows particular URLs:
``test_isolation_urls.py`` holds the registry of what cannot be worked out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from kinrw.core.placement import Placement, placement_of
from tests.workspace.records import Records

MUTATING = ("POST", "PUT", "PATCH", "DELETE")
Model = type[models.Model]


@dataclass(frozen=True)
class Route:
    name: str | None  # with namespaces, as reverse() wants it: "accounts:login"
    route: str  # the pattern as written, for messages
    kwargs: tuple[str, ...]
    positional: bool  # has unnamed regex groups: cannot be filled in by name
    callback: Callable[..., Any]

    @property
    def label(self) -> str:
        return f"{self.name or '(no name)'} [{self.route}]"

    def view_class(self) -> type | None:
        # Django's as_view() sets view_class, DRF's APIView/ViewSet.as_view() set cls.
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    def view_model(self) -> Model | None:
        """The model of a class-based view or DRF viewset (``model`` or ``queryset.model``)."""
        cls = self.view_class()
        model = getattr(cls, "model", None) or getattr(
            getattr(cls, "queryset", None), "model", None
        )
        return model if isinstance(model, type) and issubclass(model, models.Model) else None

    def methods(self) -> set[str] | None:
        """The HTTP methods the view handles; None for a function view (unknown)."""
        actions = getattr(self.callback, "actions", None)  # DRF viewset: {"get": "retrieve"}
        if actions:
            return {method.upper() for method in actions}
        cls = self.view_class()
        if cls is None:
            return None
        names = getattr(cls, "http_method_names", ())
        return {m.upper() for m in names if m != "options" and hasattr(cls, m)}

    def path(self, kwargs: Mapping[str, object], urlconf: str) -> str:
        assert self.name is not None
        path = reverse(self.name, kwargs=dict(kwargs), urlconf=urlconf)
        assert resolve(path, urlconf=urlconf).func is self.callback, (
            f"{self.label}: reverse() leads to another view; two patterns share the name and "
            "kwargs. Give each pattern a name of its own."
        )
        return path


def routes(urlconf: str) -> list[Route]:
    """All patterns of ``urlconf``, includes resolved, in order."""
    found: list[Route] = []

    def walk(
        patterns: Iterable[URLPattern | URLResolver],
        prefix: str,
        namespaces: tuple[str, ...],
        kwargs: tuple[str, ...],
        positional: bool,
    ) -> None:
        for p in patterns:
            regex = p.pattern.regex
            names = kwargs + tuple(regex.groupindex)
            unnamed = positional or regex.groups > len(regex.groupindex)
            if isinstance(p, URLResolver):
                spaces = (*namespaces, p.namespace) if p.namespace else namespaces
                walk(p.url_patterns, prefix + str(p.pattern), spaces, names, unnamed)
            else:
                name = ":".join((*namespaces, p.name)) if p.name else None
                found.append(Route(name, prefix + str(p.pattern), names, unnamed, p.callback))

    walk(get_resolver(urlconf).url_patterns, "", (), (), False)
    return found


def is_tenant(model: Model) -> bool:
    return placement_of(model) in (Placement.TENANT, Placement.BOTH)


@dataclass
class Registry:
    """What the walker cannot work out itself (see test_isolation_urls.py)."""

    view_models: dict[str, Model]  # URL name -> model of <pk>, where the name misleads
    parent_models: dict[str, Model]  # x of <x_pk> -> model, if x is no workspace model name
    value_kwargs: dict[str, object]  # kwargs that are values (year, month, format)
    own_tests: dict[str, str]  # URL name -> the test that checks it instead
    where: str = "tests/workspace/test_isolation_urls.py"

    def model_of(self, route: Route, kw: str) -> Model | None:
        if kw == "pk":
            explicit = self.view_models.get(route.name or "") or route.view_model()
            return explicit or self._named_by(route)
        return self._model_called(kw.removesuffix("_pk"))

    def _model_called(self, name: str) -> Model | None:
        if name in self.parent_models:
            return self.parent_models[name]
        workspace = {m._meta.model_name: m for m in apps.get_app_config("workspace").get_models()}
        return workspace.get(name.replace("_", ""))

    def _named_by(self, route: Route) -> Model | None:
        """The model a URL name starts with: ws:contact_update -> contact -> ContactPerson,
        api:measure-detail (DRF router names) -> measure -> Measure."""
        words = re.split(r"[_-]", (route.name or "").rsplit(":", 1)[-1])
        for end in range(len(words) - 1, 0, -1):  # longest first: gremium_meeting_detail
            model = self._model_called("_".join(words[:end]))
            if model is not None:
                return model
        return None

    def problems(self, route: Route) -> list[str]:
        if route.name is None or route.positional:
            return [f"{route.label}: give the pattern a name and only named kwargs."]
        if route.name in self.own_tests:
            return []
        found = []
        for kw in route.kwargs:
            if kw in self.value_kwargs:
                continue
            if kw != "pk" and not kw.endswith("_pk"):
                found.append(
                    f"{route.label}: <{kw}> is no object kwarg (`pk`, `<model>_pk`): add it to "
                    "REGISTRY.value_kwargs, or the URL name to REGISTRY.own_tests with a test "
                    f"of its own ({self.where})."
                )
            elif self.model_of(route, kw) is None:
                what = (
                    "the URL name to REGISTRY.view_models"
                    if kw == "pk"
                    else f"{kw[:-3]!r} to REGISTRY.parent_models"
                )
                found.append(
                    f"{route.label}: which model is <{kw}>? Set `model`/`queryset` on the view or "
                    f"add {what} ({self.where})."
                )
        return found

    def usable(self, urlconf: str) -> list[Route]:
        return [r for r in routes(urlconf) if not self.problems(r) and r.name not in self.own_tests]

    def object_models(self, route: Route) -> dict[str, Model]:
        objects = [kw for kw in route.kwargs if kw not in self.value_kwargs]
        return {kw: m for kw in objects if (m := self.model_of(route, kw)) is not None}

    def has_objects(self, route: Route) -> bool:
        return any(map(is_tenant, self.object_models(route).values()))

    def kwargs(self, route: Route, records: Records) -> dict[str, object]:
        filled = {kw: v for kw, v in self.value_kwargs.items() if kw in route.kwargs}
        for kw, model in self.object_models(route).items():
            obj = records[model] if is_tenant(model) else model._default_manager.first()
            assert obj is not None, f"{route.label}: no {model._meta.label} to fill in <{kw}>"
            filled[kw] = obj.pk
        return filled


def foreign_object_failures(
    client: Client, urlconf: str, reg: Registry, foreign: Records
) -> list[str]:
    """Requests for the ``foreign`` KI's objects that got anything but a 404 (or a 405)."""
    failures = []
    for route in filter(reg.has_objects, reg.usable(urlconf)):
        path = route.path(reg.kwargs(route, foreign), urlconf)
        declared = route.methods()  # None: a function view, GET and POST are what it may take
        methods = (
            ["GET", "POST"] if declared is None else ["GET", *sorted(declared & set(MUTATING))]
        )
        for method in methods:
            response = client.generic(method, path, data="{}", content_type="application/json")
            refused = {404, 405} if declared is None or method not in declared else {404}
            if response.status_code not in refused or foreign.found_in(body(response)):
                failures.append(f"{method} {path} ({route.label}): {response.status_code}")
    return failures


def restart_sequences(schema: str, at: int, apps_labels: Iterable[str]) -> None:
    """The id sequences of the apps' tables in ``schema`` hand out ``at`` next (or the first
    free id above it; sequences are not transactional).

    So the first record of each table gets the same pk: a view that reads the wrong table
    still finds an object of the other KI, and the test sees the leak.
    """
    tables = {
        model._meta.db_table
        for label in apps_labels
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.relname, t.relname, a.attname FROM pg_class s "
            "JOIN pg_namespace n ON n.oid = s.relnamespace "
            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
            "WHERE s.relkind = 'S' AND n.nspname = %s AND t.relname = ANY(%s)",
            [schema, sorted(tables)],
        )
        for sequence, table, column in cursor.fetchall():
            cursor.execute(f'SELECT MAX("{column}") FROM "{schema}"."{table}"')
            taken = cursor.fetchone()[0] or 0
            cursor.execute(
                "SELECT setval(%s::regclass, %s, false)",
                [f'"{schema}"."{sequence}"', max(at, taken + 1)],
            )


def snapshot(records: Records) -> list[object]:
    rows = [list(type(o)._default_manager.filter(pk=o.pk).values()) for o in records.created]
    return [*rows, [type(o)._default_manager.count() for o in records.created]]


def body(response: HttpResponseBase) -> bytes:
    """What a person would read in a response: HTML, JSON, CSV, or an XLSX's text."""
    streaming = getattr(response, "streaming", False)
    data = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
    if data[:4] == b"PK\x03\x04":  # XLSX: the cell texts are in the zipped XML parts
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(n) for n in archive.namelist())
    return data

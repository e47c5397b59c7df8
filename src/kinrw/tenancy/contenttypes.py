"""ContentType cache per schema.

Django keeps one ContentType cache per process, keyed by database alias only,
and shares it between threads. With one schema per KI the ids of a content
type may differ between schemas (public vs KI), and django-tenants' clearing
on every switch does not help a second thread that switched elsewhere. This
cache keys every entry by the schema of the asking thread's connection.
"""

from __future__ import annotations

from typing import Any

from django.db import connections


class SchemaKeyedCache(dict):  # type: ignore[type-arg]
    """A dict whose keys (database aliases) are paired with the thread's schema."""

    @staticmethod
    def _key(alias: Any) -> tuple[Any, str]:
        return (alias, str(getattr(connections[alias], "schema_name", "")))

    def __getitem__(self, alias: Any) -> Any:
        return super().__getitem__(self._key(alias))

    def __setitem__(self, alias: Any, value: Any) -> None:
        super().__setitem__(self._key(alias), value)

    def __contains__(self, alias: object) -> bool:
        return super().__contains__(self._key(alias))

    def get(self, alias: Any, default: Any = None) -> Any:
        return super().get(self._key(alias), default)

    def setdefault(self, alias: Any, default: Any = None) -> Any:
        return super().setdefault(self._key(alias), default)


def install() -> None:
    from django.contrib.contenttypes.models import ContentType

    if not isinstance(ContentType.objects._cache, SchemaKeyedCache):
        ContentType.objects._cache = SchemaKeyedCache()

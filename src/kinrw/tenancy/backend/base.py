"""PostgreSQL backend that sets the search_path without an extra query.

django-tenants issues ``SET search_path`` on the first cursor after every
``set_tenant()``, i.e. one extra query per request. This backend

* puts the search_path into the connection's startup options when a new
  connection is opened (no round trip), and
* remembers which search_path the session really has, so a request for the
  same schema on a persistent connection issues nothing.

The remembered value is forgotten whenever PostgreSQL may have dropped it:
on close, rollback and rollback to a savepoint (a ``SET`` inside an aborted
transaction is undone). A request for another schema always issues the
``SET`` before its first query, so nothing leaks between requests.
"""

from __future__ import annotations

import re
from typing import Any

from django_tenants.postgresql_backend import base as tenants_base

_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_SEARCH_PATHS: dict[tuple[str, bool], list[str]] = {}


class DatabaseWrapper(tenants_base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._applied_search_path: list[str] | None = None
        super().__init__(*args, **kwargs)

    # -- remembering what the session has -----------------------------------
    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        current = self.tenant
        if (
            current is not None
            and current.schema_name == tenant.schema_name
            and self.include_public_schema == include_public
            and tenants_base.EXTRA_SET_TENANT_METHOD is None
        ):
            self.tenant = tenant  # same schema: nothing to switch, nothing to forget
            return
        super().set_tenant(tenant, include_public)
        applied = getattr(self, "_applied_search_path", None)
        if applied is not None and applied == self._get_cursor_search_paths():
            self.search_path_set_schemas = applied

    def _get_cursor_search_paths(self) -> list[str]:
        # Validated once per (schema, include_public): this runs on every switch.
        key = (self.schema_name, self.include_public_schema)
        paths = _SEARCH_PATHS.get(key)
        if paths is None:
            paths = super()._get_cursor_search_paths()
            if len(_SEARCH_PATHS) < 10_000:
                _SEARCH_PATHS[key] = paths
        return paths

    def _handle_search_path(self, cursor: Any = None) -> None:
        super()._handle_search_path(cursor)
        if not self._setting_search_path:
            self._applied_search_path = self.search_path_set_schemas

    def close(self) -> None:
        self._applied_search_path = None
        super().close()

    def rollback(self) -> None:
        self._applied_search_path = None
        super().rollback()

    def savepoint_rollback(self, sid: str) -> None:
        self._applied_search_path = None
        super().savepoint_rollback(sid)

    # -- new connections start in the right schema --------------------------
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        self._startup_search_path = None
        if self.schema_name:
            paths = self._get_cursor_search_paths()
            if all(_PLAIN_NAME.match(p) for p in paths):
                option = "-c search_path=" + ",".join(paths)
                params["options"] = f"{params.get('options', '')} {option}".strip()
                self._startup_search_path = paths
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        startup = getattr(self, "_startup_search_path", None)
        if startup is not None:
            self._applied_search_path = startup
            if startup == self._get_cursor_search_paths():
                self.search_path_set_schemas = startup
        return connection

"""The database backend: the search_path is right without extra queries, and is
re-issued whenever PostgreSQL may have dropped it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.kit import Kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh() -> Iterator[object]:
    """A separate connection to the test database, outside the test transaction."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict["NAME"] = connections["default"].settings_dict["NAME"]
    yield wrapper
    wrapper.close()


def _show(wrapper: object) -> str:
    with wrapper.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SHOW search_path")
        return str(cursor.fetchone()[0]).replace('"', "").replace(" ", "")


def _sets(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]


def test_new_connection_starts_in_the_tenant_schema_without_a_set(kit: Kit, fresh) -> None:  # type: ignore[no-untyped-def]
    fresh.set_tenant(kit.a.tenant)
    with CaptureQueriesContext(fresh) as queries:
        assert _show(fresh) == "ki_koeln,public"
    assert _sets(queries) == []


def test_switching_tenant_issues_one_set(kit: Kit, fresh) -> None:  # type: ignore[no-untyped-def]
    fresh.set_tenant(kit.a.tenant)
    _show(fresh)
    fresh.set_tenant(kit.b.tenant)
    with CaptureQueriesContext(fresh) as queries:
        assert _show(fresh) == "ki_bonn,public"
        assert _show(fresh) == "ki_bonn,public"
    assert _sets(queries) == ['SET search_path = "ki_bonn","public"']


def test_rollback_forgets_the_search_path(kit: Kit, fresh) -> None:  # type: ignore[no-untyped-def]
    fresh.set_tenant(kit.a.tenant)
    _show(fresh)
    fresh.set_autocommit(False)
    fresh.set_tenant(kit.b.tenant)
    assert _show(fresh) == "ki_bonn,public"  # SET inside the transaction
    fresh.rollback()  # PostgreSQL undoes that SET: the session is back on Köln
    fresh.set_autocommit(True)
    with CaptureQueriesContext(fresh) as queries:
        assert _show(fresh) == "ki_bonn,public"
    assert _sets(queries) == ['SET search_path = "ki_bonn","public"']


def test_savepoint_rollback_forgets_the_search_path(kit: Kit, fresh) -> None:  # type: ignore[no-untyped-def]
    fresh.set_tenant(kit.a.tenant)
    _show(fresh)
    fresh.set_autocommit(False)
    sid = fresh.savepoint()
    fresh.set_tenant(kit.b.tenant)
    assert _show(fresh) == "ki_bonn,public"
    fresh.savepoint_rollback(sid)
    assert _show(fresh) == "ki_bonn,public"  # re-issued: the rollback had undone it
    fresh.rollback()
    fresh.set_autocommit(True)


def test_public_schema_sees_no_tenant_tables(kit: Kit, fresh) -> None:  # type: ignore[no-untyped-def]
    fresh.set_schema_to_public()
    assert _show(fresh) == "public"

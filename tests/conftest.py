from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import override_settings

from kinrw.tenancy import hostcache, listener, template
from kinrw.tenancy.context import use_public_schema
from tests import kit as kit_module
from tests.kit import Kit

# Templates reference static files, but tests do not run collectstatic; the test
# client speaks plain HTTP. Everything else is the production configuration.
_TEST_OVERRIDES = override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    SECURE_SSL_REDIRECT=False,
    STATIC_ROOT=tempfile.mkdtemp(prefix="kinrw-static-"),  # WhiteNoise wants it to exist
    # documents on local disk (the default without a bucket), never in the developer's data
    AWS_STORAGE_BUCKET_NAME="",
    KINRW_DOCUMENTS_ROOT=tempfile.mkdtemp(prefix="kinrw-documents-"),
)


def pytest_configure() -> None:
    _TEST_OVERRIDES.enable()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: pytest.FixtureRequest,
    django_db_keepdb: bool,
    django_db_createdb: bool,
) -> Iterator[Kit]:
    """Test database with the template snapshot and the two-tenant kit, committed.

    Replaces pytest-django's fixture so that the test database is created for every
    selection, also when only tests that commit (subprocess CLI tests) are selected:
    pytest-django would then create none and the kit would land in DATABASE_URL itself.
    """
    from django.test.utils import setup_databases, teardown_databases

    keepdb = django_db_keepdb and not django_db_createdb
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        db_cfg = setup_databases(
            verbosity=verbosity, interactive=False, aliases={"default"}, keepdb=keepdb
        )
        name = str(connection.settings_dict["NAME"])
        assert name.startswith("test_"), f"refusing to build the kit in {name}"
        use_public_schema()
        template.ensure_template()
        built = kit_module.build()
    yield built
    listener.stop()  # its connection would keep the test database from being dropped
    if not keepdb:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            teardown_databases(db_cfg, verbosity=verbosity)


@pytest.fixture
def kit(django_db_setup: Kit, db: None) -> Kit:
    use_public_schema()
    for kt in django_db_setup:  # earlier tests may have changed the shared instances
        kt.tenant.refresh_from_db()
    return django_db_setup


@pytest.fixture(autouse=True)
def _clean_request_state() -> Iterator[None]:
    """Rolled-back tenancy changes send no signal: start and end each test cold."""
    hostcache.clear()
    yield
    connection.set_schema_to_public()
    hostcache.clear()


@pytest.fixture
def test_database_url() -> str:
    """A DATABASE_URL for subprocesses that points at the test database."""
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{s['USER']}@/{s['NAME']}?host={host}&port={s.get('PORT') or 5432}"
    return f"postgres://{s['USER']}@{host}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture
def cli_env(test_database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = test_database_url
    env.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
    env["KINRW_TENANT_LISTENER"] = "0"
    return env


@pytest.fixture
def committed(django_db_setup: Kit, django_db_blocker: Any) -> Iterator[Kit]:
    """Database access outside a transaction, for tests whose subprocesses must see the
    data; everything the test created (tenants, domains, schemas) is removed afterwards."""
    from tests.tenancy.onboarding_helpers import db_state, remove_created

    with django_db_blocker.unblock():
        use_public_schema()
        before = db_state()
        try:
            yield django_db_setup
        finally:
            use_public_schema()
            remove_created(before)
            assert db_state() == before

"""Sentry gets errors of views and tasks with the KI's tag and without personal data
(issue 5 part 3, ADR 0013).

The SDK runs with an in-memory transport: whatever it would send is serialized exactly
as on the wire and searched for the sentinel values a view and a task held in local
variables, in the request body, in the exception message and as the signed-in user.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory, override_settings

from kinrw.core import sentry
from tests.hardening.celery_tasks import failing_task
from tests.hardening.sentry_fixtures import (
    SENTINEL_EMAIL,
    SENTINEL_IBAN,
    SENTINEL_NAME,
    MemoryTransport,
)
from tests.kit import Kit

DSN = "https://public@sentry.invalid/1"
SENTINELS = (SENTINEL_EMAIL, SENTINEL_NAME, SENTINEL_IBAN, "sentinel.example")


@pytest.fixture
def sent() -> Iterator[type[MemoryTransport]]:
    MemoryTransport.envelopes.clear()
    sentry.init(dsn=DSN, environment="test", release="kinrw@test", transport=MemoryTransport)
    with override_settings(SENTRY_DSN=DSN):
        yield MemoryTransport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    MemoryTransport.envelopes.clear()


def _assert_nothing_personal(wire: bytes, *also: str) -> None:
    text = wire.decode("utf-8").lower()
    for value in (*SENTINELS, *also):
        assert value.lower() not in text, f"{value!r} left the process"


def _through_wsgi(client: Client, path: str, data: dict[str, str], **headers: str) -> int:
    """A POST through Django's WSGI handler, as gunicorn calls it (the SDK hooks in there)."""
    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    request = RequestFactory(**client.defaults).post(
        path, data, HTTP_COOKIE=f"{cookie}; note={SENTINEL_NAME}", **headers
    )
    statuses: list[str] = []
    # as the test client does: the test's transaction keeps its connection
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(request.environ, lambda status, _h: statuses.append(status))
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(statuses[0].split()[0])


@override_settings(ROOT_URLCONF="tests.hardening.sentry_fixtures")
@pytest.mark.django_db
def test_a_failing_view_reports_the_tenant_but_no_personal_data(
    kit: Kit, sent: type[MemoryTransport]
) -> None:
    client = kit.a.client()  # signed in: the user's e-mail must not leave either
    status = _through_wsgi(
        client,
        "/kaputt/?email=" + SENTINEL_EMAIL,
        {"full_name": SENTINEL_NAME, "email": SENTINEL_EMAIL, "iban": SENTINEL_IBAN},
        HTTP_X_REQUEST_ID="sentry-test-request-1",
    )
    assert status == 500

    (event,) = [e for e in sent.events() if e.get("exception")]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert "[E-Mail]" in event["exception"]["values"][-1]["value"]
    assert event["tags"]["tenant"] == kit.a.tenant.slug
    assert event["tags"]["request_id"] == "sentry-test-request-1"
    assert event["environment"] == "test" and event["release"] == "kinrw@test"
    assert event["request"]["url"].endswith("/kaputt/")
    assert not {"data", "cookies", "query_string", "env"} & set(event["request"])
    assert set(event.get("user", {})) <= {"id"}
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert any(f.get("function") == "failing_view" for f in frames)
    assert not any("vars" in f for f in frames)
    _assert_nothing_personal(sent.wire(), kit.a.admin_email)


@pytest.mark.django_db
def test_a_failing_task_reports_the_tenant_but_no_personal_data(
    kit: Kit, sent: type[MemoryTransport]
) -> None:
    # as a worker gets it: started in public, the header names KI B's schema
    result = failing_task.apply(
        args=[SENTINEL_NAME, SENTINEL_EMAIL], headers={"_schema_name": kit.b.tenant.schema_name}
    )
    assert result.failed()

    (event,) = [e for e in sent.events() if e.get("exception")]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["tenant"] == kit.b.tenant.slug
    _assert_nothing_personal(sent.wire())


def test_the_scrubber_keeps_only_safe_request_parts_and_the_user_id() -> None:
    event = {
        "request": {
            "url": "https://koeln.example/konto/passwort-setzen/MTI/abc-123/?next=/x",
            "method": "POST",
            "data": {"name": SENTINEL_NAME},
            "cookies": {"kinrw_session": "secret"},
            "query_string": "email=" + SENTINEL_EMAIL,
            "env": {"REMOTE_ADDR": "192.0.2.7"},
            "headers": {"User-Agent": "x", "Host": "koeln.example", "Cookie": "a=b"},
        },
        "user": {"id": 7, "email": SENTINEL_EMAIL, "ip_address": "192.0.2.7"},
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "duplicate key\nDETAIL:  Key (email)=(x@y.de) already exists.",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"n": SENTINEL_NAME}}]},
                }
            ]
        },
        "logentry": {"message": "for %s", "params": [SENTINEL_NAME], "formatted": "an a@b.de"},
        "breadcrumbs": {"values": [{"message": "mail to c@d.de", "data": {"iban": "DE00"}}]},
        "extra": {"celery-job": {"task_name": "t", "args": [SENTINEL_NAME]}, "user_token": "t"},
        "contexts": {"runtime": {"name": "CPython"}, "person": {"birth_date": "2000-01-01"}},
        "tags": {"tenant": "koeln"},
    }
    out = sentry.scrub_event(event)
    assert out["request"] == {
        "method": "POST",
        "url": "https://koeln.example/konto/passwort-setzen/[entfernt]/[entfernt]/",
        "headers": {"Host": "koeln.example"},
    }
    assert out["user"] == {"id": 7}
    exc = out["exception"]["values"][0]
    assert exc["value"] == "duplicate key" and "vars" not in exc["stacktrace"]["frames"][0]
    assert out["logentry"] == {"message": "for %s", "formatted": "an [E-Mail]"}
    assert out["breadcrumbs"]["values"][0] == {
        "message": "mail to [E-Mail]",
        "data": {"iban": sentry.SCRUBBED},
    }
    assert out["extra"] == {
        "celery-job": {"task_name": "t", "args": sentry.SCRUBBED},
        "user_token": sentry.SCRUBBED,
    }
    assert out["contexts"]["runtime"] == {"name": "CPython"}
    assert out["contexts"]["person"] == {"birth_date": sentry.SCRUBBED}
    assert out["tags"] == {"tenant": "koeln"}


def test_without_a_tag_the_active_schema_names_the_tenant() -> None:
    assert sentry.scrub_event({})["tags"] == {"tenant": "public"}


def test_settings_start_sentry_only_with_a_dsn() -> None:
    from django.conf import settings

    assert settings.SENTRY_DSN == ""  # the test run has none: nothing is initialised
    assert sentry_sdk.get_client().is_active() is False

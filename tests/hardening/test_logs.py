"""Structured logs: one JSON object per line with tenant and request id, no personal data
(issue 5 part 4, ADR 0013)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from kinrw.core.jsonlog import ContextFilter, JsonFormatter
from kinrw.core.requestctx import request_id_from
from kinrw.tenancy.context import in_tenant
from tests.kit import Kit


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The configured JSON format, written to a buffer for everything under ``kinrw``."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("kinrw")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def _parsed(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # one object a line


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_tenant_and_request_id(
    kit: Kit, json_lines: io.StringIO
) -> None:
    response = Client(HTTP_HOST=kit.a.host).get(
        "/konto/anmelden/?email=jemand@example.org", HTTP_X_REQUEST_ID="abc12345-from-proxy"
    )
    assert response["X-Request-ID"] == "abc12345-from-proxy"
    (line,) = [e for e in _parsed(json_lines) if e["logger"] == "kinrw.access"]
    assert line["tenant"] == kit.a.tenant.slug
    assert line["request_id"] == "abc12345-from-proxy"
    assert line["level"] == "INFO" and str(line["time"]).endswith("+00:00")
    assert line["http"] == {
        "method": "GET",
        "path": "/konto/anmelden/",  # no query string: it may hold search terms or addresses
        "status": 200,
        "duration_ms": line["http"]["duration_ms"],  # type: ignore[index]
    }
    assert "jemand@example.org" not in json_lines.getvalue()
    assert "127.0.0.1" not in json_lines.getvalue()  # no client address


@pytest.mark.django_db
def test_the_land_host_and_a_generated_request_id(kit: Kit, json_lines: io.StringIO) -> None:
    response = Client(HTTP_HOST=kit.land_host).get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    generated = response["X-Request-ID"]
    assert generated != "bad id\nwith newline" and len(generated) == 32
    (line,) = [e for e in _parsed(json_lines) if e["logger"] == "kinrw.access"]
    assert line["tenant"] == "public" and line["request_id"] == generated


@pytest.mark.django_db
def test_set_password_links_are_masked_in_the_access_log(kit: Kit, json_lines: io.StringIO) -> None:
    Client(HTTP_HOST=kit.a.host).get("/konto/passwort-setzen/MTI/geheimes-token-123/")
    (line,) = [e for e in _parsed(json_lines) if e["logger"] == "kinrw.access"]
    assert line["http"]["path"] == "/konto/passwort-setzen/[entfernt]/[entfernt]/"  # type: ignore[index]
    assert "geheimes-token-123" not in json_lines.getvalue()


@pytest.mark.django_db
def test_outside_a_request_the_active_schema_names_the_tenant(
    kit: Kit, json_lines: io.StringIO
) -> None:
    log = logging.getLogger("kinrw.test")
    with in_tenant(kit.b.tenant):
        log.warning("Aufgabe für Schema %s", kit.b.tenant.schema_name)
    log.warning("Mail an %s ging nicht raus", "person@example.org")
    try:
        raise ValueError("kaputt für person@example.org")
    except ValueError:
        log.exception("Fehler")
    first, second, third = _parsed(json_lines)
    assert first["tenant"] == kit.b.tenant.slug and first["request_id"] is None
    assert second["tenant"] == "public"
    assert second["message"] == "Mail an [E-Mail] ging nicht raus"
    assert "ValueError: kaputt für [E-Mail]" in str(third["exception"])
    assert "person@example.org" not in json_lines.getvalue()


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc12345", True),
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("short", False),
        ("a" * 129, False),
        ("with space 12345", False),
        ("x\ny-injected-line", False),
        (None, False),
    ],
)
def test_which_request_ids_are_taken_over(incoming: str | None, kept: bool) -> None:
    assert (request_id_from(incoming) == incoming) is kept


def test_the_settings_choose_json_in_production() -> None:
    from django.conf import settings

    assert settings.KINRW_LOG_FORMAT == "json"  # the test run has DEBUG off
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_celery_worker_and_beat_handlers_get_the_json_format() -> None:
    from celery.signals import after_setup_logger

    import kinrw.conf.celery  # noqa: F401 - connects the handler

    logger = logging.getLogger("kinrw.test.celery")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        after_setup_logger.send(sender=None, logger=logger, loglevel=logging.INFO, logfile=None)
        assert isinstance(handler.formatter, JsonFormatter)
        logger.warning("Worker bereit")
        line = json.loads(handler.stream.getvalue())  # type: ignore[attr-defined]
        assert line["message"] == "Worker bereit" and line["tenant"] == "public"
    finally:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_task_logs_its_ki_and_its_name(kit: Kit, json_lines: io.StringIO) -> None:
    from tests.hardening.celery_tasks import logging_task

    with in_tenant(kit.b.tenant):
        result = logging_task.apply()
    assert result.successful()
    (line,) = [e for e in _parsed(json_lines) if e["logger"] == "kinrw.test.task"]
    assert line["tenant"] == kit.b.tenant.slug
    assert line["task"] == "tests.hardening.logging_task" and line["task_id"] == result.id

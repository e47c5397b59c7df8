"""One JSON object per log line: time, level, logger, message, tenant, request id.

Used when ``KINRW_LOG_FORMAT=json`` (the production default). The message goes
through :func:`kinrw.core.redact.scrub_text` as a last line of defence; log calls
name ids, slugs and schemas, never people (ADR 0013). A traceback is included
as text (no local variables).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from kinrw.core.redact import scrub_text
from kinrw.core.requestctx import current_request_id, tenant_label


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_text(record.getMessage()),
            "tenant": tenant_label(),
            "request_id": current_request_id(),
        }
        task = _current_task()
        if task is not None:  # a line from inside a Celery task: which one
            entry["task"], entry["task_id"] = task
        http = getattr(record, "http", None)
        if isinstance(http, dict):  # the access log line (kinrw.core.requestctx)
            entry["http"] = http
        if record.exc_info:
            entry["exception"] = scrub_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def _current_task() -> tuple[str, str] | None:
    from celery._state import get_current_task

    task = get_current_task()
    if task is None or task.request is None or task.request.id is None:
        return None
    return str(task.name), str(task.request.id)


class ContextFilter(logging.Filter):
    """Adds ``tenant`` and ``request_id`` to records for the plain text format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = tenant_label()
        record.request_id = current_request_id() or "-"
        return True


def _celery_handlers(logger: logging.Logger, **_: object) -> None:
    from django.conf import settings

    if getattr(settings, "KINRW_LOG_FORMAT", "json") != "json":
        return
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())
        handler.addFilter(ContextFilter())


def use_for_celery() -> None:
    """Celery sets up its own log handlers in worker and beat: give them our JSON lines."""
    from celery.signals import after_setup_logger, after_setup_task_logger

    after_setup_logger.connect(_celery_handlers, weak=False, dispatch_uid="kinrw_json_log")
    after_setup_task_logger.connect(
        _celery_handlers, weak=False, dispatch_uid="kinrw_json_task_log"
    )

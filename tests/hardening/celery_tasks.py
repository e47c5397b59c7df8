"""Celery tasks of the tests: one fails holding a sentinel, one logs."""

from __future__ import annotations

import logging

from kinrw.conf.celery import app
from kinrw.tenancy.context import use_public_schema


@app.task(name="tests.hardening.failing_task")
def failing_task(full_name: str, email: str) -> None:
    person = {"name": full_name, "email": email}
    use_public_schema()  # the tag must come from the task's start, not from the schema at the end
    raise RuntimeError(f"Aufgabe fehlgeschlagen für {person['email']}")


@app.task(name="tests.hardening.logging_task")
def logging_task() -> None:
    logging.getLogger("kinrw.test.task").warning("Aufgabe läuft")

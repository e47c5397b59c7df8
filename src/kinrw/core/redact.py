"""Removing what can be recognised as personal data from free text (logs, error reports).

E-mail addresses are replaced and PostgreSQL's ``DETAIL`` part of an error (it
repeats the values of a violated constraint, e.g. ``Key (email)=(…)``) is cut off.
Names, addresses and dates can not be recognised in free text: code never puts
them into log or exception messages in the first place (ADR 0013).
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PG_DETAIL = re.compile(r"\n?DETAIL:.*", re.DOTALL)
# Paths that carry a secret: the one-time set-password link (uid and token).
_SECRET_PATHS = re.compile(r"(/passwort-setzen/)[^/]+/[^/]+/")


def scrub_text(text: str) -> str:
    return _EMAIL.sub("[E-Mail]", _PG_DETAIL.sub("", text))


def scrub_path(path: str) -> str:
    """A URL path (or URL) without its query string and with link tokens masked."""
    return _SECRET_PATHS.sub(r"\1[entfernt]/[entfernt]/", path.split("?", 1)[0])

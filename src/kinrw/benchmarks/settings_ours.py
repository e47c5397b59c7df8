"""The platform's own settings, pointed at the benchmark database (``kinrw bench``).

Nothing is tuned: this is ``kinrw.conf.settings`` with DEBUG off. The only
changes: a Unix-socket host given as ``?host=`` in DATABASE_URL becomes the
HOST (pg_dump reads it from there), and a guard that refuses any database
whose name does not start with ``kinrw_bench``.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from kinrw.conf.settings import *  # noqa: F403
from kinrw.conf.settings import DATABASES

_options = DATABASES["default"].setdefault("OPTIONS", {})
if "host" in _options:
    DATABASES["default"]["HOST"] = _options.pop("host")
if "port" in _options:
    DATABASES["default"]["PORT"] = str(_options.pop("port"))
if not str(DATABASES["default"]["NAME"]).startswith("kinrw_bench"):
    raise ImproperlyConfigured("Benchmark-Einstellungen nur mit einer Datenbank kinrw_bench*.")
DEBUG = False

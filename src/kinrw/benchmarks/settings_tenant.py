"""Request benchmark, platform side: production settings plus the bench page.

The backend is ``kinrw.tenancy.backend`` with a statement counter on top; the
middleware is the production list with :class:`~kinrw.benchmarks.sqlcount.
SQLCountMiddleware` in front; the tenant URLconf is the bench page only.
"""

from __future__ import annotations

from kinrw.benchmarks.settings_ours import *  # noqa: F403
from kinrw.benchmarks.settings_ours import DATABASES, MIDDLEWARE

DATABASES["default"]["ENGINE"] = "kinrw.benchmarks.backends.tenant"
MIDDLEWARE = ["kinrw.benchmarks.sqlcount.SQLCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "kinrw.benchmarks.urls"

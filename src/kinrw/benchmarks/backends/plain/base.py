"""Django's own PostgreSQL backend with the statement counter."""

from django.db.backends.postgresql import base

from kinrw.benchmarks.sqlcount import CountingMixin


class DatabaseWrapper(CountingMixin, base.DatabaseWrapper):
    pass

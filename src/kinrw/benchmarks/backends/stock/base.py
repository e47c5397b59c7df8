"""django-tenants' own PostgreSQL backend with the statement counter."""

from django_tenants.postgresql_backend import base

from kinrw.benchmarks.sqlcount import CountingMixin


class DatabaseWrapper(CountingMixin, base.DatabaseWrapper):
    pass

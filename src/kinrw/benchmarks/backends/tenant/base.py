"""``kinrw.tenancy.backend`` with the statement counter."""

from kinrw.benchmarks.sqlcount import CountingMixin
from kinrw.tenancy.backend import base


class DatabaseWrapper(CountingMixin, base.DatabaseWrapper):
    pass

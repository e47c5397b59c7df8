"""``kinrw bench …``: benchmarks (see bench/README.md)."""

from __future__ import annotations

import click


@click.group()
def bench() -> None:
    """Messungen gegen die Basislinie von django-tenants und Django."""

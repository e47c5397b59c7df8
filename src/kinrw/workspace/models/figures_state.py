"""A change counter of the KI's figures, kept by the database itself (one row).

Triggers on measures, sessions and counts (migration ``0010_figuresstate``) raise
``generation`` in the same transaction as any change that can move a figure,
whoever writes: services, imports, bulk loads, SQL. Caches of computed figures
are keyed by it, so they are never stale after a commit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class FiguresState(TenantModel):
    id = models.BigIntegerField(primary_key=True, default=1)
    generation = models.BigIntegerField(_("Stand der Zahlen"), default=0)
    changed_at = models.DateTimeField(_("zuletzt geändert"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stand der Zahlen")
        verbose_name_plural = _("Stand der Zahlen")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="figures_state_one_row")
        ]

    def __str__(self) -> str:
        return f"{self.generation}"

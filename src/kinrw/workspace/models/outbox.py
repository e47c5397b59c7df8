"""Months whose figures changed, for the Land's facts (issue 4): written by the database.

Statement triggers on sessions, counts and measures (migration ``0012_outbox``)
insert one row per changed month in the same transaction as the change, whoever
writes. A relay sends pending rows to the worker (``kinrw.state.outbox``), which
recomputes those months and marks them done; a replay only recomputes again.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class Outbox(TenantModel):
    # the triggers insert rows themselves: the defaults live in the database
    id = models.BigAutoField(primary_key=True)
    month = models.DateField(_("Monat"))  # first day of the month
    created_at = models.DateTimeField(_("angelegt"), db_default=Now())
    sent_at = models.DateTimeField(_("gesendet"), null=True, blank=True)
    done_at = models.DateTimeField(_("erledigt"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("Versuche"), db_default=0)

    class Meta:
        verbose_name = _("Ausgang für die Landeszahlen")
        verbose_name_plural = _("Ausgang für die Landeszahlen")
        indexes = [
            models.Index(
                fields=["month"],
                name="outbox_pending_idx",
                condition=models.Q(done_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"

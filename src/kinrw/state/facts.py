"""Facts: the KIs' aggregated figures in the public schema (issue 4, parts 1 and 3).

A fact is one figure of one KI: an indicator's total, or one cell of one of its
breakdowns, for one calendar month. Facts are computed from the KI's workspace
by :mod:`kinrw.state.recompute` with :mod:`kinrw.workspace.figures` only; they
hold numbers and catalogue codes, never a person's data or text from the
workspace (``tests/state/test_public_no_personal_data.py``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import Placement


class Fact(models.Model):
    """One figure of one KI: indicator, month, breakdown cell ("" = the total)."""

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    tenant = models.ForeignKey(
        "tenancy.Tenant", on_delete=models.CASCADE, related_name="facts", verbose_name=_("KI")
    )
    programme = models.ForeignKey(
        "catalogue.Programme",
        on_delete=models.PROTECT,
        related_name="facts",
        verbose_name=_("Programm"),
    )
    indicator = models.ForeignKey(
        "catalogue.Indicator",
        on_delete=models.PROTECT,
        related_name="facts",
        verbose_name=_("Indikator"),
    )
    period = models.DateField(_("Monat"))  # the first day of the month
    breakdown = models.CharField(_("Aufschlüsselung"), max_length=40, blank=True)  # "" = total
    value_code = models.CharField(_("Ausprägung"), max_length=40, blank=True)  # "" = total
    value = models.DecimalField(_("Wert"), max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(_("berechnet am"), default=timezone.now)
    source_generation = models.BigIntegerField(_("Stand der Zahlen des KI"))

    class Meta:
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "indicator", "period", "breakdown", "value_code"],
                name="fact_once_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="fact_period_first_of_month"
            ),
            models.CheckConstraint(
                condition=models.Q(breakdown="", value_code="")
                | (~models.Q(breakdown="") & ~models.Q(value_code="")),
                name="fact_total_or_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period"], name="fact_indicator_period"),
            models.Index(fields=["tenant", "period"], name="fact_tenant_period"),
        ]

    def __str__(self) -> str:
        cell = f" {self.breakdown}={self.value_code}" if self.breakdown else ""
        return f"{self.tenant_id} {self.indicator_id} {self.period:%Y-%m}{cell}: {self.value}"


class RebuildLedger(models.Model):
    """What a rebuild run has done: one row per KI and year, ``done_at`` once written.

    ``kinrw state rebuild`` continues the latest run that is not finished and
    skips what it has done; ``--restart`` begins a new run.
    """

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    run_id = models.UUIDField(_("Lauf"), default=uuid.uuid4)
    run_started_at = models.DateTimeField(_("Lauf begonnen"), default=timezone.now)
    tenant = models.ForeignKey(
        "tenancy.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("KI")
    )
    year = models.PositiveSmallIntegerField(_("Jahr"))
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Neuberechnung")
        verbose_name_plural = _("Neuberechnungen")
        constraints = [
            models.UniqueConstraint(
                fields=["run_id", "tenant", "year"], name="rebuild_ledger_once_per_run"
            ),
        ]
        indexes = [models.Index(fields=["run_started_at"], name="rebuild_ledger_started")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.tenant_id} {self.year}"

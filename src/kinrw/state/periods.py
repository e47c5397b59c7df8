"""Reporting periods (issue 4, part 8): a closed year's figures are frozen as submitted.

Closing a year copies that year's facts into :class:`SubmittedFact` in one
transaction. Facts keep being updated by the relay; where a current fact differs
from the submitted one, that cell is a *revision* of the closed year. Revisions are
reported as counts per KI and indicator only, never with values: a single revised
cell could reveal a small number that the protected tables hide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import Placement

Cell = tuple[int, int, dt.date, str, str]  # tenant, indicator, month, breakdown, value code


class PeriodError(Exception):
    """A reporting period cannot be closed; ``message`` says why, in German."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReportingPeriod(models.Model):
    """A closed calendar year: its figures were submitted at ``closed_at``."""

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abgeschlossen von"),
    )  # a Land account; None: closed by the platform operator with the CLI

    class Meta:
        verbose_name = _("Berichtszeitraum")
        verbose_name_plural = _("Berichtszeiträume")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class SubmittedFact(models.Model):
    """A fact as it was when its year was closed."""

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    reporting_period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="facts", verbose_name=_("Jahr")
    )
    tenant = models.ForeignKey(
        "tenancy.Tenant", on_delete=models.CASCADE, related_name="+", verbose_name=_("KI")
    )
    programme = models.ForeignKey("catalogue.Programme", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("Monat"))
    breakdown = models.CharField(_("Aufschlüsselung"), max_length=40, blank=True)
    value_code = models.CharField(_("Ausprägung"), max_length=40, blank=True)
    value = models.DecimalField(_("Wert"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("Gemeldete Kennzahl")
        verbose_name_plural = _("Gemeldete Kennzahlen")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "indicator", "period", "breakdown", "value_code"],
                name="submittedfact_once_per_cell",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="submitted_indicator_period")]

    def __str__(self) -> str:
        cell = f" {self.breakdown}={self.value_code}" if self.breakdown else ""
        return f"{self.tenant_id} {self.indicator_id} {self.period:%Y-%m}{cell}: {self.value}"


def closed_period(year: int) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(year=year).first()


def period_close(*, actor: object | None, year: int) -> ReportingPeriod:
    """Freeze ``year``: copy its facts as submitted. Only the Ministerium; once per year.

    ``actor`` None is the platform operator on the command line.
    """
    from kinrw.state.facts import Fact
    from kinrw.state.models import LandRole

    if actor is not None:
        access = getattr(actor, "land_access", None)
        if access is None or access.role != LandRole.MINISTERIUM:
            raise PeriodError("Nur das Ministerium kann einen Berichtszeitraum abschließen.")
    if not 2000 <= year <= 2100:
        raise PeriodError(f"Ungültiges Jahr {year}: bitte ein Jahr zwischen 2000 und 2100.")
    if year > timezone.localdate().year:
        raise PeriodError(f"Das Jahr {year} hat noch nicht begonnen und kann nicht schließen.")
    if closed_period(year) is not None:
        raise PeriodError(f"Das Jahr {year} ist bereits abgeschlossen.")
    try:
        with transaction.atomic():
            period = ReportingPeriod.objects.create(year=year, closed_by=actor)
            SubmittedFact.objects.bulk_create(
                SubmittedFact(reporting_period=period, **row)
                for row in Fact.objects.filter(period__year=year).values(
                    "tenant_id",
                    "programme_id",
                    "indicator_id",
                    "period",
                    "breakdown",
                    "value_code",
                    "value",
                )
            )
    except IntegrityError as exc:  # closed at the same moment by someone else
        raise PeriodError(f"Das Jahr {year} ist bereits abgeschlossen.") from exc
    return period


@dataclass(frozen=True)
class Revision:
    """How many cells of one KI's indicator changed since the year was closed."""

    tenant_id: int
    indicator_id: int
    changed: int = 0
    new: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.changed + self.new + self.removed


def _cells(rows: models.QuerySet) -> dict[Cell, Decimal]:  # type: ignore[type-arg]
    fields = ("tenant_id", "indicator_id", "period", "breakdown", "value_code", "value")
    return {r[:5]: r[5] for r in rows.values_list(*fields)}


def revisions(year: int, tenant_ids: set[int] | None = None) -> list[Revision]:
    """Per KI and indicator: cells whose current fact differs from the submitted one.

    Counts only (changed, new, removed), never values. Empty if ``year`` is open.
    """
    from kinrw.state.facts import Fact

    period = closed_period(year)
    if period is None:
        return []
    submitted = SubmittedFact.objects.filter(reporting_period=period)
    current = Fact.objects.filter(period__year=year)
    if tenant_ids is not None:
        submitted, current = (
            submitted.filter(tenant_id__in=tenant_ids),
            current.filter(tenant_id__in=tenant_ids),
        )
    old, now = _cells(submitted), _cells(current)
    counts: dict[tuple[int, int], list[int]] = {}
    for cell in old.keys() | now.keys():
        kind = 1 if cell not in old else 2 if cell not in now else 0
        if kind == 0 and old[cell] == now[cell]:
            continue
        counts.setdefault(cell[:2], [0, 0, 0])[kind] += 1
    return [Revision(t, i, *c) for (t, i), c in sorted(counts.items())]

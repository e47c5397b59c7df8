"""Sessions (Termine) of a measure and their counts: figures only, never names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class Session(TenantModel):
    id = models.BigAutoField(primary_key=True)
    measure = models.ForeignKey(
        "workspace.Measure",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("Maßnahme"),
    )
    date = models.DateField(_("Datum"))
    starts_at = models.TimeField(_("Beginn"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("Dauer (Minuten)"), null=True, blank=True)
    cancelled = models.BooleanField(_("ausgefallen"), default=False)
    volunteers_present = models.PositiveIntegerField(
        _("anwesende Ehrenamtliche / Elternbegleiter:innen"), default=0
    )
    note = models.CharField(_("Notiz"), max_length=300, blank=True)
    is_deleted = models.BooleanField(_("gelöscht"), default=False)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["date", "starts_at"]
        indexes = [
            models.Index(fields=["measure", "date"], name="session_measure_date_idx"),
            # the KI-wide lists (/termine/, API) show sessions not deleted by date and time:
            # their pages' keys and their counts are index-only scans; the figures and the
            # overview's next sessions filter dates of sessions not deleted
            models.Index(
                fields=["date", "starts_at", "id"],
                name="session_list_idx",
                condition=models.Q(is_deleted=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.date:%d.%m.%Y}"


class SessionCount(TenantModel):
    """One figure of a session: the total of an indicator, or one cell of a breakdown."""

    id = models.BigAutoField(primary_key=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")
    indicator = models.ForeignKey(
        "catalogue.Indicator",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Indikator"),
    )
    breakdown = models.CharField(_("Aufschlüsselung"), max_length=40, blank=True)  # "" = total
    value_code = models.CharField(_("Ausprägung"), max_length=40, blank=True)
    value = models.DecimalField(_("Wert"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("Zählung")
        verbose_name_plural = _("Zählungen")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "indicator", "breakdown", "value_code"],
                name="session_count_once",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="session_count_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(breakdown="", value_code="")
                | (~models.Q(breakdown="") & ~models.Q(value_code="")),
                name="session_count_total_or_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.indicator_id} {self.breakdown}:{self.value_code}={self.value}"

"""Which programmes of the Land's catalogue a KI runs, year by year."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class Enrolment(TenantModel):
    """That this KI runs a programme of the Land's catalogue in a year."""

    id = models.BigAutoField(primary_key=True)
    programme = models.ForeignKey(
        "catalogue.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Programm"),
    )
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    granted_amount = models.DecimalField(
        _("bewilligter Betrag (Euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Programmteilnahme")
        verbose_name_plural = _("Programmteilnahmen")
        ordering = ["-year", "programme__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="enrolment_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="enrolment_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(granted_amount__isnull=True) | models.Q(granted_amount__gte=0),
                name="enrolment_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

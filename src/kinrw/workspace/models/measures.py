"""Measures (Maßnahmen/Angebote) of a KI."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Handlungsfeld
from kinrw.core.placement import TenantModel


class TargetGroup(models.TextChoices):
    KINDER = "kinder", _("Kinder")
    JUGENDLICHE = "jugendliche", _("Jugendliche")
    ELTERN = "eltern", _("Eltern und Familien")
    NEUZUGEWANDERTE = "neuzugewanderte", _("Neuzugewanderte")
    GEFLUECHTETE = "gefluechtete", _("Geflüchtete")
    FRAUEN = "frauen", _("Frauen")
    AELTERE = "aeltere", _("Ältere Menschen")
    FACHKRAEFTE = "fachkraefte", _("Fachkräfte des Regelsystems")
    EHRENAMTLICHE = "ehrenamtliche", _("Ehrenamtliche")
    MSO = "mso", _("Migrantenselbstorganisationen")
    ALLE = "alle", _("Allgemeine Öffentlichkeit")


class MeasureStatus(models.TextChoices):
    GEPLANT = "geplant", _("geplant")
    LAUFEND = "laufend", _("laufend")
    ABGESCHLOSSEN = "abgeschlossen", _("abgeschlossen")
    ABGESAGT = "abgesagt", _("abgesagt")


class Measure(TenantModel):
    id = models.BigAutoField(primary_key=True)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    programme = models.ForeignKey(
        "catalogue.Programme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Programm"),
        help_text=_("Für Angebote außerhalb der Landesprogramme: „Eigene Maßnahme“."),
    )
    handlungsfeld = models.CharField(
        _("Handlungsfeld"), max_length=40, choices=Handlungsfeld.choices
    )
    target_groups = ArrayField(
        models.CharField(max_length=20, choices=TargetGroup.choices),
        default=list,
        blank=True,
        verbose_name=_("Zielgruppen"),
    )
    gemeinden = models.ManyToManyField(
        "tenancy.Gemeinde", related_name="+", blank=True, verbose_name=_("Gemeinden")
    )
    venue = models.CharField(_("Ort der Durchführung"), max_length=200, blank=True)
    partner = models.ForeignKey(
        "workspace.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("Partnerorganisation"),
    )
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.GEPLANT
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("Verantwortlich")
    )
    languages = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("Sprachen")
    )
    is_deleted = models.BooleanField(_("gelöscht"), default=False)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="measure_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_on"], name="measure_status_idx"),
            # the lists' default order (newest start first) of measures not deleted:
            # their pages' keys and their counts are index-only scans
            models.Index(
                fields=["starts_on", "id"],
                name="measure_list_idx",
                condition=models.Q(is_deleted=False),
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

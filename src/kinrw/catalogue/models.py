"""The Land's programme catalogue (public schema, read-only in the workspaces).

Programmes and their declared indicators are data (``data/programmes.toml``,
loaded by ``kinrw catalogue apply``), not code: no public source fixes a list of
mandatory indicators, so the Land declares them. These small tables are the
reference tables KI schemas may point at (ADR 0005). Nothing is ever deleted:
an entry that leaves the file is marked inactive, figures may depend on it.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import PublicModel


class Handlungsfeld(models.TextChoices):
    BILDUNG_ERZIEHUNG_BETREUUNG = (
        "bildung_erziehung_betreuung",
        _("Bildung, Erziehung und Betreuung"),
    )
    KULTUR = "kultur", _("Kultur")
    SPORT = "sport", _("Sport")
    POLITISCHE_PARTIZIPATION = "politische_partizipation", _("Politische Partizipation")
    EHRENAMT = "ehrenamt", _("Ehrenamt")
    GESUNDHEIT = "gesundheit", _("Gesundheit")
    PFLEGE_AELTERER_MENSCHEN = "pflege_aelterer_menschen", _("Pflege älterer Menschen")
    QUERSCHNITT = "querschnitt", _("Querschnitt")


class Unit(models.TextChoices):
    PERSONS = "persons", _("Personen")
    FAMILIES = "families", _("Familien")
    CHILDREN = "children", _("Kinder")
    GROUPS = "groups", _("Gruppen")
    SESSIONS = "sessions", _("Termine")
    HOURS = "hours", _("Stunden")
    EUROS = "euros", _("Euro")
    COUNT = "count", _("Anzahl")
    DAYS = "days", _("Tage")


class Breakdown(PublicModel):
    """A dimension an indicator may be broken down by (gender, age band, language, …)."""

    id = models.BigAutoField(primary_key=True)
    code = models.CharField(_("Schlüssel"), max_length=40, unique=True)
    label = models.CharField(_("Bezeichnung"), max_length=100)
    values = models.JSONField(_("Ausprägungen"), default=list)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Aufschlüsselung")
        verbose_name_plural = _("Aufschlüsselungen")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return str(self.label)


class Programme(PublicModel):
    id = models.BigAutoField(primary_key=True)
    code = models.CharField(_("Schlüssel"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=150)
    funding_line = models.CharField(_("Förderlinie"), max_length=200, blank=True)
    handlungsfeld = models.CharField(
        _("Handlungsfeld"), max_length=40, choices=Handlungsfeld.choices
    )
    active_from = models.PositiveSmallIntegerField(_("aktiv seit"))
    active_until = models.PositiveSmallIntegerField(_("aktiv bis"), null=True, blank=True)
    own_measure = models.BooleanField(_("eigene Maßnahme des KI"), default=False)
    description = models.TextField(_("Beschreibung"), blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="programme_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def runs_in(self, year: int) -> bool:
        return self.active_from <= year and (self.active_until is None or year <= self.active_until)


class Indicator(PublicModel):
    """A figure a programme declares: what is counted, in which unit, broken down how."""

    id = models.BigAutoField(primary_key=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("Programm")
    )
    code = models.CharField(_("Schlüssel"), max_length=40)
    label = models.CharField(_("Bezeichnung"), max_length=150)
    unit = models.CharField(_("Einheit"), max_length=20, choices=Unit.choices)
    counts_persons = models.BooleanField(
        _("zählt Personen"),
        default=False,
        help_text=_("Personenzahlen werden für die Landesebene bei kleinen Werten gesperrt."),
    )
    breakdowns = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        verbose_name=_("Aufschlüsselungen"),
    )
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["programme", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="indicator_code_per_programme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.label}"

"""The tenant registry in the public schema: one row per KI and its domains."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from kinrw.core.placement import Placement

AGS_VALIDATOR = RegexValidator(
    r"^05\d{3}(\d{3})?$", _("Der AGS muss 5 oder 8 Ziffern haben und mit 05 (NRW) beginnen.")
)
ARS_VALIDATOR = RegexValidator(r"^05\d{10}$", _("Der ARS muss 12 Ziffern haben."))
NUTS3_VALIDATOR = RegexValidator(r"^DEA[0-9A-Z]{2}$", _("Der NUTS-3-Code hat die Form DEAxx."))
SLUG_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
    _("Der Kurzname (Slug) besteht aus Kleinbuchstaben, Ziffern und Bindestrichen."),
)


class Kind(models.TextChoices):
    KREISFREIE_STADT = "kreisfreie_stadt", _("Kreisfreie Stadt")
    KREIS = "kreis", _("Kreis")
    STAEDTEREGION = "staedteregion", _("Städteregion")
    REGIONSANGEHOERIGE_STADT = "regionsangehoerige_stadt", _("Regionsangehörige Stadt")


class Regierungsbezirk(models.TextChoices):
    DUESSELDORF = "Düsseldorf", "Düsseldorf"
    KOELN = "Köln", "Köln"
    MUENSTER = "Münster", "Münster"
    DETMOLD = "Detmold", "Detmold"
    ARNSBERG = "Arnsberg", "Arnsberg"


class Status(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    SUSPENDED = "suspended", _("gesperrt")
    ARCHIVED = "archived", _("archiviert")


class Tenant(TenantMixin):
    """A Kommunales Integrationszentrum and its workspace schema."""

    schema_placement = Placement.PUBLIC
    # Schemas are made by kinrw.tenancy.onboarding (template clone, atomic), never on save().
    auto_create_schema = False
    auto_drop_schema = False

    id = models.BigAutoField(primary_key=True)
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True, validators=[SLUG_VALIDATOR])
    ags = models.CharField(_("AGS"), max_length=8, unique=True, validators=[AGS_VALIDATOR])
    ars = models.CharField(_("ARS"), max_length=12, unique=True, validators=[ARS_VALIDATOR])
    nuts3 = models.CharField(_("NUTS-3"), max_length=5, validators=[NUTS3_VALIDATOR])
    name = models.CharField(_("Name"), max_length=120)
    official_name = models.CharField(_("Amtlicher Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=32, choices=Kind.choices)
    regierungsbezirk = models.CharField(
        _("Regierungsbezirk"), max_length=20, choices=Regierungsbezirk.choices
    )
    population = models.PositiveIntegerField(_("Einwohnerzahl"))
    population_date = models.DateField(_("Stand der Einwohnerzahl"))
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Kommunales Integrationszentrum")
        verbose_name_plural = _("Kommunale Integrationszentren")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "suspended", "archived"]),
                name="tenant_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"KI {self.name}"

    @property
    def display_name(self) -> str:
        return _("Kommunales Integrationszentrum %(name)s") % {"name": self.name}


class Domain(DomainMixin):
    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = _("Domain")
        verbose_name_plural = _("Domains")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(is_primary=True),
                name="domain_one_primary_per_tenant",
            ),
        ]


class SchemaState(models.Model):
    """Which migration state each schema reached (written by ``kinrw migrate``)."""

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    schema_name = models.CharField(max_length=63, unique=True)
    state = models.CharField(_("Migrationsstand (Prüfsumme)"), max_length=64, blank=True)
    applied_count = models.PositiveIntegerField(default=0)
    migrated_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Migrationsstand eines Schemas")

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.state[:12]}"


class TemplateSnapshot(models.Model):
    """The DDL and migration records of the template schema at one migration state.

    New KIs are created by replaying this snapshot in one transaction (ADR 0002).
    """

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    state = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"template {self.state[:12]}"


class Gemeinde(models.Model):
    """One of the 396 Gemeinden of NRW: where a KI's measures take place.

    Reference data of the public schema (KI tables may point at it, ADR 0005),
    loaded by a data migration from ``tenancy/data/gemeinden.csv`` (VG5000,
    © GeoBasis-DE / BKG 2021).
    """

    schema_placement = Placement.PUBLIC

    id = models.BigAutoField(primary_key=True)
    ags = models.CharField(_("AGS"), max_length=8, unique=True)
    ars = models.CharField(_("ARS"), max_length=12, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Art"), max_length=20)
    kreis_ags = models.CharField(_("Kreisschlüssel"), max_length=5, db_index=True)

    class Meta:
        verbose_name = _("Gemeinde")
        verbose_name_plural = _("Gemeinden")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)

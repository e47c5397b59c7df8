"""Partners and networks of a KI: organisations, contacts, agreements, Gremien (models)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.core.placement import TenantModel


class OrganisationType(models.TextChoices):
    KITA = "kita", _("Kita")
    FAMILIENZENTRUM = "familienzentrum", _("Familienzentrum")
    GRUNDSCHULE = "grundschule", _("Grundschule")
    WEITERFUEHRENDE_SCHULE = "weiterfuehrende_schule", _("Weiterführende Schule")
    BERUFSKOLLEG = "berufskolleg", _("Berufskolleg")
    SCHULAMT = "schulamt", _("Schulamt")
    JUGENDAMT = "jugendamt", _("Jugendamt")
    JOBCENTER = "jobcenter", _("Jobcenter")
    AGENTUR_FUER_ARBEIT = "agentur_fuer_arbeit", _("Agentur für Arbeit")
    AUSLAENDERBEHOERDE = "auslaenderbehoerde", _("Ausländerbehörde")
    EINBUERGERUNGSBEHOERDE = "einbuergerungsbehoerde", _("Einbürgerungsbehörde")
    WOHLFAHRTSVERBAND = "wohlfahrtsverband", _("Wohlfahrtsverband")
    INTEGRATIONSAGENTUR = "integrationsagentur", _("Integrationsagentur")
    MIGRANTENSELBSTORGANISATION = "migrantenselbstorganisation", _("Migrantenselbstorganisation")
    VEREIN = "verein", _("Verein")
    RELIGIONSGEMEINSCHAFT = "religionsgemeinschaft", _("Religionsgemeinschaft")
    VERWALTUNG = "verwaltung", _("Verwaltung")
    SONSTIGE = "sonstige", _("Sonstige")


class Organisation(TenantModel):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=40, choices=OrganisationType.choices)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    gemeinde = models.ForeignKey(
        "tenancy.Gemeinde",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gemeinde"),
    )
    is_deleted = models.BooleanField(_("gelöscht"), default=False)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(postcode="") | models.Q(postcode__regex=r"^[0-9]{5}$"),
                name="organisation_postcode_5_digits",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class ContactPerson(TenantModel):
    """A business contact at a partner organisation (name, role, work phone and e-mail)."""

    id = models.BigAutoField(primary_key=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("Name"), max_length=150)
    role = models.CharField(_("Funktion"), max_length=150, blank=True)
    phone = models.CharField(_("Telefon (dienstlich)"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail (dienstlich)"), blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class AgreementKind(models.TextChoices):
    KOOPERATION = "kooperation", _("Kooperationsvereinbarung")
    WEITERLEITUNG = "weiterleitung", _("Weiterleitungsvertrag")
    RAHMEN = "rahmen", _("Rahmenvereinbarung")
    SONSTIGE = "sonstige", _("Sonstige")


class AgreementStatus(models.TextChoices):
    ENTWURF = "entwurf", _("Entwurf")
    AKTIV = "aktiv", _("aktiv")
    BEENDET = "beendet", _("beendet")


class CooperationAgreement(TenantModel):
    id = models.BigAutoField(primary_key=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=AgreementKind.choices)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.AKTIV
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kooperationsvereinbarung")
        verbose_name_plural = _("Kooperationsvereinbarungen")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organisation}"


class GremiumKind(models.TextChoices):
    LENKUNGSGRUPPE = "lenkungsgruppe", _("Lenkungsgruppe")
    ARBEITSKREIS = "arbeitskreis", _("Arbeitskreis")
    INTEGRATIONSRAT = "integrationsrat", _("Integrationsrat")
    NETZWERK = "netzwerk", _("Netzwerk")
    SONSTIGES = "sonstiges", _("Sonstiges Gremium")


class Gremium(TenantModel):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=GremiumKind.choices)
    gemeinde = models.ForeignKey(
        "tenancy.Gemeinde",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gemeinde"),
    )
    members = models.ManyToManyField(
        Organisation, blank=True, related_name="gremien", verbose_name=_("Mitglieder")
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class GremiumMeeting(TenantModel):
    id = models.BigAutoField(primary_key=True)
    gremium = models.ForeignKey(Gremium, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("Datum"))
    topic = models.CharField(_("Thema"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="meetings",
        verbose_name=_("Teilnehmende Organisationen"),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.gremium} {self.held_on:%d.%m.%Y}"

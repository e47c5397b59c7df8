"""Forms for partners and networks; field names are the model fields the services take.

The forms check shape only (required, length, choices, date format); the rules
(area of the KI, period order, deleted organisations) live in the services and
reach the field through :func:`kinrw.workspace.web.base.call_service`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinrw.tenancy.models import Tenant
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.models import (
    AgreementKind,
    AgreementStatus,
    GremiumKind,
    OrganisationType,
)
from kinrw.workspace.selectors_partners import organisation_choices
from kinrw.workspace.web.forms import WorkspaceForm, german_date

CHOOSE = [("", _("Bitte wählen"))]


def _choices(values: type[models.TextChoices]) -> list[tuple[str, Any]]:
    return CHOOSE + list(values.choices)


def _choice_field(label: Any, values: type[models.TextChoices], **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=kwargs.pop("choices", None) or _choices(values),
        error_messages={"invalid_choice": _("Bitte einen Eintrag aus der Liste wählen.")},
        **kwargs,
    )


def _gemeinde_field(tenant: Tenant) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        label=_("Gemeinde"),
        queryset=gemeinden_of(tenant=tenant).order_by("name"),
        required=False,
        empty_label=_("keine Angabe"),
        help_text=_("Nur Gemeinden im Gebiet Ihres KI stehen zur Auswahl."),
        error_messages={"invalid_choice": _("Bitte eine Gemeinde aus der Liste wählen.")},
    )


def _organisations_field(label: Any, help_text: Any) -> forms.ModelMultipleChoiceField:  # type: ignore[type-arg]
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=organisation_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("Die Organisation ist nicht (mehr) auswählbar; bitte neu wählen."),
            "invalid_pk_value": _("Bitte Organisationen aus der Liste wählen."),
        },
    )


class OrganisationForm(WorkspaceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = _choice_field(_("Art"), OrganisationType)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=200, required=False)
    postcode = forms.CharField(
        label=_("Postleitzahl"),
        max_length=5,
        required=False,
        validators=[
            RegexValidator(r"^[0-9]{5}$", _("Die Postleitzahl hat fünf Ziffern, z. B. 50667."))
        ],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = forms.CharField(label=_("Ort"), max_length=120, required=False)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinde"] = _gemeinde_field(tenant)
        self._describe()


class ContactForm(WorkspaceForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Funktion"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Telefon (dienstlich)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.CharField(
        label=_("E-Mail (dienstlich)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput,
        help_text=_("Nur dienstliche Kontaktdaten eintragen, keine privaten."),
    )


class AgreementForm(WorkspaceForm):
    kind = _choice_field(_("Art"), AgreementKind)
    status = _choice_field(
        _("Status"),
        AgreementStatus,
        choices=AgreementStatus.choices,
        initial=AgreementStatus.AKTIV,
    )
    starts_on = german_date(label=_("Beginn"), help_text=_("Datum im Format TT.MM.JJJJ."))
    ends_on = german_date(
        label=_("Ende"),
        required=False,
        help_text=_("Leer lassen, wenn die Vereinbarung unbefristet ist."),
    )


class GremiumForm(WorkspaceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = _choice_field(_("Art"), GremiumKind)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeinde"] = _gemeinde_field(tenant)
        self.fields["members"] = _organisations_field(
            _("Mitglieder"),
            _(
                "Die Organisationen, die im Gremium vertreten sind. Neue Organisationen legen "
                "Sie unter „Partner“ an."
            ),
        )
        self._describe()


class MeetingForm(WorkspaceForm):
    held_on = german_date(label=_("Datum"), help_text=_("Datum im Format TT.MM.JJJJ."))
    topic = forms.CharField(label=_("Thema"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"] = _organisations_field(
            _("Teilnehmende Organisationen"),
            _("Die Organisationen, die an der Sitzung teilgenommen haben."),
        )
        self._describe()

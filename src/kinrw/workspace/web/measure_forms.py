"""The measure form; field names are those ``measure_create``/``measure_update`` take.

The form checks shape (required, choices, date format); the rules (programme runs
in the year, Gemeinden of the KI's area, period order) are the service's and reach
the field through :func:`kinrw.workspace.web.base.call_service`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Breakdown, Handlungsfeld, Programme
from kinrw.tenancy.models import Tenant
from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace.models import MeasureStatus, Organisation, TargetGroup
from kinrw.workspace.selectors import member_users
from kinrw.workspace.selectors_partners import organisation_choices
from kinrw.workspace.web.forms import WorkspaceForm, german_date

FIELDS = [
    "title",
    "programme",
    "handlungsfeld",
    "description",
    "target_groups",
    "gemeinden",
    "venue",
    "partner",
    "starts_on",
    "ends_on",
    "status",
    "responsible",
    "languages",
]


class ProgrammeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Programme) -> str:
        if obj.active_until:
            return f"{obj.name} ({obj.active_from}–{obj.active_until})"
        return _g("%(name)s (seit %(year)s)") % {"name": obj.name, "year": obj.active_from}


class UserChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else str(obj.email)


def programmes_running(year: int) -> Any:
    """Active programmes of the catalogue that run in ``year``."""
    return Programme.objects.filter(is_active=True, active_from__lte=year).filter(
        Q(active_until__isnull=True) | Q(active_until__gte=year)
    )


def _partners(current: Organisation | None) -> Any:
    """Organisations to choose from; a since deleted current partner stays shown (kept)."""
    if current is not None and current.is_deleted:
        return Organisation.objects.filter(Q(is_deleted=False) | Q(pk=current.pk)).order_by("name")
    return organisation_choices()


def _languages() -> list[tuple[str, str]]:
    breakdown = Breakdown.objects.filter(code="language", is_active=True).first()
    return [(v["code"], v["label"]) for v in breakdown.values] if breakdown else []


class MeasureForm(WorkspaceForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    programme = ProgrammeChoice(
        label=_("Programm"),
        queryset=Programme.objects.none(),
        empty_label=_("Bitte wählen"),
        help_text=_(
            "Zur Auswahl stehen die Programme, die im Jahr des Beginns laufen. "
            "Für Angebote außerhalb der Landesprogramme: „Eigene Maßnahme“."
        ),
        error_messages={
            "invalid_choice": _(
                "Dieses Programm läuft im Jahr des Beginns nicht; bitte ein anderes Programm "
                "oder „Eigene Maßnahme“ wählen."
            )
        },
    )
    handlungsfeld = forms.ChoiceField(
        label=_("Handlungsfeld"),
        choices=[("", _("wie beim Programm")), *Handlungsfeld.choices],
        required=False,
    )
    description = forms.CharField(
        label=_("Beschreibung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Zielgruppen"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    venue = forms.CharField(
        label=_("Ort der Durchführung"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel Raum und Adresse, wenn keine Partnerorganisation gastgibt."),
    )
    starts_on = german_date(label=_("Beginn"))
    ends_on = german_date(
        label=_("Ende"), required=False, help_text=_("Leer lassen, wenn das Ende offen ist.")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=MeasureStatus.choices, initial=MeasureStatus.GEPLANT
    )
    languages = forms.MultipleChoiceField(
        label=_("Sprachen"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("In welchen Sprachen die Maßnahme stattfindet."),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes_running(self._start_year())  # type: ignore[attr-defined]
        self.fields["gemeinden"] = forms.ModelMultipleChoiceField(
            label=_("Gemeinden"),
            queryset=gemeinden_of(tenant=tenant).order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Nur Gemeinden im Gebiet Ihres KI stehen zur Auswahl."),
            error_messages={"invalid_choice": _("Bitte Gemeinden aus der Liste wählen.")},
        )
        self.fields["partner"] = forms.ModelChoiceField(
            label=_("Partnerorganisation"),
            queryset=_partners(self.initial.get("partner")),
            required=False,
            empty_label=_("keine"),
            help_text=_("Fehlt eine Organisation, legen Sie sie zuerst unter „Partner“ an."),
            error_messages={"invalid_choice": _("Bitte eine Organisation aus der Liste wählen.")},
        )
        self.fields["responsible"] = UserChoices(
            label=_("Verantwortlich"),
            queryset=member_users(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Bitte Konten aus der Liste wählen.")},
        )
        self.fields["languages"].choices = _languages()  # type: ignore[attr-defined]
        self.order_fields(FIELDS)
        self._describe()

    def _start_year(self) -> int:
        """The year of the (typed or saved) start: the programmes offered run in it."""
        raw = self.data.get("starts_on") if self.is_bound else None
        try:
            day = self.fields["starts_on"].clean(raw) if raw else self.initial.get("starts_on")
        except forms.ValidationError:
            day = None
        return day.year if day else timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn; bitte prüfen."))
        return data

"""Forms of the admin pages: programme enrolments, the team, the audit trail's date range."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Programme
from kinrw.workspace import selectors_admin
from kinrw.workspace.models import Role
from kinrw.workspace.web.forms import WorkspaceForm, german_date

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 12.500 (German thousands, no cents)


def parse_euro(text: str) -> Decimal:
    """``12.500,00``, ``12500,5``, ``12.500``, ``12500.50`` or ``12 500 €`` as a Decimal.

    With a comma, dots group thousands (German); without one, a dot is a thousands
    separator only in groups of three digits, otherwise the decimal point. In the
    English interface, commas group thousands and the dot is the decimal point, as
    :func:`format_euro` shows amounts there.
    """
    cleaned = text.replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if formats.get_format("DECIMAL_SEPARATOR") == ".":  # English UI: 12,500.00
        cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _GROUPED.match(cleaned.lstrip("-")):
        cleaned = cleaned.replace(".", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def format_euro(value: Decimal | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


class EuroField(forms.CharField):
    """An amount in Euro as people write it in Germany; empty is allowed when not required."""

    def __init__(self, **kwargs: Any) -> None:
        # no max_length: its validator would run on the Decimal; to_python checks the text
        attrs = {"inputmode": "decimal", "maxlength": "30"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return format_euro(value) if isinstance(value, Decimal) else value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            if len(text) > 30:
                raise ValueError(text)
            amount = parse_euro(text)
        except ValueError:
            raise forms.ValidationError(
                _("Bitte einen Betrag in Euro eingeben, zum Beispiel 12.500,00."), code="invalid"
            ) from None
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("Bitte höchstens zwei Stellen nach dem Komma angeben (Cent)."), code="cents"
            )
        if abs(amount) >= Decimal("10000000000"):
            raise forms.ValidationError(
                _("Der Betrag ist zu groß; bitte höchstens 9.999.999.999,99 Euro angeben."),
                code="max",
            )
        return amount.quantize(Decimal("0.01"))


AMOUNT_HELP = _("In Euro, zum Beispiel 12.500,00. Leer lassen, wenn noch nicht bewilligt.")


class EnrolmentCreateForm(WorkspaceForm):
    """Year first: the programme list holds the programmes that run in that year."""

    year = forms.IntegerField(
        label=_("Jahr"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Das Jahr, in dem Ihr KI das Programm durchführt."),
    )
    programme = forms.ModelChoiceField(
        label=_("Programm"),
        queryset=Programme.objects.none(),
        empty_label=_("– bitte wählen –"),
        error_messages={
            "invalid_choice": _(
                "Dieses Programm läuft im gewählten Jahr nicht; "
                "bitte ein Programm aus der Liste wählen oder das Jahr ändern."
            )
        },
    )
    granted_amount = EuroField(
        label=_("Bewilligter Betrag (Euro)"), required=False, help_text=AMOUNT_HELP
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            with contextlib.suppress(TypeError, ValueError):
                year = int(self.data.get("year", year))
        self.programme_year = year
        self.fields["programme"].queryset = selectors_admin.programmes_running(year=year)
        self.fields["programme"].help_text = _(
            "Programme des Landes, die %(year)s laufen. Für ein anderes Jahr erst das Jahr "
            "oben ändern und „Programme für dieses Jahr anzeigen“ wählen."
        ) % {"year": year}
        self._bound_fields_cache.pop("programme", None)  # built before the help text was set
        self._describe()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        programme, year = data.get("programme"), data.get("year")
        if (
            programme is not None
            and year is not None
            and selectors_admin.enrolment_exists(programme=programme, year=year)
        ):
            self.add_error(
                "programme",
                _("„%(name)s“ ist für %(year)s bereits eingetragen.")
                % {"name": programme.name, "year": year},
            )
        return data


class EnrolmentAmountForm(WorkspaceForm):
    granted_amount = EuroField(
        label=_("Bewilligter Betrag (Euro)"), required=False, help_text=AMOUNT_HELP
    )


class InviteForm(WorkspaceForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        error_messages={
            "invalid": _("Bitte eine gültige E-Mail-Adresse eingeben, zum Beispiel name@kreis.de.")
        },
        help_text=_("An diese Adresse geht der Link, mit dem die Person ihr Passwort setzt."),
    )
    full_name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=Role.choices,
        initial=Role.FACHKRAFT,
        help_text=_(
            "KI-Leitung: alles, auch Team und Protokoll. Fachkraft: Programme, Maßnahmen, "
            "Termine und Partner bearbeiten. Verwaltung: Partner bearbeiten, sonst lesen. "
            "Lesend: nur lesen."
        ),
    )


class RoleForm(WorkspaceForm):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)


_DATE_ERRORS = {"invalid": _("Bitte ein Datum im Format TT.MM.JJJJ eingeben.")}


class AuditRangeForm(WorkspaceForm):
    """The date range of the audit trail (``von``/``bis``, both optional)."""

    von = german_date(label=_("Von (Datum)"), required=False, error_messages=_DATE_ERRORS)
    bis = german_date(label=_("Bis (Datum)"), required=False, error_messages=_DATE_ERRORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start: dt.date | None = data.get("von")
        end: dt.date | None = data.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("„Bis“ liegt vor „Von“; bitte ein späteres Datum wählen."))
        return data

"""The session form (with the counts its programme asks for) and the weekly-series form.

Counts: one total per active indicator of the measure's programme, and per
allowed breakdown an optional group of cells that must add up to the total.
The form checks the sums itself so that the message appears at the group; the
service checks everything again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Breakdown, Indicator
from kinrw.workspace.models import Measure, Session
from kinrw.workspace.selectors import programme_indicators, session_slot_taken
from kinrw.workspace.services.grid_cells import number_text
from kinrw.workspace.services.sessions import WHOLE_UNITS
from kinrw.workspace.web.forms import WorkspaceForm, german_date

TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
SESSION_FIELDS = [
    "date",
    "starts_at",
    "duration_minutes",
    "cancelled",
    "volunteers_present",
    "note",
]


def time_field(**kwargs: Any) -> forms.TimeField:
    kwargs.setdefault("input_formats", TIME_FORMATS)
    kwargs.setdefault("widget", forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    return forms.TimeField(**kwargs)


def _number(indicator: Indicator, label: str) -> forms.Field:
    attrs = {"inputmode": "numeric" if indicator.unit in WHOLE_UNITS else "decimal"}
    if indicator.unit in WHOLE_UNITS:
        return forms.IntegerField(
            label=label, required=False, min_value=0, widget=forms.TextInput(attrs=attrs)
        )
    return GermanDecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs=attrs),
    )


class GermanDecimalField(forms.DecimalField):
    """Takes ``2,5`` and ``1.234,50`` as Germans type them (and ``2.5``)."""

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = number_text(value)
        return super().to_python(value)  # type: ignore[no-any-return]


@dataclass
class BreakdownGroup:
    breakdown: Breakdown
    id: str
    cells: list[tuple[str, str]]  # (value code, field name)
    fields: list[Any] = field(default_factory=list)  # bound fields, for the template
    errors: list[str] = field(default_factory=list)
    open: bool = False


@dataclass
class CountGroup:
    indicator: Indicator
    total_name: str
    breakdowns: list[BreakdownGroup]
    total: Any = None  # bound field


class SessionForm(WorkspaceForm):
    date = german_date(label=_("Datum"))
    starts_at = time_field(label=_("Beginn (Uhrzeit)"), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Dauer (Minuten)"), required=False, min_value=1, max_value=24 * 60
    )
    cancelled = forms.BooleanField(
        label=_("Der Termin ist ausgefallen"),
        required=False,
        help_text=_("Ein ausgefallener Termin hat keine Teilnahmezahlen; lassen Sie sie leer."),
    )
    volunteers_present = forms.IntegerField(
        label=_("Anwesende Ehrenamtliche / Elternbegleiter:innen"),
        required=False,
        min_value=0,
        initial=0,
    )
    note = forms.CharField(
        label=_("Notiz"),
        max_length=300,
        required=False,
        help_text=_("Keine Namen von Teilnehmenden eintragen."),
    )

    def __init__(
        self, *args: Any, measure: Measure, session: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.measure, self.session = measure, session
        self.counts: dict[str, dict[str, Any]] = {}
        indicators = programme_indicators(programme=measure.programme)
        codes = {c for i in indicators for c in i.breakdowns}
        known = {b.code: b for b in Breakdown.objects.filter(code__in=codes, is_active=True)}
        self.groups: list[CountGroup] = []
        for i, indicator in enumerate(indicators):
            unit = str(indicator.get_unit_display())  # type: ignore[attr-defined]
            label = indicator.label if unit == indicator.label else f"{indicator.label} ({unit})"
            total_name = f"n{i}"
            self.fields[total_name] = _number(indicator, label)
            group = CountGroup(indicator=indicator, total_name=total_name, breakdowns=[])
            for j, code in enumerate(b for b in indicator.breakdowns if b in known):
                cells = []
                for k, value in enumerate(known[code].values):
                    name = f"n{i}_{j}_{k}"
                    self.fields[name] = _number(indicator, value["label"])
                    cells.append((value["code"], name))
                group.breakdowns.append(
                    BreakdownGroup(breakdown=known[code], id=f"gruppe-{i}-{j}", cells=cells)
                )
            self.groups.append(group)
        if session is not None and not self.is_bound:
            self._initial_counts(session)
        for group in self.groups:
            group.total = self[group.total_name]
            for b in group.breakdowns:
                b.fields = [self[name] for _code, name in b.cells]
        self._describe()

    def _initial_counts(self, session: Session) -> None:
        stored = {
            (c.indicator_id, c.breakdown, c.value_code): c.value for c in session.counts.all()
        }
        for group in self.groups:
            pk = group.indicator.pk
            self.initial[group.total_name] = _shown(stored.get((pk, "", "")))
            for b in group.breakdowns:
                for code, name in b.cells:
                    value = stored.get((pk, b.breakdown.code, code))
                    self.initial[name] = _shown(value)
                    b.open = b.open or value is not None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for group in self.groups:
            self._clean_group(group, data)
        if data.get("cancelled") and self.counts:
            self.add_error(
                "cancelled",
                _g("Ein ausgefallener Termin hat keine Teilnahmezahlen; bitte die Zahlen leeren."),
            )
        date = data.get("date")
        if date is not None:
            self._check_date(date, data.get("starts_at"))
        if data.get("volunteers_present") is None:
            data["volunteers_present"] = 0
        return data

    def _clean_group(self, group: CountGroup, data: dict[str, Any]) -> None:
        label = group.indicator.label
        total = data.get(group.total_name)
        entry: dict[str, Any] = {"total": total} if total is not None else {}
        for b in group.breakdowns:
            cells = {c: data[n] for c, n in b.cells if data.get(n) is not None}
            if not cells:
                continue
            b.open = True
            if total is None:
                message = _g("Bitte zuerst die Summe „%(label)s“ eintragen.") % {"label": label}
            elif sum(cells.values(), Decimal(0)) != total:
                message = _g(
                    "Die Felder ergeben zusammen %(sum)s, die Summe „%(label)s“ ist %(total)s. "
                    "Bitte die Summe oder die Aufschlüsselung korrigieren."
                ) % {"sum": _shown(sum(cells.values())), "label": label, "total": _shown(total)}
            else:
                entry.setdefault("by", {})[b.breakdown.code] = cells
                continue
            b.errors.append(message)
            self.add_error(
                None,
                _g("%(indicator)s nach %(breakdown)s: %(message)s")
                % {"indicator": label, "breakdown": b.breakdown.label, "message": message},
            )
            for _code, name in b.cells:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{b.id}-fehler"
        if entry:
            self.counts[group.indicator.code] = entry

    def _check_date(self, date: dt.date, starts_at: dt.time | None) -> None:
        m = self.measure
        if date < m.starts_on or (m.ends_on is not None and date > m.ends_on):
            until = m.ends_on.strftime("%d.%m.%Y") if m.ends_on else _g("offen")
            self.add_error(
                "date",
                _g("Das Datum liegt außerhalb der Laufzeit der Maßnahme (%(start)s bis %(end)s).")
                % {"start": m.starts_on.strftime("%d.%m.%Y"), "end": until},
            )
        elif session_slot_taken(measure=m, date=date, starts_at=starts_at, exclude=self.session):
            self.add_error(
                "date",
                _g(
                    "Zu diesem Datum und dieser Uhrzeit gibt es schon einen Termin dieser "
                    "Maßnahme; bitte diesen bearbeiten oder eine andere Uhrzeit wählen."
                ),
            )

    def session_fields(self) -> dict[str, Any]:
        """The cleaned values the session services take (without the counts)."""
        return {name: self.cleaned_data[name] for name in SESSION_FIELDS}


def _shown(value: Decimal | int | None) -> str | None:
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f").replace(".", ",")

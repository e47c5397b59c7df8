"""The weekly series form: first and last day, weekday, time, days to leave out, preview."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import holidays
from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace.models import Measure
from kinrw.workspace.selectors import session_dates
from kinrw.workspace.services import WorkspaceError, weekly_dates
from kinrw.workspace.web.forms import WorkspaceForm, german_date
from kinrw.workspace.web.session_forms import time_field

_DATE = r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
_ITEM = re.compile(rf"^({_DATE})(?:\s*(?:–|—|-|bis)\s*({_DATE}))?$")
MAX_RANGE_DAYS = 366


def _parse_date(text: str) -> dt.date:
    for fmt in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise forms.ValidationError(_g("„%(text)s“ ist kein gültiges Datum.") % {"text": text})


def parse_skip_dates(raw: str) -> list[dt.date]:
    """Dates and ranges (``30.03.2026–10.04.2026``), separated by commas, semicolons or lines."""
    days: list[dt.date] = []
    for item in re.split(r"[,;\n]+", raw):
        item = item.strip()
        if not item:
            continue
        match = _ITEM.match(item)
        if match is None:
            raise forms.ValidationError(
                _g(
                    "„%(item)s“ ist weder ein Datum noch ein Zeitraum; bitte z. B. 14.05.2026 "
                    "oder 30.03.2026–10.04.2026 schreiben."
                )
                % {"item": item}
            )
        first = _parse_date(match.group(1))
        last = _parse_date(match.group(2)) if match.group(2) else first
        if last < first:
            raise forms.ValidationError(
                _g("Im Zeitraum „%(item)s“ liegt das Ende vor dem Beginn.") % {"item": item}
            )
        if (last - first).days > MAX_RANGE_DAYS:
            raise forms.ValidationError(
                _g("Der Zeitraum „%(item)s“ ist länger als ein Jahr.") % {"item": item}
            )
        days += [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return days


class WeeklySeriesForm(WorkspaceForm):
    first = german_date(label=_("Erster möglicher Tag"))
    last = german_date(label=_("Letzter möglicher Tag"))
    weekday = forms.TypedChoiceField(
        label=_("Wochentag"), choices=list(WEEKDAYS.items()), coerce=int
    )
    starts_at = time_field(label=_("Beginn (Uhrzeit)"), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Dauer (Minuten)"), required=False, min_value=1, max_value=24 * 60
    )
    skip_public_holidays = forms.BooleanField(
        label=_("Gesetzliche Feiertage in NRW auslassen"), required=False, initial=True
    )
    skip_dates = forms.CharField(
        label=_("Weitere freie Tage (z. B. Schulferien)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Einzelne Daten oder Zeiträume, durch Komma oder neue Zeile getrennt, "
            "z. B. 30.03.2026–10.04.2026, 15.05.2026."
        ),
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure

    def clean_skip_dates(self) -> list[dt.date]:
        return parse_skip_dates(self.cleaned_data.get("skip_dates") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last, m = data.get("first"), data.get("last"), self.measure
        if first and first < m.starts_on:
            self.add_error(
                "first",
                _g("Die Maßnahme beginnt erst am %(date)s.")
                % {"date": m.starts_on.strftime("%d.%m.%Y")},
            )
        if last and m.ends_on and last > m.ends_on:
            self.add_error(
                "last",
                _g("Die Maßnahme endet am %(date)s.") % {"date": m.ends_on.strftime("%d.%m.%Y")},
            )
        if first and last and last < first:
            self.add_error("last", _g("Der letzte Tag liegt vor dem ersten."))
        elif first and last and (last - first).days > 2 * 366:
            self.add_error("last", _g("Eine Terminreihe umfasst höchstens zwei Jahre."))
        return data

    def series(self) -> dict[str, Any]:
        """The arguments of ``weekly_dates``/``sessions_generate_weekly``."""
        d = self.cleaned_data
        return {
            "first": d["first"],
            "last": d["last"],
            "weekday": d["weekday"],
            "skip_public_holidays": d["skip_public_holidays"],
            "skip_dates": d["skip_dates"],
        }


@dataclass(frozen=True)
class PreviewDay:
    date: dt.date
    created: bool
    reason: str  # why not, or ""


def preview(form: WeeklySeriesForm) -> list[PreviewDay]:
    """Every weekday of the series and what happens to it (created, or why not)."""
    args = form.series()
    try:
        kept = set(weekly_dates(**args))
        every = weekly_dates(**{**args, "skip_public_holidays": False, "skip_dates": ()})
    except WorkspaceError as exc:
        form.add_error(None, exc.message)
        return []
    years = range(args["first"].year, args["last"].year + 1)
    feiertage = holidays.country_holidays("DE", subdiv="NW", years=years, language="de")
    existing = session_dates(measure=form.measure, dates=every)
    days = []
    for day in every:
        if day in existing:
            days.append(PreviewDay(day, False, _g("Termin besteht schon")))
        elif day in kept:
            days.append(PreviewDay(day, True, ""))
        elif args["skip_public_holidays"] and day in feiertage:
            days.append(PreviewDay(day, False, _g("Feiertag: %(name)s") % {"name": feiertage[day]}))
        else:
            days.append(PreviewDay(day, False, _g("freier Tag laut Ihrer Angabe")))
    return days

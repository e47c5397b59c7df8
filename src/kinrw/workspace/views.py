from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kinrw.workspace.overview import programme_figures, upcoming_sessions
from kinrw.workspace.roles import Action, Area, require

MONTHS = [
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sep.",
    "Okt.",
    "Nov.",
    "Dez.",
]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.READ, Area.PROGRAMMES)  # type: ignore[arg-type]
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jahr", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    context = {
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "months": MONTHS,
        "figures": programme_figures(year=year),
        "upcoming": upcoming_sessions(today=today),
    }
    return render(request, "workspace/home.html", context)

"""Reporting periods on the Land host: list, close (Ministerium), revisions of a closed year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinrw.catalogue.models import Indicator
from kinrw.state.models import LandRole
from kinrw.state.periods import PeriodError, ReportingPeriod, closed_period, period_close, revisions
from kinrw.state.selectors import land_tenants, scope
from kinrw.state.views_dashboard import NO_FIGURES
from kinrw.state.views_map import _require_land_user

ONLY_MINISTRY = _("Nur das Ministerium kann einen Berichtszeitraum abschließen.")


def _is_ministry(request: HttpRequest) -> bool:
    return request.user.land_access.role == LandRole.MINISTERIUM  # type: ignore[union-attr]


def period_list(request: HttpRequest) -> HttpResponse:
    if (response := _require_land_user(request)) is not None:
        return response
    if scope(request.user) is None:
        raise PermissionDenied(NO_FIGURES)
    closed = {p.year: p for p in ReportingPeriod.objects.all()}
    this_year = timezone.localdate().year
    years = sorted(set(range(this_year - 4, this_year + 1)) | set(closed), reverse=True)
    rows = [(y, closed.get(y)) for y in years]
    return render(request, "state/periods.html", {"rows": rows, "may_close": _is_ministry(request)})


def period_close_view(request: HttpRequest, year: int) -> HttpResponse:
    if (response := _require_land_user(request)) is not None:
        return response
    if not _is_ministry(request):
        raise PermissionDenied(ONLY_MINISTRY)
    error = ""
    if request.method == "POST":
        try:
            period_close(actor=request.user, year=year)
        except PeriodError as exc:
            error = exc.message
        else:
            messages.success(
                request, gettext("Das Jahr %(year)s ist abgeschlossen.") % {"year": year}
            )
            return redirect("state_periods")
    return render(
        request,
        "state/period_close.html",
        {"year": year, "error": error},
        status=400 if error else 200,
    )


def period_revisions(request: HttpRequest, year: int) -> HttpResponse:
    if (response := _require_land_user(request)) is not None:
        return response
    seen = scope(request.user)
    if seen is None:
        raise PermissionDenied(NO_FIGURES)
    period = closed_period(year)
    if period is None:
        raise Http404(gettext("Dieses Jahr ist nicht abgeschlossen."))
    tenants = {t.pk: t for t in land_tenants() if seen.includes(t)}
    found = revisions(year, set(tenants))
    indicators = Indicator.objects.in_bulk({r.indicator_id for r in found})
    rows = [(tenants[r.tenant_id], indicators[r.indicator_id], r) for r in found]
    return render(
        request,
        "state/period_revisions.html",
        {"period": period, "rows": rows, "scope": seen},
    )

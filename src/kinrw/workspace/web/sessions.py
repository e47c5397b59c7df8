"""Pages of one session (Termin): create, show, edit, delete; and the weekly series."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace import services
from kinrw.workspace.models import Measure, Session
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.web.base import area_view, call_service, may_write
from kinrw.workspace.web.measures import grid_month
from kinrw.workspace.web.series_forms import WeeklySeriesForm, preview
from kinrw.workspace.web.session_forms import SESSION_FIELDS, SessionForm

FORM = "workspace/sessions/form.html"


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _measure(pk: int) -> Measure:
    return get_object_or_404(Measure.objects.select_related("programme"), pk=pk, is_deleted=False)


def _session(pk: int) -> Session:
    """A session of this KI, not deleted, of a measure not deleted (else 404)."""
    return get_object_or_404(
        Session.objects.select_related("measure", "measure__programme"),
        pk=pk,
        is_deleted=False,
        measure__is_deleted=False,
    )


def _saved(request: HttpRequest, session: Session) -> HttpResponse:
    messages.success(
        request,
        _g("Der Termin am %(date)s ist gespeichert.") % {"date": session.date.strftime("%d.%m.%Y")},
    )
    return redirect("ws:measure_detail", pk=session.measure_id)


@area_view(Area.SESSIONS, Action.WRITE)
def session_create(request: HttpRequest, measure_pk: int) -> HttpResponse:
    measure = _measure(measure_pk)
    form = SessionForm(_data(request), measure=measure)
    if request.method == "POST" and form.is_valid():
        session = call_service(
            form,
            services.session_record,
            actor=request.user,
            measure=measure,
            counts=form.counts,
            **form.session_fields(),
        )
        if session is not None:
            return _saved(request, session)
    context = {
        "form": form,
        "measure": measure,
        "title": _("Neuer Termin"),
        "submit_label": _("Termin speichern"),
        "cancel_url": reverse("ws:measure_detail", args=[measure.pk]),
    }
    return render(request, FORM, context)


@area_view(Area.SESSIONS)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    form = SessionForm(measure=session.measure, session=session)  # to show the counts
    opens = grid_month(session.measure, session.date)
    context = {
        "session": session,
        "measure": session.measure,
        "groups": form.groups,
        "grid_year": opens.year,
        "grid_month": opens.month,
        "can_write": may_write(request, Area.SESSIONS),
    }
    return render(request, "workspace/sessions/detail.html", context)


@area_view(Area.SESSIONS, Action.WRITE)
def session_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    initial = {name: getattr(session, name) for name in SESSION_FIELDS}
    form = SessionForm(_data(request), initial=initial, measure=session.measure, session=session)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            services.session_update,
            actor=request.user,
            session=session,
            counts=form.counts,
            **form.session_fields(),
        )
        if saved is not None:
            return _saved(request, saved)
    context = {
        "form": form,
        "measure": session.measure,
        "title": _("Termin bearbeiten"),
        "submit_label": _("Änderungen speichern"),
        "cancel_url": reverse("ws:session_detail", args=[session.pk]),
    }
    return render(request, FORM, context)


@area_view(Area.SESSIONS, Action.WRITE)
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    if request.method == "POST":
        services.session_delete(actor=request.user, session=session)
        messages.success(
            request,
            _g("Der Termin am %(date)s ist gelöscht.")
            % {"date": session.date.strftime("%d.%m.%Y")},
        )
        return redirect("ws:measure_detail", pk=session.measure_id)
    has_counts = session.counts.exists()
    return render(
        request,
        "workspace/sessions/confirm_delete.html",
        {"session": session, "measure": session.measure, "has_counts": has_counts},
    )


@area_view(Area.SESSIONS, Action.WRITE)
def session_series(request: HttpRequest, measure_pk: int) -> HttpResponse:
    measure = _measure(measure_pk)
    form = WeeklySeriesForm(_data(request), measure=measure)
    days = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("schritt") == "anlegen":
            created = call_service(
                form,
                services.sessions_generate_weekly,
                actor=request.user,
                measure=measure,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                **form.series(),
            )
            if created is not None:
                messages.success(
                    request,
                    _g("%(n)s Termine angelegt. Die Zahlen tragen Sie im Monatsraster ein.")
                    % {"n": len(created)},
                )
                return redirect("ws:measure_detail", pk=measure.pk)
        else:
            days = preview(form)
    context = {
        "form": form,
        "measure": measure,
        "days": days,
        "new_count": sum(d.created for d in days or []),
        "cancel_url": reverse("ws:measure_detail", args=[measure.pk]),
    }
    return render(request, "workspace/sessions/series.html", context)

"""Create, edit and delete a measure (Maßnahme)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace import services
from kinrw.workspace.models import Measure
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.selectors import measure_sessions
from kinrw.workspace.web.base import area_view, call_service
from kinrw.workspace.web.measure_forms import FIELDS, MeasureForm

FORM = "workspace/measures/form.html"


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _measure(pk: int) -> Measure:
    """A measure of this KI that is not deleted (else 404)."""
    return get_object_or_404(Measure.objects.select_related("programme"), pk=pk, is_deleted=False)


@area_view(Area.MEASURES, Action.WRITE)
def measure_create(request: HttpRequest) -> HttpResponse:
    form = MeasureForm(_data(request), tenant=request.tenant)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        measure = call_service(
            form, services.measure_create, actor=request.user, **form.cleaned_data
        )
        if measure is not None:
            messages.success(
                request,
                _g("Die Maßnahme „%(title)s“ ist angelegt. Jetzt können Sie Termine eintragen.")
                % {"title": measure.title},
            )
            return redirect("ws:measure_detail", pk=measure.pk)
    context = {
        "form": form,
        "title": _("Neue Maßnahme"),
        "submit_label": _("Maßnahme anlegen"),
        "cancel_url": reverse("ws:measure_list"),
    }
    return render(request, FORM, context)


@area_view(Area.MEASURES, Action.WRITE)
def measure_update(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    initial = {name: getattr(measure, name) for name in FIELDS}
    initial["gemeinden"] = list(measure.gemeinden.all())
    initial["responsible"] = list(measure.responsible.all())
    form = MeasureForm(_data(request), initial=initial, tenant=request.tenant)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        if not changes:
            messages.info(request, _g("Keine Änderungen; es wurde nichts gespeichert."))
            return redirect("ws:measure_detail", pk=measure.pk)
        saved = call_service(
            form, services.measure_update, actor=request.user, measure=measure, **changes
        )
        if saved is not None:
            messages.success(
                request, _g("Die Änderungen an „%(title)s“ sind gespeichert.") % {"title": saved}
            )
            return redirect("ws:measure_detail", pk=measure.pk)
    context = {
        "form": form,
        "title": _("Maßnahme bearbeiten"),
        "subject": measure.title,
        "submit_label": _("Änderungen speichern"),
        "cancel_url": reverse("ws:measure_detail", args=[measure.pk]),
    }
    return render(request, FORM, context)


@area_view(Area.MEASURES, Action.WRITE)
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(pk)
    if request.method == "POST":
        services.measure_delete(actor=request.user, measure=measure)
        messages.success(
            request, _g("Die Maßnahme „%(title)s“ ist gelöscht.") % {"title": measure.title}
        )
        return redirect("ws:measure_list")
    context = {
        "measure": measure,
        "session_count": measure_sessions(measure=measure).count(),
        "counted": measure_sessions(measure=measure)
        .filter(cancelled=False, counts__isnull=False)
        .distinct()
        .count(),
    }
    return render(request, "workspace/measures/confirm_delete.html", context)

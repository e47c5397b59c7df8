"""Pages for the programmes a KI runs (enrolments) and the Land's programme catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace import selectors_admin
from kinrw.workspace.models import Enrolment
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.services import enrolment_create as create_service
from kinrw.workspace.services import enrolment_delete as delete_service
from kinrw.workspace.services import enrolment_update as update_service
from kinrw.workspace.web.admin_forms import EnrolmentAmountForm, EnrolmentCreateForm, format_euro
from kinrw.workspace.web.base import area_view, call_service, may_write
from kinrw.workspace.web.listing import Column, Filter, list_response

FORM_TEMPLATE = "workspace/enrolments/form.html"


def _columns(can_write: bool) -> list[Column]:
    edit = (lambda e: reverse("ws:enrolment_update", args=[e.pk])) if can_write else None
    return [
        Column("programm", _("Programm"), lambda e: e.programme.name, "programme__name", link=edit),
        Column("jahr", _("Jahr"), lambda e: str(e.year), sort="year"),
        Column(
            "betrag",
            _("Bewilligter Betrag (Euro)"),
            lambda e: e.granted_amount,
            sort="granted_amount",
            numeric=True,
            money=True,
        ),
        Column(
            "handlungsfeld", _("Handlungsfeld"), lambda e: e.programme.get_handlungsfeld_display()
        ),
    ]


def _year_choices() -> list[tuple[str, str]]:
    return [(str(y), str(y)) for y in selectors_admin.enrolment_years()]


FILTERS = [
    Filter("jahr", _("Jahr"), _year_choices, lambda qs, v: qs.filter(year=int(v))),
    Filter(
        "programm",
        _("Programm"),
        selectors_admin.programme_choices,
        lambda qs, v: qs.filter(programme__code=v),
    ),
]


def _search(qs: QuerySet[Enrolment], term: str) -> QuerySet[Enrolment]:
    return qs.filter(programme__name__icontains=term)


@area_view(Area.PROGRAMMES)
def enrolment_list(request: HttpRequest) -> HttpResponse:
    can_write = may_write(request, Area.PROGRAMMES)
    return list_response(
        request,
        queryset=selectors_admin.enrolments(),
        title=_("Programme des KI"),
        columns=_columns(can_write),
        filters=FILTERS,
        search=_search,
        search_label=_("Programmname enthält"),
        default_sort="-jahr",
        template="workspace/enrolments/list.html",
        export_name="programme",
        empty_text=_(
            "Noch keine Programme eingetragen. Tragen Sie ein, welche Programme des Landes "
            "Ihr KI in welchem Jahr durchführt: „Programm eintragen“."
        ),
        context={"can_write": can_write},
    )


def _year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


REFRESH = "aktualisieren"  # the submit button that only reloads the programme list


@area_view(Area.PROGRAMMES, Action.WRITE)
def enrolment_create(request: HttpRequest) -> HttpResponse:
    """Year, programme (of those running that year), amount; no script needed to switch years."""
    if request.method == "POST" and REFRESH in request.POST:
        year = _year(request.POST.get("year"))
        keep = {k: request.POST.get(k, "") for k in ("programme", "granted_amount")}
        form = EnrolmentCreateForm(initial={"year": year, **keep}, year=year)
    elif request.method == "POST":
        form = EnrolmentCreateForm(request.POST, year=_year(request.GET.get("jahr")))
        if form.is_valid():
            enrolment = call_service(form, create_service, actor=request.user, **form.cleaned_data)
            if enrolment is not None:
                messages.success(
                    request,
                    _g("„%(name)s“ ist für %(year)s eingetragen.")
                    % {"name": enrolment.programme.name, "year": enrolment.year},
                )
                return redirect("ws:enrolment_list")
    else:
        year = _year(request.GET.get("jahr"))
        form = EnrolmentCreateForm(initial={"year": year}, year=year)
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": _("Programm eintragen"),
            "submit_label": _("Programm eintragen"),
            "refresh": REFRESH,
            "year": form.programme_year,
        },
    )


@area_view(Area.PROGRAMMES, Action.WRITE)
def enrolment_update(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(selectors_admin.enrolments(), pk=pk)
    if request.method == "POST":
        form = EnrolmentAmountForm(request.POST)
        if form.is_valid():
            call_service(
                form,
                update_service,
                actor=request.user,
                enrolment=enrolment,
                granted_amount=form.cleaned_data["granted_amount"],
            )
            if not form.errors:
                messages.success(
                    request,
                    _g("Der bewilligte Betrag für „%(name)s“ %(year)s ist gespeichert.")
                    % {"name": enrolment.programme.name, "year": enrolment.year},
                )
                return redirect("ws:enrolment_list")
    else:
        form = EnrolmentAmountForm(initial={"granted_amount": enrolment.granted_amount})
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "enrolment": enrolment,
            "title": _("Bewilligten Betrag ändern"),
            "submit_label": _("Speichern"),
        },
    )


@area_view(Area.PROGRAMMES, Action.WRITE)
def enrolment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(selectors_admin.enrolments(), pk=pk)
    if request.method == "POST":
        name, year = enrolment.programme.name, enrolment.year
        delete_service(actor=request.user, enrolment=enrolment)
        messages.success(
            request,
            _g("„%(name)s“ %(year)s ist nicht mehr eingetragen.") % {"name": name, "year": year},
        )
        return redirect("ws:enrolment_list")
    context: dict[str, Any] = {
        "enrolment": enrolment,
        "amount": format_euro(enrolment.granted_amount),
    }
    return render(request, "workspace/enrolments/confirm_delete.html", context)


@area_view(Area.PROGRAMMES)
def programme_catalogue(request: HttpRequest) -> HttpResponse:
    """The Land's programmes and what each one counts: a reference for the KI's staff."""
    labels = selectors_admin.breakdown_labels()
    programmes = list(selectors_admin.catalogue())
    for programme in programmes:
        for indicator in programme.indicators.all():
            indicator.breakdown_labels = [labels.get(c, c) for c in indicator.breakdowns]
    return render(
        request,
        "workspace/enrolments/catalogue.html",
        {"programmes": programmes, "can_write": may_write(request, Area.PROGRAMMES)},
    )

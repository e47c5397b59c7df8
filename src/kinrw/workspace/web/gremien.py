"""Pages for Gremien (committees, networks) of the KI (``/gremien/…``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kinrw.workspace import services
from kinrw.workspace.models import Gremium, GremiumKind
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.selectors_partners import gremium_list as select_gremien
from kinrw.workspace.selectors_partners import gremium_meetings, gremium_members
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.listing import Column, Filter, list_response
from kinrw.workspace.web.partner_forms import GremiumForm
from kinrw.workspace.web.partner_pages import (
    bound,
    delete_page,
    dropped_note,
    form_page,
    initial_of,
)

FIELDS = ["name", "kind", "gemeinde", "members"]


def _detail_url(g: Gremium) -> str:
    return reverse("ws:gremium_detail", args=[g.pk])


def _search(qs: QuerySet[Gremium], term: str) -> QuerySet[Gremium]:
    return qs.filter(name__icontains=term)


COLUMNS = [
    Column("name", _("Name"), lambda g: g.name, sort="name", link=_detail_url),
    Column("art", _("Art"), lambda g: g.get_kind_display(), sort="kind"),
    Column("gemeinde", _("Gemeinde"), lambda g: g.gemeinde.name if g.gemeinde else None),
    Column(
        "mitglieder", _("Mitglieder"), lambda g: g.member_count, sort="member_count", numeric=True
    ),
    Column(
        "sitzungen", _("Sitzungen"), lambda g: g.meeting_count, sort="meeting_count", numeric=True
    ),
    Column("letzte", _("Letzte Sitzung"), lambda g: g.last_meeting, sort="last_meeting"),
]

FILTERS = [
    Filter("art", _("Art"), lambda: GremiumKind.choices, lambda qs, v: qs.filter(kind=v)),
]


@area_view(Area.PARTNERS)
def gremium_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=select_gremien(),
        title=_("Gremien"),
        columns=COLUMNS,
        filters=FILTERS,
        search=_search,
        search_label=_("Name enthält"),
        default_sort="name",
        template="workspace/gremien/gremium_list.html",
        export_name="gremien",
        empty_text=_(
            "Noch keine Gremien. Legen Sie das erste an: Name und Art genügen, Mitglieder "
            "können Sie später ergänzen."
        ),
        context={"can_write": may_write(request, Area.PARTNERS)},
    )


@area_view(Area.PARTNERS)
def gremium_detail(request: HttpRequest, pk: int) -> HttpResponse:
    gremium = get_object_or_404(Gremium.objects.select_related("gemeinde"), pk=pk)
    return render(
        request,
        "workspace/gremien/gremium_detail.html",
        {
            "gremium": gremium,
            "members": gremium_members(gremium=gremium),
            "meetings": gremium_meetings(gremium=gremium),
            "can_write": may_write(request, Area.PARTNERS),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def gremium_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        GremiumForm(bound(request), tenant=request.tenant),  # type: ignore[attr-defined]
        service=services.gremium_create,
        success=lambda g: _g("Das Gremium „%(name)s“ ist angelegt.") % {"name": g.name},
        next_url=_detail_url,
        context={
            "title": _("Neues Gremium"),
            "submit_label": _("Gremium anlegen"),
            "cancel_url": reverse("ws:gremium_list"),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def gremium_update(request: HttpRequest, pk: int) -> HttpResponse:
    gremium = get_object_or_404(Gremium, pk=pk)
    initial = initial_of(gremium, FIELDS)
    form = GremiumForm(
        bound(request),
        initial=initial,
        tenant=request.tenant,  # type: ignore[attr-defined]
    )
    return form_page(
        request,
        form,
        service=services.gremium_update,
        service_kwargs={"gremium": gremium},
        success=lambda g: _g("Die Änderungen an „%(name)s“ sind gespeichert.") % {"name": g.name},
        next_url=_detail_url,
        context={
            "title": _("Gremium bearbeiten"),
            "subject": gremium.name,
            "intro": dropped_note(initial["members"]),
            "submit_label": _("Änderungen speichern"),
            "cancel_url": _detail_url(gremium),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def gremium_delete(request: HttpRequest, pk: int) -> HttpResponse:
    gremium = get_object_or_404(Gremium, pk=pk)
    meetings = gremium.meetings.count()
    blocked = None
    if meetings:
        blocked = ngettext(
            "Das Gremium hat %(n)s Sitzung. Löschen Sie zuerst die Sitzung auf der Seite "
            "des Gremiums; danach können Sie das Gremium löschen.",
            "Das Gremium hat %(n)s Sitzungen. Löschen Sie zuerst die Sitzungen auf der Seite "
            "des Gremiums; danach können Sie das Gremium löschen.",
            meetings,
        ) % {"n": meetings}
    return delete_page(
        request,
        delete=lambda: services.gremium_delete(actor=request.user, gremium=gremium),  # type: ignore[arg-type]
        success=_g("Das Gremium „%(name)s“ ist gelöscht.") % {"name": gremium.name},
        next_url=reverse("ws:gremium_list"),
        context={
            "title": _("Gremium löschen"),
            "what": gremium.name,
            "consequences": [
                _g(
                    "Das Gremium und die Liste seiner Mitglieder werden endgültig gelöscht. "
                    "Die Organisationen selbst bleiben erhalten."
                ),
            ],
            "blocked": blocked,
            "cancel_url": _detail_url(gremium),
        },
    )

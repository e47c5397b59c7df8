"""Meetings of a Gremium (``/gremien/<id>/sitzungen/…``): detail, forms, delete."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace import services
from kinrw.workspace.models import Gremium, GremiumMeeting
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.selectors_partners import meeting_participants
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.documents import section_context
from kinrw.workspace.web.partner_forms import MeetingForm
from kinrw.workspace.web.partner_pages import (
    bound,
    delete_page,
    dropped_note,
    form_page,
    initial_of,
)

FIELDS = ["held_on", "topic", "participants"]


def _back(gremium: Gremium) -> str:
    return reverse("ws:gremium_detail", args=[gremium.pk]) + "#sitzungen"


def _detail_url(m: GremiumMeeting) -> str:
    return reverse("ws:meeting_detail", args=[m.gremium_id, m.pk])


def _meeting(gremium_pk: int, pk: int) -> GremiumMeeting:
    """Only through its own Gremium (else 404)."""
    return get_object_or_404(
        GremiumMeeting.objects.select_related("gremium"), pk=pk, gremium_id=gremium_pk
    )


def _label(meeting: GremiumMeeting) -> str:
    return f"{meeting.held_on:%d.%m.%Y}" + (f" – {meeting.topic}" if meeting.topic else "")


@area_view(Area.PARTNERS)
def meeting_detail(request: HttpRequest, gremium_pk: int, pk: int) -> HttpResponse:
    meeting = _meeting(gremium_pk, pk)
    return render(
        request,
        "workspace/gremien/meeting_detail.html",
        {
            "meeting": meeting,
            "gremium": meeting.gremium,
            "participants": meeting_participants(meeting=meeting),
            "can_write": may_write(request, Area.PARTNERS),
            **section_context(
                request,
                meeting,
                reverse("ws:meeting_document_upload", args=[meeting.gremium_id, meeting.pk]),
            ),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def meeting_create(request: HttpRequest, gremium_pk: int) -> HttpResponse:
    gremium = get_object_or_404(Gremium, pk=gremium_pk)
    members = list(gremium.members.filter(is_deleted=False))
    return form_page(
        request,
        MeetingForm(bound(request), initial={"participants": members}),
        service=services.meeting_create,
        service_kwargs={"gremium": gremium},
        success=lambda m: (
            _g("Die Sitzung am %(date)s ist eingetragen.") % {"date": f"{m.held_on:%d.%m.%Y}"}
        ),
        next_url=lambda m: _back(gremium),
        context={
            "title": _("Neue Sitzung"),
            "subject": gremium.name,
            "intro": _(
                "Die Mitglieder des Gremiums sind als Teilnehmende vorausgewählt; entfernen Sie "
                "die Haken bei Organisationen, die nicht teilgenommen haben."
            ),
            "submit_label": _("Sitzung eintragen"),
            "cancel_url": _back(gremium),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def meeting_update(request: HttpRequest, gremium_pk: int, pk: int) -> HttpResponse:
    meeting = _meeting(gremium_pk, pk)
    initial = initial_of(meeting, FIELDS)
    return form_page(
        request,
        MeetingForm(bound(request), initial=initial),
        service=services.meeting_update,
        service_kwargs={"meeting": meeting},
        success=lambda m: _g("Die Änderungen an der Sitzung sind gespeichert."),
        next_url=_detail_url,
        context={
            "title": _("Sitzung bearbeiten"),
            "subject": meeting.gremium.name,
            "intro": dropped_note(initial["participants"]),
            "submit_label": _("Änderungen speichern"),
            "cancel_url": _detail_url(meeting),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def meeting_delete(request: HttpRequest, gremium_pk: int, pk: int) -> HttpResponse:
    meeting = _meeting(gremium_pk, pk)
    return delete_page(
        request,
        delete=lambda: services.meeting_delete(actor=request.user, meeting=meeting),  # type: ignore[arg-type]
        success=_g("Die Sitzung am %(date)s ist gelöscht.")
        % {"date": f"{meeting.held_on:%d.%m.%Y}"},
        next_url=_back(meeting.gremium),
        context={
            "title": _("Sitzung löschen"),
            "what": f"{meeting.gremium.name}: {_label(meeting)}",
            "consequences": [
                _g("Die Sitzung und die Liste ihrer Teilnehmenden werden endgültig gelöscht."),
            ],
            "cancel_url": _detail_url(meeting),
        },
    )

"""Cooperation agreements: the KI-wide list and the forms under their organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace import services
from kinrw.workspace.models import (
    AgreementKind,
    AgreementStatus,
    CooperationAgreement,
    Organisation,
)
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.selectors_partners import agreement_list as select_agreements
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.documents import section_context
from kinrw.workspace.web.listing import Column, Filter, list_response
from kinrw.workspace.web.partner_forms import AgreementForm
from kinrw.workspace.web.partner_pages import bound, delete_page, form_page, initial_of

FIELDS = ["kind", "status", "starts_on", "ends_on"]


def _back(organisation: Organisation) -> str:
    return reverse("ws:organisation_detail", args=[organisation.pk]) + "#vereinbarungen"


def _search(qs: QuerySet[CooperationAgreement], term: str) -> QuerySet[CooperationAgreement]:
    return qs.filter(organisation__name__icontains=term)


COLUMNS = [
    Column(
        "organisation",
        _("Organisation"),
        lambda a: a.organisation.name,
        sort="organisation__name",
        link=lambda a: _back(a.organisation),
    ),
    Column("art", _("Art"), lambda a: a.get_kind_display(), sort="kind"),
    Column("status", _("Status"), lambda a: a.get_status_display(), sort="status"),
    Column("beginn", _("Beginn"), lambda a: a.starts_on, sort="starts_on"),
    Column("ende", _("Ende"), lambda a: a.ends_on, sort="ends_on"),
]

FILTERS = [
    Filter("art", _("Art"), lambda: AgreementKind.choices, lambda qs, v: qs.filter(kind=v)),
    Filter(
        "status", _("Status"), lambda: AgreementStatus.choices, lambda qs, v: qs.filter(status=v)
    ),
]


def _agreement(organisation_pk: int, pk: int) -> CooperationAgreement:
    """Only through its own organisation, which must not be deleted (else 404)."""
    return get_object_or_404(
        CooperationAgreement.objects.select_related("organisation"),
        pk=pk,
        organisation_id=organisation_pk,
        organisation__is_deleted=False,
    )


@area_view(Area.PARTNERS)
def agreement_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=select_agreements(),
        title=_("Kooperationsvereinbarungen"),
        columns=COLUMNS,
        filters=FILTERS,
        search=_search,
        search_label=_("Name der Organisation enthält"),
        default_sort="-beginn",
        template="workspace/partners/agreement_list.html",
        export_name="kooperationsvereinbarungen",
        empty_text=_(
            "Noch keine Vereinbarungen. Sie tragen eine Vereinbarung auf der Seite der "
            "Partnerorganisation ein."
        ),
    )


@area_view(Area.PARTNERS)
def agreement_detail(request: HttpRequest, organisation_pk: int, pk: int) -> HttpResponse:
    agreement = _agreement(organisation_pk, pk)
    upload = reverse("ws:agreement_document_upload", args=[organisation_pk, agreement.pk])
    return render(
        request,
        "workspace/partners/agreement_detail.html",
        {
            "agreement": agreement,
            "organisation": agreement.organisation,
            "can_write": may_write(request, Area.PARTNERS),
            **section_context(request, agreement, upload),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def agreement_create(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_pk, is_deleted=False)
    return form_page(
        request,
        AgreementForm(bound(request)),
        service=services.agreement_create,
        service_kwargs={"organisation": organisation},
        success=lambda a: (
            _g("Die Vereinbarung mit „%(name)s“ ist eingetragen.") % {"name": organisation.name}
        ),
        next_url=lambda a: _back(organisation),
        context={
            "title": _("Neue Kooperationsvereinbarung"),
            "subject": organisation.name,
            "submit_label": _("Vereinbarung eintragen"),
            "cancel_url": _back(organisation),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def agreement_update(request: HttpRequest, organisation_pk: int, pk: int) -> HttpResponse:
    agreement = _agreement(organisation_pk, pk)
    return form_page(
        request,
        AgreementForm(bound(request), initial=initial_of(agreement, FIELDS)),
        service=services.agreement_update,
        service_kwargs={"agreement": agreement},
        success=lambda a: _g("Die Änderungen an der Vereinbarung sind gespeichert."),
        next_url=lambda a: _back(a.organisation),
        context={
            "title": _("Vereinbarung bearbeiten"),
            "subject": agreement.organisation.name,
            "submit_label": _("Änderungen speichern"),
            "cancel_url": _back(agreement.organisation),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def agreement_delete(request: HttpRequest, organisation_pk: int, pk: int) -> HttpResponse:
    agreement = _agreement(organisation_pk, pk)
    return delete_page(
        request,
        delete=lambda: services.agreement_delete(actor=request.user, agreement=agreement),  # type: ignore[arg-type]
        success=_g("Die Vereinbarung ist gelöscht."),
        next_url=_back(agreement.organisation),
        context={
            "title": _("Vereinbarung löschen"),
            "what": _g("%(kind)s mit „%(name)s“ ab %(start)s")
            % {
                "kind": agreement.get_kind_display(),
                "name": agreement.organisation.name,
                "start": agreement.starts_on.strftime("%d.%m.%Y"),
            },
            "consequences": [
                _g(
                    "Die Vereinbarung wird endgültig gelöscht. Ist sie ausgelaufen, setzen Sie "
                    "besser den Status auf „beendet“: dann bleibt sie nachvollziehbar."
                ),
            ],
            "cancel_url": _back(agreement.organisation),
        },
    )

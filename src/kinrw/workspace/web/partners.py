"""Pages for partner organisations (``/partner/…``): list, detail, forms, delete."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.tenancy.selectors import gemeinden_of
from kinrw.workspace import services
from kinrw.workspace.models import Organisation, OrganisationType
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.selectors_partners import organisation_list as select_organisations
from kinrw.workspace.selectors_partners import organisation_related
from kinrw.workspace.web.base import area_view, may_write
from kinrw.workspace.web.listing import Column, Filter, list_response
from kinrw.workspace.web.partner_forms import OrganisationForm
from kinrw.workspace.web.partner_pages import bound, delete_page, form_page, initial_of

FIELDS = ["name", "kind", "street", "postcode", "city", "gemeinde"]
YES_NO = [("ja", _("ja")), ("nein", _("nein"))]


def _search(qs: QuerySet[Organisation], term: str) -> QuerySet[Organisation]:
    return qs.filter(Q(name__icontains=term) | Q(city__icontains=term))


def _detail_url(o: Organisation) -> str:
    return reverse("ws:organisation_detail", args=[o.pk])


COLUMNS = [
    Column("name", _("Name"), lambda o: o.name, sort="name", link=_detail_url),
    Column("art", _("Art"), lambda o: o.get_kind_display(), sort="kind"),
    Column("ort", _("Ort"), lambda o: o.city, sort="city"),
    Column("gemeinde", _("Gemeinde"), lambda o: o.gemeinde.name if o.gemeinde else None),
    Column(
        "massnahmen", _("Maßnahmen"), lambda o: o.measure_count, sort="measure_count", numeric=True
    ),
    Column(
        "vereinbarung",
        _("Aktive Vereinbarung"),
        lambda o: o.has_active_agreement,
        sort="has_active_agreement",
    ),
]


def _filters(request: HttpRequest) -> list[Filter]:
    return [
        Filter("art", _("Art"), lambda: OrganisationType.choices, lambda qs, v: qs.filter(kind=v)),
        Filter(
            "gemeinde",
            _("Gemeinde"),
            lambda: [
                (str(pk), name)
                for pk, name in gemeinden_of(tenant=request.tenant)  # type: ignore[attr-defined]
                .order_by("name")
                .values_list("pk", "name")
            ],
            lambda qs, v: qs.filter(gemeinde_id=int(v)),
        ),
        Filter(
            "vereinbarung",
            _("Aktive Kooperationsvereinbarung"),
            lambda: YES_NO,
            lambda qs, v: qs.filter(has_active_agreement=(v == "ja")),
        ),
    ]


def _organisation(pk: int) -> Organisation:
    """An organisation of this KI that is not deleted (others: 404)."""
    return get_object_or_404(
        Organisation.objects.select_related("gemeinde"), pk=pk, is_deleted=False
    )


@area_view(Area.PARTNERS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        queryset=select_organisations(),
        title=_("Partnerorganisationen"),
        columns=COLUMNS,
        filters=_filters(request),
        search=_search,
        search_label=_("Name oder Ort enthält"),
        default_sort="name",
        template="workspace/partners/organisation_list.html",
        export_name="partnerorganisationen",
        empty_text=_(
            "Noch keine Partnerorganisationen. Legen Sie die erste an: Name und Art genügen."
        ),
        context={"can_write": may_write(request, Area.PARTNERS)},
    )


@area_view(Area.PARTNERS)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    return render(
        request,
        "workspace/partners/organisation_detail.html",
        {
            "organisation": organisation,
            "can_write": may_write(request, Area.PARTNERS),
            **organisation_related(organisation=organisation),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(bound(request), tenant=request.tenant)  # type: ignore[attr-defined]
    return form_page(
        request,
        form,
        service=services.organisation_create,
        success=lambda o: _g("Die Organisation „%(name)s“ ist angelegt.") % {"name": o.name},
        next_url=_detail_url,
        context={
            "title": _("Neue Partnerorganisation"),
            "submit_label": _("Organisation anlegen"),
            "cancel_url": reverse("ws:organisation_list"),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    form = OrganisationForm(
        bound(request),
        initial=initial_of(organisation, FIELDS),
        tenant=request.tenant,  # type: ignore[attr-defined]
    )
    return form_page(
        request,
        form,
        service=services.organisation_update,
        service_kwargs={"organisation": organisation},
        success=lambda o: _g("Die Änderungen an „%(name)s“ sind gespeichert.") % {"name": o.name},
        next_url=_detail_url,
        context={
            "title": _("Organisation bearbeiten"),
            "subject": organisation.name,
            "submit_label": _("Änderungen speichern"),
            "cancel_url": _detail_url(organisation),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(pk)
    return delete_page(
        request,
        delete=lambda: services.organisation_delete(
            actor=request.user,  # type: ignore[arg-type]
            organisation=organisation,
        ),
        success=_g("Die Organisation „%(name)s“ ist gelöscht.") % {"name": organisation.name},
        next_url=reverse("ws:organisation_list"),
        context={
            "title": _("Organisation löschen"),
            "what": organisation.name,
            "consequences": [
                _g(
                    "Die Organisation erscheint danach nicht mehr in Listen und Auswahlfeldern; "
                    "neue Maßnahmen, Gremien und Sitzungen können sie nicht mehr auswählen."
                ),
                _g(
                    "Bestehende Maßnahmen, Sitzungen und Zahlen, die auf sie verweisen, "
                    "bleiben unverändert erhalten."
                ),
                _g(
                    "Ihre Ansprechpersonen werden endgültig gelöscht (personenbezogene Daten, "
                    "die niemand mehr braucht); ihre Vereinbarungen sind danach nicht mehr zu "
                    "sehen."
                ),
            ],
            "cancel_url": _detail_url(organisation),
        },
    )

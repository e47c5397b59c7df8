"""Business contact persons of a partner organisation (``/partner/<id>/ansprechpersonen/…``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from kinrw.workspace import services
from kinrw.workspace.models import ContactPerson, Organisation
from kinrw.workspace.roles import Action, Area
from kinrw.workspace.web.base import area_view
from kinrw.workspace.web.partner_forms import ContactForm
from kinrw.workspace.web.partner_pages import bound, delete_page, form_page, initial_of

FIELDS = ["name", "role", "phone", "email"]


def _back(organisation: Organisation) -> str:
    return reverse("ws:organisation_detail", args=[organisation.pk]) + "#ansprechpersonen"


def _contact(organisation_pk: int, pk: int) -> ContactPerson:
    """Only through its own organisation, which must not be deleted (else 404)."""
    return get_object_or_404(
        ContactPerson.objects.select_related("organisation"),
        pk=pk,
        organisation_id=organisation_pk,
        organisation__is_deleted=False,
    )


@area_view(Area.PARTNERS, Action.WRITE)
def contact_create(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_pk, is_deleted=False)
    return form_page(
        request,
        ContactForm(bound(request)),
        service=services.contact_create,
        service_kwargs={"organisation": organisation},
        success=lambda c: _g("Die Ansprechperson „%(name)s“ ist eingetragen.") % {"name": c.name},
        next_url=lambda c: _back(organisation),
        context={
            "title": _("Neue Ansprechperson"),
            "subject": organisation.name,
            "submit_label": _("Ansprechperson eintragen"),
            "cancel_url": _back(organisation),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def contact_update(request: HttpRequest, organisation_pk: int, pk: int) -> HttpResponse:
    contact = _contact(organisation_pk, pk)
    return form_page(
        request,
        ContactForm(bound(request), initial=initial_of(contact, FIELDS)),
        service=services.contact_update,
        service_kwargs={"contact": contact},
        success=lambda c: _g("Die Änderungen an „%(name)s“ sind gespeichert.") % {"name": c.name},
        next_url=lambda c: _back(c.organisation),
        context={
            "title": _("Ansprechperson bearbeiten"),
            "subject": contact.organisation.name,
            "submit_label": _("Änderungen speichern"),
            "cancel_url": _back(contact.organisation),
        },
    )


@area_view(Area.PARTNERS, Action.WRITE)
def contact_delete(request: HttpRequest, organisation_pk: int, pk: int) -> HttpResponse:
    contact = _contact(organisation_pk, pk)
    return delete_page(
        request,
        delete=lambda: services.contact_delete(actor=request.user, contact=contact),  # type: ignore[arg-type]
        success=_g("Die Ansprechperson „%(name)s“ ist gelöscht.") % {"name": contact.name},
        next_url=_back(contact.organisation),
        context={
            "title": _("Ansprechperson löschen"),
            "what": f"{contact.name} ({contact.organisation.name})",
            "consequences": [
                _g(
                    "Name, Funktion, Telefonnummer und E-Mail-Adresse werden endgültig gelöscht; "
                    "das lässt sich nicht rückgängig machen."
                ),
                _g("Das Änderungsprotokoll vermerkt nur, dass eine Ansprechperson gelöscht wurde."),
            ],
            "cancel_url": _back(contact.organisation),
        },
    )

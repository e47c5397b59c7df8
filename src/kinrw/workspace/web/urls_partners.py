"""Partners and networks: organisations, contacts, agreements (``/partner/…``), Gremien and
their meetings (``/gremien/…``)."""

from django.urls import path

from kinrw.workspace.web import agreements, contacts, gremien, meetings, partners

ORG = "partner/<int:organisation_pk>"
GREMIUM = "gremien/<int:gremium_pk>"

urlpatterns = [
    path("partner/", partners.organisation_list, name="organisation_list"),
    path("partner/neu/", partners.organisation_create, name="organisation_create"),
    path("partner/<int:pk>/", partners.organisation_detail, name="organisation_detail"),
    path("partner/<int:pk>/bearbeiten/", partners.organisation_update, name="organisation_update"),
    path("partner/<int:pk>/loeschen/", partners.organisation_delete, name="organisation_delete"),
    path(f"{ORG}/ansprechpersonen/neu/", contacts.contact_create, name="contact_create"),
    path(
        f"{ORG}/ansprechpersonen/<int:pk>/bearbeiten/",
        contacts.contact_update,
        name="contact_update",
    ),
    path(
        f"{ORG}/ansprechpersonen/<int:pk>/loeschen/",
        contacts.contact_delete,
        name="contact_delete",
    ),
    path("partner/vereinbarungen/", agreements.agreement_list, name="agreement_list"),
    path(f"{ORG}/vereinbarungen/neu/", agreements.agreement_create, name="agreement_create"),
    path(
        f"{ORG}/vereinbarungen/<int:pk>/",
        agreements.agreement_detail,
        name="agreement_detail",
    ),
    path(
        f"{ORG}/vereinbarungen/<int:pk>/bearbeiten/",
        agreements.agreement_update,
        name="agreement_update",
    ),
    path(
        f"{ORG}/vereinbarungen/<int:pk>/loeschen/",
        agreements.agreement_delete,
        name="agreement_delete",
    ),
    path("gremien/", gremien.gremium_list, name="gremium_list"),
    path("gremien/neu/", gremien.gremium_create, name="gremium_create"),
    path("gremien/<int:pk>/", gremien.gremium_detail, name="gremium_detail"),
    path("gremien/<int:pk>/bearbeiten/", gremien.gremium_update, name="gremium_update"),
    path("gremien/<int:pk>/loeschen/", gremien.gremium_delete, name="gremium_delete"),
    path(f"{GREMIUM}/sitzungen/neu/", meetings.meeting_create, name="meeting_create"),
    path(f"{GREMIUM}/sitzungen/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path(
        f"{GREMIUM}/sitzungen/<int:pk>/bearbeiten/",
        meetings.meeting_update,
        name="meeting_update",
    ),
    path(
        f"{GREMIUM}/sitzungen/<int:pk>/loeschen/",
        meetings.meeting_delete,
        name="meeting_delete",
    ),
]

"""Programmes of the KI (``/programme/…``), its team (``/team/…``) and the audit trail
(``/protokoll/…``)."""

from django.urls import path

from kinrw.workspace.web import audit, enrolments, staff, tokens

urlpatterns = [
    path("programme/", enrolments.enrolment_list, name="enrolment_list"),
    path("programme/neu/", enrolments.enrolment_create, name="enrolment_create"),
    path("programme/katalog/", enrolments.programme_catalogue, name="programme_catalogue"),
    path("programme/<int:pk>/bearbeiten/", enrolments.enrolment_update, name="enrolment_update"),
    path("programme/<int:pk>/loeschen/", enrolments.enrolment_delete, name="enrolment_delete"),
    path("team/", staff.staff_list, name="staff_list"),
    path("team/einladen/", staff.staff_invite, name="staff_invite"),
    path("team/<int:pk>/", staff.staff_update, name="staff_update"),
    path("team/<int:pk>/eingeladen/", staff.staff_invited, name="staff_invited"),
    path("team/<int:pk>/neuer-link/", staff.staff_relink, name="staff_relink"),
    path("team/<int:pk>/entfernen/", staff.staff_delete, name="staff_delete"),
    path("protokoll/", audit.audit_list, name="audit_list"),
    path("api-schluessel/", tokens.token_list, name="token_list"),
    path("api-schluessel/<int:pk>/widerrufen/", tokens.token_revoke, name="token_revoke"),
    path("protokoll/<int:pk>/", audit.audit_detail, name="audit_detail"),
]

"""``/api/v1/`` on a KI's host: the workspace's REST API, its OpenAPI schema and docs.

Included only by ``kinrw.conf.urls_tenant``; the Land host has only the State API
(``kinrw.state.api``), no workspace data.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from kinrw.workspace.api import (
    documents,
    measures,
    networks,
    partners,
    programmes,
    sessions,
    staff,
)
from kinrw.workspace.api.docs import DocsView

router = SimpleRouter()  # no root view, no format suffixes: one URL per resource and record
router.register("enrolments", programmes.EnrolmentViewSet, basename="enrolment")
router.register("measures", measures.MeasureViewSet, basename="measure")
router.register("sessions", sessions.SessionViewSet, basename="session")
router.register("organisations", partners.OrganisationViewSet, basename="organisation")
router.register("contacts", partners.ContactViewSet, basename="contact")
router.register("agreements", partners.AgreementViewSet, basename="agreement")
router.register("gremien", networks.GremiumViewSet, basename="gremium")
router.register("meetings", networks.MeetingViewSet, basename="meeting")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("memberships", staff.MembershipViewSet, basename="membership")
router.register("audit", staff.AuditViewSet, basename="audit")
router.register("colleagues", staff.ColleagueViewSet, basename="colleague")
router.register("programmes", programmes.ProgrammeViewSet, basename="programme")
router.register("gemeinden", programmes.GemeindeViewSet, basename="gemeinde")

app_name = "api"

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]

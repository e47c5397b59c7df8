"""Views that leak another KI's objects, so that the isolation walker can prove it sees them
(``test_the_walker_catches_a_leak``). Never part of the platform."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.generic import DetailView

from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.models import Measure, Session


def ignores_pk(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("eine Seite, die den Schlüssel nicht prüft")


class ReadsOtherSchema(DetailView):
    model = Measure

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        with in_tenant(Tenant.objects.get(slug="bonn")):
            return HttpResponse(get_object_or_404(Measure, pk=self.kwargs["pk"]).title)


def measure_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Named after measures, reads another KI's sessions: the pk of B's first measure is the
    pk of B's first session too, so the walker still sees the leak."""
    with in_tenant(Tenant.objects.get(slug="bonn")):
        return HttpResponse(get_object_or_404(Session, pk=pk).note)


def sound(request: HttpRequest, measure_pk: int) -> HttpResponse:
    return HttpResponse(get_object_or_404(Measure, pk=measure_pk).title)


urlpatterns = [
    path("ohne-pruefung/<int:pk>/", ignores_pk, name="ignores_pk"),
    path("andere/<int:pk>/", ReadsOtherSchema.as_view(), name="reads_other_schema"),
    path("notizen/<int:pk>/", measure_notes, name="measure_notes"),
    path("richtig/<int:measure_pk>/", sound, name="sound"),
]

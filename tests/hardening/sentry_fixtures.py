"""An in-memory Sentry transport and a failing view that holds a sentinel."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from kinrw.conf.urls_tenant import urlpatterns as tenant_patterns
from kinrw.tenancy.context import use_public_schema

SENTINEL_EMAIL = "zora.quellmann@sentinel.example"
SENTINEL_NAME = "Zoraquellmann"
SENTINEL_IBAN = "DE89370400440532013000"


class MemoryTransport(Transport):
    """Keeps every envelope in this process instead of sending it."""

    envelopes: list[Envelope] = []  # shared on purpose: the SDK makes the instance

    def capture_envelope(self, envelope: Envelope) -> None:
        MemoryTransport.envelopes.append(envelope)

    @classmethod
    def wire(cls) -> bytes:
        """Everything that would have left the process, serialized as the SDK sends it."""
        return b"".join(envelope.serialize() for envelope in cls.envelopes)

    @classmethod
    def events(cls) -> list[dict[str, Any]]:
        return [
            json.loads(item.payload.get_bytes())
            for envelope in cls.envelopes
            for item in envelope.items
            if item.type in ("event", "transaction")
        ]


@csrf_exempt  # called through the bare WSGI handler, without a CSRF token
def failing_view(request: HttpRequest) -> HttpResponse:
    person = {"email": SENTINEL_EMAIL, "name": SENTINEL_NAME, "iban": SENTINEL_IBAN}
    posted = request.POST.get("full_name")  # the body holds the sentinel too
    use_public_schema()  # the tag must come from the request, not from the schema at the end
    raise ValueError(f"Anlegen fehlgeschlagen für {person['email']} ({len(posted or '')})")


urlpatterns = [path("kaputt/", failing_view), *tenant_patterns]

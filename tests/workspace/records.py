"""One record of every workspace model, each carrying a marker string, in the active schema.

Used by the generic isolation test (objects of KI B whose pks and texts must never
show up on KI A's host) and by the browser tests (committed records of KI A that the
detail pages and lists render). When a new workspace model appears, add it here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.workspace.models import ApiToken, AuditEntry, Role, SessionImport
from kinrw.workspace.services import (
    agreement_create,
    contact_create,
    document_upload,
    enrolment_create,
    gremium_create,
    measure_create,
    meeting_create,
    membership_set,
    organisation_create,
    session_record,
)
from tests.kit import PASSWORD


@dataclass
class Records:
    """The records made by :func:`records_create`, in creation order."""

    marker: str
    amount: Decimal = Decimal(0)  # the enrolment's granted amount: its only text is a number
    audit_before: int = 0  # the highest audit entry id before these records were made
    created: list[models.Model] = field(default_factory=list)

    @property
    def needles(self) -> list[bytes]:
        """What shows that a response contains these records: the marker, the amount."""
        whole = int(self.amount)
        german = f"{whole:,}".replace(",", ".")
        return [self.marker.encode(), str(whole).encode(), german.encode()]

    def found_in(self, text: bytes) -> bool:
        return any(needle in text for needle in self.needles)

    def add(self, obj: models.Model) -> models.Model:
        self.created.append(obj)
        return obj

    def of(self, model: type[models.Model]) -> models.Model | None:
        return next((o for o in self.created if type(o) is model), None)

    def __getitem__(self, model: type[models.Model]) -> models.Model:
        obj = self.of(model)
        if obj is None:
            raise LookupError(
                f"tests/workspace/records.py makes no {model._meta.label}: add one to "
                "records_create() (with the marker in a text field)."
            )
        return obj


def records_create(*, marker: str, amount: Decimal) -> Records:
    """One of each workspace model in the schema that is active; texts contain ``marker``.

    ``marker`` should be ASCII letters and digits only, so that HTML escaping, JSON,
    CSV and XLSX all keep it verbatim; ``amount`` (the granted amount of the enrolment)
    should have five distinctive digits before the decimal point.
    """
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    programme = Programme.objects.get(code="griffbereit")
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    r = Records(marker=marker, amount=amount, audit_before=last or 0)
    r.add(enrolment_create(actor=None, programme=programme, year=today.year, granted_amount=amount))
    organisation = r.add(
        organisation_create(
            actor=None,
            name=f"Kita {marker}",
            kind="kita",
            street=f"{marker}weg 1",
            city=f"Ort {marker}",
        )
    )
    r.add(
        contact_create(
            actor=None,
            organisation=organisation,
            name=f"Ansprechperson {marker}",
            role=f"Leitung {marker}",
            email=f"{marker.lower()}@kita.example",
        )
    )
    r.add(
        agreement_create(actor=None, organisation=organisation, kind="kooperation", starts_on=start)
    )
    gremium = r.add(
        gremium_create(
            actor=None, name=f"Arbeitskreis {marker}", kind="arbeitskreis", members=[organisation]
        )
    )
    r.add(
        meeting_create(
            actor=None,
            gremium=gremium,
            held_on=today,
            topic=f"Sitzung {marker}",
            participants=[organisation],
        )
    )
    user = r.add(
        User.objects.create_user(
            f"{marker.lower()}@konto.example", PASSWORD, full_name=f"Fachkraft {marker}"
        )
    )
    r.add(membership_set(actor=None, user=user, role=Role.FACHKRAFT))
    measure = r.add(
        measure_create(
            actor=None,
            title=f"Gruppe {marker}",
            programme=programme,
            starts_on=start,
            description=f"Beschreibung {marker}",
            venue=f"Raum {marker}",
            partner=organisation,
            responsible=[user],
            status="laufend",
        )
    )
    session = r.add(
        session_record(
            actor=None,
            measure=measure,
            date=today + dt.timedelta(days=1),
            counts={"children": {"total": 7}},
            note=f"Notiz {marker}",
        )
    )
    r.add(session.counts.first())
    r.add(
        document_upload(
            actor=user,
            owner=measure,
            file=ContentFile(b"%PDF-1.4\n% " + marker.encode(), name=f"Protokoll {marker}.pdf"),
        )
    )
    digest = hashlib.sha256(marker.encode()).hexdigest()
    r.add(
        SessionImport.objects.create(
            created_by=user, file_name=f"termine-{marker}.csv", sha256=digest
        )
    )
    r.add(
        ApiToken.objects.create(
            user=user, name=f"Schluessel {marker}", prefix=marker[:8], key_hash=digest
        )
    )
    r.add(AuditEntry.objects.order_by("-id").first())
    return r


def records_delete(records: Records) -> None:
    """Remove committed records again (children first), with the audit entries they left."""
    AuditEntry.objects.filter(pk__gt=records.audit_before).delete()
    for obj in reversed(records.created):
        type(obj)._default_manager.filter(pk=obj.pk).delete()

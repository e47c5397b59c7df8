"""Writes to the workspace of the current KI (one module per concept)."""

from kinrw.workspace.services.enrolments import enrolment_create
from kinrw.workspace.services.errors import WorkspaceError
from kinrw.workspace.services.measures import measure_create, measure_delete
from kinrw.workspace.services.partners import (
    agreement_create,
    contact_create,
    gremium_create,
    meeting_create,
    organisation_create,
    organisation_delete,
)
from kinrw.workspace.services.sessions import (
    session_record,
    sessions_generate_weekly,
    weekly_dates,
)
from kinrw.workspace.services.staff import membership_set

__all__ = [
    "WorkspaceError",
    "agreement_create",
    "contact_create",
    "enrolment_create",
    "gremium_create",
    "measure_create",
    "measure_delete",
    "meeting_create",
    "membership_set",
    "organisation_create",
    "organisation_delete",
    "session_record",
    "sessions_generate_weekly",
    "weekly_dates",
]

"""Writes to the workspace of the current KI (one module per concept)."""

from kinrw.workspace.services.enrolments import enrolment_create, enrolment_delete, enrolment_update
from kinrw.workspace.services.errors import WorkspaceError
from kinrw.workspace.services.measures import measure_create, measure_delete, measure_update
from kinrw.workspace.services.partners import (
    agreement_create,
    agreement_delete,
    agreement_update,
    contact_create,
    contact_delete,
    contact_update,
    gremium_create,
    gremium_delete,
    gremium_update,
    meeting_create,
    meeting_delete,
    meeting_update,
    organisation_create,
    organisation_delete,
    organisation_update,
)
from kinrw.workspace.services.sessions import (
    session_delete,
    session_record,
    session_update,
    sessions_generate_weekly,
    weekly_dates,
)
from kinrw.workspace.services.staff import membership_remove, membership_set

__all__ = [
    "WorkspaceError",
    "agreement_create",
    "agreement_delete",
    "agreement_update",
    "contact_create",
    "contact_delete",
    "contact_update",
    "enrolment_create",
    "enrolment_delete",
    "enrolment_update",
    "gremium_create",
    "gremium_delete",
    "gremium_update",
    "measure_create",
    "measure_delete",
    "measure_update",
    "meeting_create",
    "meeting_delete",
    "meeting_update",
    "membership_remove",
    "membership_set",
    "organisation_create",
    "organisation_delete",
    "organisation_update",
    "session_delete",
    "session_record",
    "session_update",
    "sessions_generate_weekly",
    "weekly_dates",
]

"""Writes to the workspace of the current KI (one module per concept)."""

from kinrw.workspace.services.documents import document_delete, document_upload
from kinrw.workspace.services.enrolments import enrolment_create, enrolment_delete, enrolment_update
from kinrw.workspace.services.errors import WorkspaceError
from kinrw.workspace.services.grid import GridErrors, GridResult, GridRow, sessions_save_month
from kinrw.workspace.services.imports import (
    ImportOutcome,
    session_import_confirm,
    session_import_discard,
    session_import_prepare,
)
from kinrw.workspace.services.measures import measure_create, measure_delete, measure_update
from kinrw.workspace.services.networks import (
    gremium_create,
    gremium_delete,
    gremium_update,
    meeting_create,
    meeting_delete,
    meeting_update,
)
from kinrw.workspace.services.partners import (
    agreement_create,
    agreement_delete,
    agreement_update,
    contact_create,
    contact_delete,
    contact_update,
    organisation_create,
    organisation_delete,
    organisation_update,
)
from kinrw.workspace.services.series import sessions_generate_weekly, weekly_dates
from kinrw.workspace.services.sessions import (
    session_delete,
    session_record,
    session_update,
)
from kinrw.workspace.services.staff import (
    member_deactivate,
    member_invite,
    membership_remove,
    membership_set,
)
from kinrw.workspace.services.tokens import api_token_create, api_token_revoke

__all__ = [
    "GridErrors",
    "GridResult",
    "GridRow",
    "ImportOutcome",
    "WorkspaceError",
    "agreement_create",
    "agreement_delete",
    "agreement_update",
    "api_token_create",
    "api_token_revoke",
    "contact_create",
    "contact_delete",
    "contact_update",
    "document_delete",
    "document_upload",
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
    "member_deactivate",
    "member_invite",
    "membership_remove",
    "membership_set",
    "organisation_create",
    "organisation_delete",
    "organisation_update",
    "session_delete",
    "session_import_confirm",
    "session_import_discard",
    "session_import_prepare",
    "session_record",
    "session_update",
    "sessions_generate_weekly",
    "sessions_save_month",
    "weekly_dates",
]

"""The KI workspace (tenant schemas): one module per concept."""

from kinrw.workspace.models.audit import AuditAction, AuditEntry
from kinrw.workspace.models.documents import Document
from kinrw.workspace.models.figures_state import FiguresState
from kinrw.workspace.models.imports import ImportStatus, SessionImport
from kinrw.workspace.models.measures import Measure, MeasureStatus, TargetGroup
from kinrw.workspace.models.outbox import Outbox
from kinrw.workspace.models.partners import (
    AgreementKind,
    AgreementStatus,
    ContactPerson,
    CooperationAgreement,
    Gremium,
    GremiumKind,
    GremiumMeeting,
    Organisation,
    OrganisationType,
)
from kinrw.workspace.models.programmes import Enrolment
from kinrw.workspace.models.sessions import Session, SessionCount
from kinrw.workspace.models.staff import Membership, Role
from kinrw.workspace.models.tokens import ApiToken

__all__ = [
    "AgreementKind",
    "AgreementStatus",
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "ContactPerson",
    "CooperationAgreement",
    "Document",
    "Enrolment",
    "FiguresState",
    "Gremium",
    "GremiumKind",
    "GremiumMeeting",
    "ImportStatus",
    "Measure",
    "MeasureStatus",
    "Membership",
    "Organisation",
    "OrganisationType",
    "Outbox",
    "Role",
    "Session",
    "SessionCount",
    "SessionImport",
    "TargetGroup",
]

"""26 tenant models of a KI workspace, for the benchmark only (see ``__init__``).

Typical of what a KI records: its programme enrolment, measures (Maßnahmen)
with their target groups, Gemeinden and languages, sessions (Termine) with
attendance counts and breakdowns, volunteers, partner organisations with
contacts and cooperation agreements, Gremien with meetings, an audit trail,
imports, exports and staff roles. Foreign keys, choices, dates, decimals,
indexes, unique and check constraints and many-to-many tables, all with
64-bit keys, grown over several migrations like a real app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kinrw.core.placement import TenantModel


class Programme(models.TextChoices):
    KOMM_AN = "komm_an", "KOMM-AN NRW"
    INTEGRATION = "integration", "Integrationsmanagement"
    WEGWEISER = "wegweiser", "Wegweiser Sprache"
    OTHER = "other", "anderes Programm"


class ProgrammeEnrolment(TenantModel):
    programme = models.CharField(max_length=32, choices=Programme.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    budget = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    funding_reference = models.CharField(max_length=64, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start"], name="benchws_enrolment_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="benchws_enrolment_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.period_start:%Y}"


class Gemeinde(TenantModel):
    ags = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=120)
    population = models.PositiveIntegerField(null=True, blank=True)
    postcode_prefix = models.CharField(max_length=3, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.name


class TargetGroup(TenantModel):
    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.label


class Language(TenantModel):
    code = models.CharField(max_length=8, unique=True)  # ISO 639
    name = models.CharField(max_length=80)

    def __str__(self) -> str:
        return self.name


class Location(TenantModel):
    name = models.CharField(max_length=150)
    street = models.CharField(max_length=150, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    gemeinde = models.ForeignKey(Gemeinde, on_delete=models.PROTECT, related_name="locations")
    accessible = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class MeasureStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    PLANNED = "planned", "geplant"
    RUNNING = "running", "laufend"
    DONE = "done", "abgeschlossen"
    CANCELLED = "cancelled", "abgesagt"


class Measure(TenantModel):
    enrolment = models.ForeignKey(
        ProgrammeEnrolment, on_delete=models.PROTECT, related_name="measures"
    )
    title = models.CharField(max_length=250)
    kind = models.CharField(
        max_length=20,
        choices=[
            ("course", "Kurs"),
            ("counselling", "Beratung"),
            ("event", "Veranstaltung"),
            ("network", "Netzwerkarbeit"),
        ],
    )
    status = models.CharField(
        max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.DRAFT
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    budget = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    planned_participants = models.PositiveIntegerField(default=0)
    needs_volunteers = models.BooleanField(default=False)
    target_groups = models.ManyToManyField(
        TargetGroup, through="MeasureTargetGroup", related_name="measures"
    )
    gemeinden = models.ManyToManyField(Gemeinde, through="MeasureGemeinde", related_name="measures")
    languages = models.ManyToManyField(Language, blank=True, related_name="measures")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    external_ref = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "starts_on"], name="benchws_measure_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="benchws_measure_dates",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="benchws_measure_budget"),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=~Q(external_ref=""),
                name="benchws_measure_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureTargetGroup(TenantModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE)
    target_group = models.ForeignKey(TargetGroup, on_delete=models.PROTECT)
    share_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "target_group"], name="benchws_mtg_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.target_group_id}"


class MeasureGemeinde(TenantModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE)
    gemeinde = models.ForeignKey(Gemeinde, on_delete=models.PROTECT)
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "gemeinde"], name="benchws_mg_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.gemeinde_id}"


class TerminStatus(models.TextChoices):
    PLANNED = "planned", "geplant"
    HELD = "held", "stattgefunden"
    CANCELLED = "cancelled", "ausgefallen"


class Termin(TenantModel):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="termine")
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="termine"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=TerminStatus.choices, default=TerminStatus.PLANNED
    )
    online = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    expected_participants = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["measure", "starts_at"], name="benchws_termin_measure")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="benchws_termin_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.starts_at:%Y-%m-%d}"


class Attendance(TenantModel):
    """Teilnahmezahlen of one Termin, as counted by staff."""

    termin = models.OneToOneField(Termin, on_delete=models.CASCADE, related_name="attendance")
    total = models.PositiveIntegerField()
    first_time = models.PositiveIntegerField(default=0)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(first_time__lte=F("total")), name="benchws_attendance_first_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.termin_id}: {self.total}"


class Dimension(models.TextChoices):
    GENDER = "gender", "Geschlecht"
    AGE = "age", "Altersgruppe"
    ORIGIN = "origin", "Herkunft"
    RESIDENCE = "residence", "Aufenthaltsstatus"


class AttendanceBreakdown(TenantModel):
    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="breakdown")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "dimension", "category"], name="benchws_breakdown_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}/{self.category}: {self.count}"


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", "Verein"
    MSO = "mso", "Migrantenselbstorganisation"
    WELFARE = "welfare", "Wohlfahrtsverband"
    AUTHORITY = "authority", "Behörde"
    SCHOOL = "school", "Schule"
    COMPANY = "company", "Unternehmen"


class PartnerOrganisation(TenantModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=PartnerKind.choices)
    street = models.CharField(max_length=150, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    gemeinde = models.ForeignKey(
        Gemeinde, on_delete=models.SET_NULL, null=True, blank=True, related_name="partners"
    )
    website = models.URLField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "name"], name="benchws_partner_kind")]

    def __str__(self) -> str:
        return self.name


class ContactPerson(TenantModel):
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(max_length=150)
    function = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    consent_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.full_name


class CooperationAgreement(TenantModel):
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="agreements"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    reference = models.CharField(max_length=40, unique=True)
    signed_on = models.DateField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    document_name = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="benchws_agreement_validity",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="benchws_agreement_amount"),
        ]

    def __str__(self) -> str:
        return self.reference


class Volunteer(TenantModel):
    """Ehrenamtliche: pseudonymous code, no more personal data than needed."""

    code = models.CharField(max_length=20, unique=True)
    active_since = models.DateField()
    active = models.BooleanField(default=True)
    skills = models.CharField(max_length=250, blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="volunteers")
    gemeinde = models.ForeignKey(
        Gemeinde, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteers"
    )

    def __str__(self) -> str:
        return self.code


class VolunteerAssignment(TenantModel):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="assignments")
    termin = models.ForeignKey(Termin, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(
        max_length=12,
        choices=[
            ("lead", "Leitung"),
            ("support", "Unterstützung"),
            ("translate", "Sprachmittlung"),
        ],
        default="support",
    )
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    allowance = models.DecimalField(max_digits=8, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "termin"], name="benchws_assignment_unique"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="benchws_assignment_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.termin_id}"


class Gremium(TenantModel):
    name = models.CharField(max_length=150)
    kind = models.CharField(
        max_length=16,
        choices=[
            ("integrationsrat", "Integrationsrat"),
            ("arbeitskreis", "Arbeitskreis"),
            ("steuerung", "Steuerungsgruppe"),
            ("netzwerk", "Netzwerktreffen"),
        ],
    )
    founded_on = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class GremiumMembership(TenantModel):
    gremium = models.ForeignKey(Gremium, on_delete=models.CASCADE, related_name="memberships")
    contact = models.ForeignKey(ContactPerson, on_delete=models.CASCADE, related_name="gremien")
    role = models.CharField(
        max_length=10,
        choices=[("chair", "Vorsitz"), ("deputy", "Stellvertretung"), ("member", "Mitglied")],
        default="member",
    )
    member_from = models.DateField()
    member_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gremium", "contact", "member_from"], name="benchws_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} in {self.gremium_id}"


class GremiumMeeting(TenantModel):
    gremium = models.ForeignKey(Gremium, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    status = models.CharField(
        max_length=10,
        choices=[("planned", "geplant"), ("held", "stattgefunden"), ("minuted", "protokolliert")],
        default="planned",
    )
    minutes = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["gremium", "-held_on"], name="benchws_meeting_recent")]

    def __str__(self) -> str:
        return f"{self.gremium_id} {self.held_on}"


class MeetingParticipant(TenantModel):
    meeting = models.ForeignKey(
        GremiumMeeting, on_delete=models.CASCADE, related_name="participants"
    )
    contact = models.ForeignKey(
        ContactPerson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    attended = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(staff__isnull=False),
                name="benchws_participant_who",
            ),
            models.UniqueConstraint(
                fields=["meeting", "contact"], name="benchws_participant_contact"
            ),
            models.UniqueConstraint(fields=["meeting", "staff"], name="benchws_participant_staff"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.contact_id or self.staff_id}"


class AgendaItem(TenantModel):
    meeting = models.ForeignKey(GremiumMeeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    decision = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="benchws_agenda_position"),
        ]

    def __str__(self) -> str:
        return self.title


class AuditEntry(TenantModel):
    """Who changed what in the workspace (append-only)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(
        max_length=10,
        choices=[
            ("create", "angelegt"),
            ("update", "geändert"),
            ("delete", "gelöscht"),
            ("export", "exportiert"),
            ("login", "angemeldet"),
        ],
    )
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField(null=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="benchws_audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "wartet"
    RUNNING = "running", "läuft"
    DONE = "done", "fertig"
    FAILED = "failed", "fehlgeschlagen"


class ImportBatch(TenantModel):
    source = models.CharField(
        max_length=12,
        choices=[("csv", "CSV-Datei"), ("xlsx", "Excel-Datei"), ("api", "Schnittstelle")],
    )
    file_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_failed__lte=F("rows_total")), name="benchws_import_counts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d}"


class ImportRow(TenantModel):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    error = models.TextField(blank=True)
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "row_number"], name="benchws_importrow_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["batch"], condition=~Q(status="done"), name="benchws_importrow_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number}"


class ExportLog(TenantModel):
    kind = models.CharField(
        max_length=16,
        choices=[
            ("land_report", "Landesbericht"),
            ("attendance", "Teilnahmezahlen"),
            ("measures", "Maßnahmen"),
            ("audit", "Prüfprotokoll"),
        ],
    )
    period_start = models.DateField()
    period_end = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    row_count = models.PositiveIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "-created_at"], name="benchws_export_recent")]

    def __str__(self) -> str:
        return self.file_name


class StaffRole(TenantModel):
    """What a staff account of this KI may do, and since when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="benchws_roles"
    )
    role = models.CharField(
        max_length=16,
        choices=[
            ("lead", "Leitung"),
            ("staff", "Fachkraft"),
            ("finance", "Finanzen"),
            ("reporting", "Berichtswesen"),
            ("readonly", "nur lesen"),
        ],
    )
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "valid_from"], name="benchws_staffrole_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="benchws_staffrole_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role}"

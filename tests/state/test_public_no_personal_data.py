"""No table of the public schema holds a person's data (issue 4, part 1).

The public schema is what the Land side reads: the registry, the catalogue
and the facts. A person's data stays in the KI's own schema. This test is
stricter than ``tests/tenancy/test_placement.py``: every field that *could*
hold a person's data or free text (a name, an address, a note, any text or
JSON field) is an error, unless the allow-list below names the model, the
field and the reason. A new public model with such a field fails here until
someone writes down why it is not personal data.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection, models

from kinrw.core.placement import Placement, placement_of
from kinrw.state.facts import Fact, RebuildLedger
from tests.kit import Kit

# Field or column names that could hold a person's data or free text, as whole words.
SUSPECT = re.compile(
    r"(^|_)(name|e_?mail|mail|phone|telefon|mobil|handy|fax|birth\w*|geburt\w*|"
    r"address|adresse|anschrift|street|strasse|zip|postcode|plz|ip|"
    r"note|notes|comment|kommentar|remark|bemerkung|text|title|titel|"
    r"person|participant|teilnehmer\w*|username|user|contact|kontakt)($|_)"
)
SUSPECT_TYPES = (
    models.EmailField,
    models.GenericIPAddressField,
    models.TextField,
    models.JSONField,
)

# model label -> (fields allowed, why that is not a person's data in the public schema)
ALLOWED: dict[str, tuple[set[str], str]] = {
    "accounts.user": (
        {"email", "full_name", "user_permissions"},
        "BOTH by design: the public copy holds only the Land's own staff accounts (ADR 0003)",
    ),
    "accounts.user_groups": ({"user"}, "staff accounts' Django groups (Land staff)"),
    "accounts.user_user_permissions": ({"user"}, "staff accounts' permissions (Land staff)"),
    "state.landaccess": ({"user"}, "the Land role of a Land staff account"),
    "sessions.session": (
        {"session_data"},
        "login sessions of Land staff on the Land host; expire, hold no workspace data",
    ),
    "tenancy.tenant": (
        {"schema_name", "name", "official_name"},
        "the KI as an institution (Kreis or Stadt), public register data",
    ),
    "tenancy.schemastate": (
        {"schema_name", "last_error"},
        "technical migration state of a schema; errors are database messages",
    ),
    "tenancy.templatesnapshot": ({"sql"}, "DDL of the empty template schema, no rows"),
    "tenancy.gemeinde": ({"name"}, "the 396 Gemeinden of NRW, official reference data"),
    "catalogue.programme": ({"name", "description"}, "the Land's programme catalogue"),
    "catalogue.breakdown": ({"values"}, "codes and labels of breakdown dimensions"),
    "auth.permission": ({"name"}, "Django's permission catalogue"),
    "auth.group": ({"name"}, "Django's group names (roles, not persons)"),
    # django-axes (ADR 0013): failed logins on the Land host only (a KI's are in its schema)
    "axes.accessattempt": (
        {"username", "ip_address", "user_agent", "get_data", "post_data"},
        "failed Land-host logins: typed address, client address; form data masked; "
        "deleted after the cool-off",
    ),
    "axes.accesslog": (
        {"username", "ip_address", "user_agent"},
        "log of successful logins: switched off (AXES_DISABLE_ACCESS_LOG), stays empty",
    ),
    "axes.accessfailurelog": (
        {"username", "ip_address", "user_agent"},
        "long-term failure log: switched off (AXES_ENABLE_ACCESS_FAILURE_LOG), stays empty",
    ),
}

# Public tables without a model of ours, and columns that are reference data.
ALLOWED_TABLES = {
    "django_migrations": "migration names of the code",
    "django_content_type": "model names of the code",
}


def _public_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if placement_of(m) in (Placement.PUBLIC, Placement.BOTH)
    ]


def _suspect(field: models.Field) -> bool:  # type: ignore[type-arg]
    return isinstance(field, SUSPECT_TYPES) or bool(SUSPECT.search(field.name.lower()))


def test_public_models_hold_no_personal_data_beyond_the_allow_list() -> None:
    wrong = []
    for model in _public_models():
        allowed = ALLOWED.get(model._meta.label_lower, (set(), ""))[0]
        wrong += [
            f"{model._meta.label_lower}.{f.name}"
            for f in model._meta.get_fields(include_parents=False)
            if f.concrete and _suspect(f) and f.name not in allowed
        ]
    assert not wrong, f"could hold personal data or free text in the public schema: {wrong}"


def test_the_allow_list_is_current_and_gives_reasons() -> None:
    models_ = {m._meta.label_lower: m for m in _public_models()}
    for label, (fields, reason) in ALLOWED.items():
        assert label in models_, f"{label} is not a public model (any more)"
        assert len(reason) > 10, label
        names = {f.name for f in models_[label]._meta.get_fields(include_parents=False)}
        assert fields <= names, f"{label}: {fields - names} are not fields (any more)"


@pytest.mark.parametrize("name", ["full_name", "email", "note", "contact_person", "ip"])
def test_the_heuristic_catches_personal_names(name: str) -> None:
    field = models.CharField(max_length=10)
    field.name = name
    assert _suspect(field)


@pytest.mark.parametrize("name", ["value", "value_code", "breakdown", "period", "zipper"])
def test_the_heuristic_lets_aggregates_pass(name: str) -> None:
    field = models.CharField(max_length=10)
    field.name = name
    assert not _suspect(field)


AGGREGATE_TYPES = (
    models.BigAutoField,
    models.ForeignKey,
    models.DateField,
    models.DecimalField,
    models.BigIntegerField,
    models.PositiveSmallIntegerField,
    models.UUIDField,
)


@pytest.mark.parametrize(
    ("model", "targets"),
    [
        (Fact, {"tenancy.tenant", "catalogue.programme", "catalogue.indicator"}),
        (RebuildLedger, {"tenancy.tenant"}),
    ],
)
def test_facts_hold_only_aggregates(model: type[models.Model], targets: set[str]) -> None:
    """Numbers, dates, keys of the registry and catalogue codes; no free text at all."""
    for field in model._meta.get_fields(include_parents=False):
        if not field.concrete:
            continue
        if isinstance(field, models.ForeignKey):
            assert field.related_model._meta.label_lower in targets, field.name
        elif isinstance(field, models.CharField):
            # only catalogue codes (Breakdown.code, its value codes), never text
            assert field.name in {"breakdown", "value_code"} and field.max_length == 40
        else:
            assert isinstance(field, AGGREGATE_TYPES), f"{model.__name__}.{field.name}"


@pytest.mark.django_db
def test_the_public_schema_tables_hold_no_personal_columns(kit: Kit) -> None:
    """The same on the real tables: catches tables made by RunSQL or without a model."""
    allowed = set()
    for model in _public_models():
        fields = ALLOWED.get(model._meta.label_lower, (set(), ""))[0]
        allowed |= {
            (model._meta.db_table, f.column)
            for f in model._meta.get_fields(include_parents=False)
            if f.concrete and f.name in fields
        }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        )
        rows = cursor.fetchall()
    assert any(table == "state_fact" for table, _, _ in rows)
    wrong = [
        f"{table}.{column} ({type_})"
        for table, column, type_ in rows
        if table not in ALLOWED_TABLES
        and (table, column) not in allowed
        and (SUSPECT.search(column.lower()) or type_ in ("text", "jsonb", "inet"))
    ]
    assert not wrong, f"public columns that could hold personal data: {wrong}"

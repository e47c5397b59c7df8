"""Every model says where it lives, and the schemas keep to it (issue 2, parts 2 and 10).

The rules (ADR 0005, Citus schema-based sharding):

* PUBLIC models belong to an app in ``SHARED_APPS`` only, TENANT models to an
  app in ``TENANT_APPS`` only, BOTH models to an app in both lists
  (django-tenants creates tables per app, not per model).
* Nothing in the public schema references a tenant schema; a table in a
  tenant schema references only tenant tables or small public reference
  tables (``placement.REFERENCE_MODELS``).
* Our keys are 64-bit; only columns that point at Django's own 32-bit
  catalogues (``placement.DJANGO_32BIT_KEYS``) are not.
* The public schema holds no personal data, except the Land's own accounts.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from kinrw.core import placement
from kinrw.core.placement import Placement, placement_of
from kinrw.tenancy import template
from tests.kit import Kit

OUR_PREFIX = "kinrw."


def _models() -> list[type[models.Model]]:
    """Every installed model, many-to-many tables included."""
    return list(apps.get_models(include_auto_created=True))


def _ours(model: type[models.Model]) -> bool:
    return model._meta.app_config.name.startswith(OUR_PREFIX)


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    """Foreign-key columns of the model's own table (many-to-many via their tables)."""
    return [
        f
        for f in model._meta.get_fields(include_parents=False)
        if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def test_every_model_declares_its_placement() -> None:
    missing = [_label(m) for m in _models() if placement_of(m) is None]
    assert not missing, (
        "models without a placement (set schema_placement, or list them in "
        f"kinrw.core.placement.THIRD_PARTY): {missing}"
    )


def test_placement_matches_the_installed_apps() -> None:
    wrong = []
    for model in _models():
        app = model._meta.app_config.name
        shared, tenant = app in settings.SHARED_APPS, app in settings.TENANT_APPS
        expected = {
            Placement.PUBLIC: (True, False),
            Placement.TENANT: (False, True),
            Placement.BOTH: (True, True),
        }[placement_of(model) or Placement.BOTH]
        if (shared, tenant) != expected:
            wrong.append(
                f"{_label(model)} is {placement_of(model)}, but {app} is "
                f"{'in' if shared else 'not in'} SHARED_APPS and "
                f"{'in' if tenant else 'not in'} TENANT_APPS"
            )
    assert not wrong, "\n".join(wrong)


def _reference_violation(source: type[models.Model], target: type[models.Model]) -> str | None:
    here, there = placement_of(source), placement_of(target)
    if here in (Placement.PUBLIC, Placement.BOTH) and there == Placement.TENANT:
        return "the public schema must not reference a tenant schema"
    if (
        here in (Placement.TENANT, Placement.BOTH)
        and there == Placement.PUBLIC
        and _label(target) not in placement.REFERENCE_MODELS
    ):
        return "a tenant table may reference only REFERENCE_MODELS in the public schema"
    return None


def test_foreign_keys_stay_within_their_schema_or_reach_reference_tables() -> None:
    wrong = []
    for model in _models():
        for field in _foreign_keys(model):
            target = field.related_model
            problem = _reference_violation(model, target)
            if problem:
                wrong.append(
                    f"{_label(model)}.{field.name} ({placement_of(model)}) -> "
                    f"{_label(target)} ({placement_of(target)}): {problem}"
                )
    assert not wrong, "\n".join(wrong)


class _Fake:
    """Just enough of a model for the rule above."""

    def __init__(self, label: str, where: Placement) -> None:
        self.schema_placement = where

        class Meta:
            label_lower = label

        self._meta = Meta


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (Placement.PUBLIC, Placement.TENANT, False),
        (Placement.BOTH, Placement.TENANT, False),
        (Placement.TENANT, Placement.PUBLIC, False),
        (Placement.BOTH, Placement.PUBLIC, False),
        (Placement.TENANT, Placement.TENANT, True),
        (Placement.TENANT, Placement.BOTH, True),
        (Placement.PUBLIC, Placement.BOTH, True),
        (Placement.BOTH, Placement.BOTH, True),
    ],
)
def test_the_reference_rule_itself(source: Placement, target: Placement, allowed: bool) -> None:
    problem = _reference_violation(_Fake("x.a", source), _Fake("x.b", target))  # type: ignore[arg-type]
    assert (problem is None) is allowed


def test_a_tenant_table_may_reference_a_listed_public_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(placement, "REFERENCE_MODELS", {"x.catalogue"})
    tenant, catalogue = _Fake("x.a", Placement.TENANT), _Fake("x.catalogue", Placement.PUBLIC)
    assert _reference_violation(tenant, catalogue) is None  # type: ignore[arg-type]


def test_our_keys_are_64_bit() -> None:
    wrong = []
    for model in filter(_ours, _models()):
        pk_type = model._meta.pk.db_type(connection)
        if pk_type != "bigint":
            wrong.append(f"{_label(model)}.{model._meta.pk.name}: primary key is {pk_type}")
        for field in _foreign_keys(model):
            column_type = field.db_type(connection)
            target = _label(field.related_model)
            if target in placement.DJANGO_32BIT_KEYS:
                continue  # Django's own catalogue: the column must match its integer key
            if column_type != "bigint":
                wrong.append(f"{_label(model)}.{field.name} -> {target}: column is {column_type}")
    assert not wrong, "\n".join(wrong)


_KEY_COLUMNS_SQL = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), con.contype,
       coalesce(ref.relname, '')
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (con.conkey)
LEFT JOIN pg_class ref ON ref.oid = con.confrelid
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %s)
  AND con.contype IN ('p', 'f')
"""


@pytest.mark.django_db
@pytest.mark.parametrize("schema", ["public", "template"])
def test_key_columns_in_the_database_are_64_bit(kit: Kit, schema: str) -> None:
    """The same on the real tables (also catches tables made by RunSQL)."""
    schema = template.template_schema() if schema == "template" else schema
    our_tables = {m._meta.db_table for m in _models() if _ours(m)}
    small = {apps.get_model(label)._meta.db_table for label in placement.DJANGO_32BIT_KEYS}
    with connection.cursor() as cursor:
        cursor.execute(_KEY_COLUMNS_SQL, [schema])
        rows = cursor.fetchall()
    assert any(table == "accounts_user" for table, *_ in rows)
    wrong = [
        f"{schema}.{table}.{column}: {kind} column is {type_}"
        for table, column, type_, kind, referenced in rows
        if table in our_tables and type_ != "bigint" and not (kind == "f" and referenced in small)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_tables_exist_exactly_on_the_declared_side(kit: Kit) -> None:
    def tables(schema: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                [schema],
            )
            return {row[0] for row in cursor.fetchall()}

    public, tenant = tables("public"), tables(template.template_schema())
    wrong = []
    for model in _models():
        if not model._meta.managed or model._meta.proxy:
            continue
        where = placement_of(model)
        table = model._meta.db_table
        in_public = where in (Placement.PUBLIC, Placement.BOTH)
        in_tenant = where in (Placement.TENANT, Placement.BOTH)
        if (table in public, table in tenant) != (in_public, in_tenant):
            wrong.append(
                f"{_label(model)} is {where}: table {table} "
                f"{'is' if table in public else 'is not'} in public, "
                f"{'is' if table in tenant else 'is not'} in the tenant schemas"
            )
    assert not wrong, "\n".join(wrong)


# Field names that suggest personal data (German and English), as whole words.
_PERSONAL = re.compile(
    r"(^|_)(e_?mail|phone|telefon|mobil|handy|fax|birth\w*|geburt\w*|"
    r"first_?name|last_?name|full_?name|given_?name|family_?name|surname|vorname|nachname|"
    r"address|adresse|anschrift|street|strasse|zip|postcode|plz|wohnort|"
    r"ip|ip_?address|iban|passport|pass_?nr|ausweis\w*|tax_?id|steuer_?id|"
    r"nationality|staatsangehoerigkeit|gender|geschlecht|religion|health|gesundheit|"
    r"aufenthalt\w*|asyl\w*)($|_)"
)
_PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField)
# BOTH by design: the public copy holds the Land's own staff accounts (ADR 0003).
PERSONAL_DATA_ALLOWED = {"accounts.user"}


def _looks_personal(field: models.Field) -> bool:
    return isinstance(field, _PERSONAL_TYPES) or bool(_PERSONAL.search(field.name.lower()))


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("email", True),
        ("contact_email", True),
        ("full_name", True),
        ("geburtsdatum", True),
        ("ip_address", True),
        ("staatsangehoerigkeit", True),
        ("name", False),  # names of KIs and programmes
        ("official_name", False),
        ("description", False),
        ("shipping", False),  # "ip" only as a whole word
        ("population", False),
    ],
)
def test_the_personal_data_heuristic(name: str, personal: bool) -> None:
    field = models.CharField(max_length=10)
    field.name = name
    assert _looks_personal(field) is personal


def test_the_public_schema_holds_no_personal_data() -> None:
    wrong = [
        f"{_label(model)}.{field.name}"
        for model in filter(_ours, _models())
        if placement_of(model) in (Placement.PUBLIC, Placement.BOTH)
        and _label(model) not in PERSONAL_DATA_ALLOWED
        for field in model._meta.get_fields(include_parents=False)
        if field.concrete and _looks_personal(field)
    ]
    assert not wrong, f"fields that look like personal data in the public schema: {wrong}"


def test_declared_lists_name_installed_models() -> None:
    """THIRD_PARTY, REFERENCE_MODELS and DJANGO_32BIT_KEYS are not stale."""
    installed = {_label(m): m for m in _models()}
    stale = [
        f"{name}: {label} is not an installed model"
        for name, labels in (
            ("THIRD_PARTY", placement.THIRD_PARTY),
            ("REFERENCE_MODELS", placement.REFERENCE_MODELS),
            ("DJANGO_32BIT_KEYS", placement.DJANGO_32BIT_KEYS),
        )
        for label in labels
        if label not in installed
    ]
    assert not stale, "\n".join(stale)
    for label in placement.THIRD_PARTY:
        model = installed[label]
        assert not _ours(model), f"{label}: our models declare schema_placement themselves"
        assert getattr(model, "schema_placement", None) is None, label
    for label in placement.REFERENCE_MODELS:
        assert placement_of(installed[label]) in (Placement.PUBLIC, Placement.BOTH), label
    for label in placement.DJANGO_32BIT_KEYS:
        model = installed[label]
        assert not _ours(model), f"{label}: our own keys are 64-bit, no exception"
        assert model._meta.pk.db_type(connection) == "integer", f"{label} is not 32-bit (any more)"

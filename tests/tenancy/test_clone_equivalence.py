"""A KI schema cloned from the template snapshot ≡ one built by migrations (issue 2, part 5).

The comparison is made on PostgreSQL's catalog (``tests/kit/catalog.py``):
tables, columns with types/nullability/defaults/identity, constraints and
indexes with their definitions and names, sequences and their owners,
triggers, views, functions, and the migration records. Negative controls
prove the comparison sees a difference of each kind; a synthetic schema
proves the dump/replay keeps what today's migrations do not use yet
(triggers, functions, views, types, comments, grants, awkward text).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import override_settings

from kinrw.tenancy import migration_state, onboarding, registry, template
from kinrw.tenancy.context import use_public_schema
from kinrw.tenancy.models import SchemaState, TemplateSnapshot, Tenant
from tests.kit import KIT_SLUGS, Kit, catalog

# Tests marked django_db run inside a transaction that is rolled back; the
# replay test commits its source schema (pg_dump is another session) and drops it.
CLONE = "kinrw_cmp_clone"
MIGRATED = "kinrw_cmp_migrated"


@pytest.fixture(scope="module")
def migrated(django_db_setup: Kit, django_db_blocker: pytest.FixtureRequest) -> catalog.Description:
    """A schema built by running every migration, described, then rolled back."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        with transaction.atomic():
            template.create_empty_schema(MIGRATED)
            template.migrate_schema(MIGRATED)
            description = catalog.describe(MIGRATED)
            assert migration_state.schema_states([MIGRATED])[MIGRATED] == (
                migration_state.target_count(),
                migration_state.target_state(),
            )
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()  # it cached the rolled-back schema's rows
    return description


@pytest.fixture
def clone(kit: Kit) -> str:
    snapshot = template.current_snapshot()
    assert snapshot is not None, "the test database has no current template snapshot"
    template.clone_into(CLONE, snapshot)
    return CLONE


def _execute(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.django_db
def test_the_description_is_not_trivially_empty(migrated: catalog.Description) -> None:
    """Guards the comparison itself: every section a KI schema has today is read."""
    assert "accounts_user" in migrated["relations"]
    assert migrated["columns"]["accounts_user.id"][1:3] == ("bigint", True)
    assert migrated["columns"]["accounts_user.id"][4] == "d"  # identity, by default
    assert migrated["sequence_owners"]["accounts_user_id_seq"] == ("i", "accounts_user", "id")
    assert migrated["sequences"]["accounts_user_id_seq"][0] == "bigint"
    assert migrated["constraints"]["accounts_user.accounts_user_email_key"][:2] == (
        "u",
        "UNIQUE (email)",
    )
    fk = migrated["constraints"][
        "accounts_user_groups.accounts_user_groups_user_id_52b62117_fk_accounts_user_id"
    ]
    assert fk[:5] == (
        "f",
        "FOREIGN KEY (user_id) REFERENCES <schema>.accounts_user(id) DEFERRABLE INITIALLY DEFERRED",
        True,  # deferrable
        True,  # initially deferred
        True,  # validated
    )
    assert migrated["indexes"]["accounts_user.accounts_user_email_b2644a56_like"][0] == (
        "CREATE INDEX accounts_user_email_b2644a56_like ON <schema>.accounts_user "
        "USING btree (email varchar_pattern_ops)"
    )
    assert len(migrated["migrations"]) == migration_state.target_count()
    assert migrated["content_types"] and migrated["permissions"]
    # Only this schema is described: the tenant registry lives in the public schema.
    assert "tenancy_tenant" not in migrated["relations"]


@pytest.mark.django_db
def test_clone_is_structurally_identical_to_migrations(
    clone: str, migrated: catalog.Description
) -> None:
    cloned = catalog.describe(clone)
    catalog.assert_same_structure(migrated, cloned, a_label="migrations", b_label="clone")
    assert migration_state.schema_states([clone])[clone] == (
        migration_state.target_count(),
        migration_state.target_state(),
    )


@pytest.mark.django_db
def test_the_template_schema_itself_matches_migrations(
    kit: Kit, migrated: catalog.Description
) -> None:
    catalog.assert_same_structure(
        migrated,
        catalog.describe(template.template_schema()),
        a_label="migrations",
        b_label="template",
    )


@pytest.mark.django_db
def test_cloned_sequences_continue_after_the_copied_rows(clone: str) -> None:
    """Identity sequences are set past the rows the snapshot carries (no duplicate keys)."""
    positions = catalog.sequence_positions(clone)
    assert "auth_permission.id" in positions and "django_migrations.id" in positions
    for column, (next_value, maximum) in positions.items():
        assert maximum is None or next_value > maximum, (column, next_value, maximum)


# (name, DDL applied to the clone, a fragment the diff must show)
ALTERATIONS = [
    ("extra index", "CREATE INDEX extra_name_idx ON {s}.auth_group (name)", "extra_name_idx"),
    (
        "changed default",
        "ALTER TABLE {s}.accounts_user ALTER COLUMN full_name SET DEFAULT 'x'",
        "accounts_user.full_name",
    ),
    (
        "nullability",
        "ALTER TABLE {s}.accounts_user ALTER COLUMN full_name DROP NOT NULL",
        "accounts_user.full_name",
    ),
    (
        "column type",
        "ALTER TABLE {s}.accounts_user ALTER COLUMN full_name TYPE varchar(200)",
        "character varying(200)",
    ),
    ("extra column", "ALTER TABLE {s}.auth_group ADD COLUMN extra integer", "auth_group.extra"),
    (
        "renamed constraint",
        "ALTER TABLE {s}.auth_group RENAME CONSTRAINT auth_group_name_key TO auth_group_name_uq",
        "auth_group_name_uq",
    ),
    (
        "constraint not deferrable",
        "ALTER TABLE {s}.auth_permission ALTER CONSTRAINT "
        "auth_permission_content_type_id_2f476e4b_fk_django_co NOT DEFERRABLE",
        "auth_permission_content_type_id_2f476e4b_fk_django_co",
    ),
    (
        "sequence increment",
        "ALTER SEQUENCE {s}.accounts_user_id_seq INCREMENT BY 2",
        "accounts_user_id_seq",
    ),
    (
        "sequence type",
        "ALTER SEQUENCE {s}.accounts_user_id_seq AS integer",
        "accounts_user_id_seq",
    ),
    (
        "identity dropped",
        "ALTER TABLE {s}.auth_group ALTER COLUMN id DROP IDENTITY",
        "auth_group_id_seq",
    ),
    (
        "sequence ownership",
        "CREATE SEQUENCE {s}.loose_seq OWNED BY {s}.auth_group.name",
        "loose_seq",
    ),
    (
        "trigger",
        "CREATE FUNCTION {s}.noop() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
        " CREATE TRIGGER noop BEFORE INSERT ON {s}.auth_group FOR EACH ROW"
        " EXECUTE FUNCTION {s}.noop()",
        "auth_group.noop",
    ),
    ("view", "CREATE VIEW {s}.extra_view AS SELECT 1 AS one", "extra_view"),
    ("comment", "COMMENT ON TABLE {s}.auth_group IS 'Gruppen'", "Gruppen"),
    ("grant", "GRANT SELECT ON {s}.auth_group TO PUBLIC", "auth_group"),
    (
        "migration record",
        "DELETE FROM {s}.django_migrations WHERE app = 'sessions'",
        "sessions.0001_initial",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "fragment"),
    [pytest.param(ddl, fragment, id=name) for name, ddl, fragment in ALTERATIONS],
)
def test_comparison_detects_an_altered_clone(
    clone: str, migrated: catalog.Description, statement: str, fragment: str
) -> None:
    _execute(statement.format(s=clone))
    with pytest.raises(AssertionError) as failure:
        catalog.assert_same_structure(
            migrated, catalog.describe(clone), a_label="migrations", b_label="clone"
        )
    message = str(failure.value)
    assert "--- migrations" in message and "+++ clone" in message
    assert fragment in message, message


@pytest.mark.django_db
def test_stale_snapshot_falls_back_to_migrations(kit: Kit, migrated: catalog.Description) -> None:
    target = migration_state.target_state()
    TemplateSnapshot.objects.update(state="0" * 64)  # a snapshot of an older migration state
    assert template.current_snapshot() is None
    taken = set(Tenant.objects.values_list("slug", flat=True))
    entry = next(e for e in registry.load() if e.slug not in taken | set(KIT_SLUGS))

    created = onboarding.tenant_create(entry=entry)

    assert created.method == "migrations"
    schema = created.tenant.schema_name
    assert migration_state.schema_states([schema])[schema] == (
        migration_state.target_count(),
        target,
    )
    assert SchemaState.objects.get(schema_name=schema).state == target
    assert not migration_state.schema_exists(onboarding.PENDING_PREFIX + entry.slug)
    catalog.assert_same_structure(
        migrated, catalog.describe(schema), a_label="migrations", b_label="fallback"
    )
    ContentType.objects.clear_cache()


# --- the dump/replay mechanism on objects today's migrations do not create ----------

SOURCE = "kinrw_cmp_src"
COPY = "kinrw_cmp_copy"
SYNTHETIC = f"""
CREATE SCHEMA {SOURCE};
CREATE TYPE {SOURCE}.mood AS ENUM ('gut', 'schlecht');
CREATE DOMAIN {SOURCE}.plz AS varchar(5) CHECK (VALUE ~ '^[0-9]{{5}}$');
CREATE TABLE {SOURCE}.parent (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    code {SOURCE}.plz NOT NULL,
    mood {SOURCE}.mood NOT NULL DEFAULT 'gut',
    note text NOT NULL DEFAULT E'eins\\n-- zwei\\nSET drei',
    doubled bigint GENERATED ALWAYS AS (id * 2) STORED
);
CREATE TABLE {SOURCE}.child (
    id serial PRIMARY KEY,
    parent_id bigint NOT NULL REFERENCES {SOURCE}.parent (id) DEFERRABLE INITIALLY DEFERRED,
    label text CHECK (label <> ''),
    CONSTRAINT child_parent_label_uniq UNIQUE (parent_id, label)
);
CREATE INDEX child_label_lower ON {SOURCE}.child (lower(label)) WHERE label IS NOT NULL;
CREATE SEQUENCE {SOURCE}.counter AS integer START 10 INCREMENT 5 MINVALUE 10 MAXVALUE 1000 CYCLE;
-- A SQL function whose body needs a table pg_dump creates after it, and which
-- pins its search_path to its own schema.
CREATE FUNCTION {SOURCE}.parent_count() RETURNS bigint LANGUAGE sql STABLE
    SET search_path = {SOURCE} AS $$ SELECT count(*) FROM parent $$;
CREATE FUNCTION {SOURCE}.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
-- a line of the body that starts like an SQL comment
NEW.label := lower(NEW.label);
RETURN NEW;
END;
$$;
CREATE TRIGGER child_touch BEFORE INSERT OR UPDATE ON {SOURCE}.child
    FOR EACH ROW EXECUTE FUNCTION {SOURCE}.touch();
CREATE VIEW {SOURCE}.child_labels AS
    SELECT c.label, p.code FROM {SOURCE}.child c JOIN {SOURCE}.parent p ON p.id = c.parent_id;
COMMENT ON TABLE {SOURCE}.parent IS 'Eltern';
COMMENT ON COLUMN {SOURCE}.child.label IS 'Bezeichnung';
GRANT SELECT ON {SOURCE}.child_labels TO PUBLIC;
ALTER TABLE {SOURCE}.child ENABLE ROW LEVEL SECURITY;
CREATE POLICY child_visible ON {SOURCE}.child USING (label IS NOT NULL);
INSERT INTO {SOURCE}.parent (code, note) VALUES ('50667', E'eins\\n-- zwei\\nSET drei\\n\\\\vier');
INSERT INTO {SOURCE}.child (parent_id, label) VALUES (1, 'Aa');
SELECT nextval('{SOURCE}.counter');
"""


@pytest.fixture
def synthetic_dump(django_db_setup: Kit, django_db_blocker: pytest.FixtureRequest) -> Iterator[str]:
    """pg_dump (another session) needs the source schema committed; it is dropped after."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        use_public_schema()
        try:
            _execute(SYNTHETIC)
            yield template.dump_schema(SOURCE)
        finally:
            template.drop_schema(SOURCE)
            template.drop_schema(COPY)


def _rows(schema: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.code, p.mood, p.note, p.doubled, c.id, c.label "
            f"FROM {schema}.parent p JOIN {schema}.child c ON c.parent_id = p.id ORDER BY 1"
        )
        rows = cursor.fetchall()
        cursor.execute(f"SELECT {schema}.parent_count(), nextval('{schema}.counter')")
        return [*rows, cursor.fetchone()]


def test_replay_keeps_functions_triggers_views_types_comments_grants(
    synthetic_dump: str, django_db_blocker: pytest.FixtureRequest
) -> None:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        with override_settings(KINRW_TEMPLATE_SCHEMA=SOURCE):
            template.clone_into(COPY, TemplateSnapshot(state="x", sql=synthetic_dump))
        source, copy = catalog.describe(SOURCE), catalog.describe(COPY)
        catalog.assert_same_structure(source, copy, a_label=SOURCE, b_label=COPY)
        # The copy's function uses the copy's tables, not the source's.
        assert "SET search_path TO '<schema>'" in copy["functions"]["parent_count."][1]
        assert copy["comments"]["relation.parent."] == ("Eltern",)
        assert "=r/" in copy["relations"]["child_labels"][-1]  # SELECT granted to PUBLIC
        assert _rows(COPY) == _rows(SOURCE)
        assert _rows(COPY)[0][3] == "eins\n-- zwei\nSET drei\n\\vier"
        transaction.set_rollback(True)


def test_split_statements_keeps_lines_inside_strings_and_bodies() -> None:
    dump = (
        "--\n-- PostgreSQL database dump\n--\n\\restrict abc\n"
        "SET statement_timeout = 0;\n"
        "SELECT pg_catalog.set_config('search_path', '', false);\n"
        'CREATE SCHEMA "s";\n'
        'CREATE FUNCTION "s"."f"() RETURNS int LANGUAGE plpgsql AS $_$\n'
        "BEGIN\nSET LOCAL work_mem = '1MB';\n-- not a dump comment;\nRETURN 1;\nEND;\n$_$;\n"
        "/* block; comment */\n"
        'INSERT INTO "s"."t" VALUES (1, \'a;\n--b\nSET c\n\\d\', "x""y;");\n'
        "\\unrestrict abc\n"
    )
    statements = template.split_statements(dump)
    assert [s for s in statements if not template._SESSION_STATEMENT.match(s)] == [
        'CREATE SCHEMA "s";',
        'CREATE FUNCTION "s"."f"() RETURNS int LANGUAGE plpgsql AS $_$\n'
        "BEGIN\nSET LOCAL work_mem = '1MB';\n-- not a dump comment;\nRETURN 1;\nEND;\n$_$;",
        'INSERT INTO "s"."t" VALUES (1, \'a;\n--b\nSET c\n\\d\', "x""y;");',
    ]
    assert len(statements) == 5  # the two session settings are statements too


def test_rename_schema_replaces_whole_names_only() -> None:
    script = (
        'CREATE TABLE "kinrw_template"."t" (); SET search_path TO \'kinrw_template\'; '
        "SELECT kinrw_template.f(), kinrw_template_old.g(), my_kinrw_template"
    )
    assert template.rename_schema(script, "kinrw_template", "ki_bonn") == (
        'CREATE TABLE "ki_bonn"."t" (); SET search_path TO \'ki_bonn\'; '
        "SELECT ki_bonn.f(), kinrw_template_old.g(), my_kinrw_template"
    )

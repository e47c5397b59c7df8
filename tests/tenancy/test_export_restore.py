"""Tenant export and restore (issue 5, part 2): a round trip gives identical data and files.

The KIs are onboarded for these tests (committed: pg_dump reads what is committed) and
removed again by the ``committed`` fixture; the kit's KIs serve as "the other KI" that
a restore must never touch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings
from psycopg import sql

from kinrw.state.facts import Fact
from kinrw.tenancy import migration_state, onboarding, registry, template
from kinrw.tenancy.bundle import MANIFEST, MANIFEST_SUM, sha256
from kinrw.tenancy.context import in_tenant
from kinrw.tenancy.models import Tenant
from kinrw.workspace.documents.storage import TenantDocuments, backend
from kinrw.workspace.models import Document, Measure, Organisation
from kinrw.workspace.services import document_upload
from tests.kit import KIT_SLUGS, Kit
from tests.s3server import S3Server, s3_server  # noqa: F401 (the session fixture)
from tests.tenancy.onboarding_helpers import invoke, one_error_line, run_kinrw
from tests.workspace.records import records_create


def unused_entries() -> list[registry.RegistryEntry]:
    taken = set(Tenant.objects.values_list("slug", flat=True)) | set(KIT_SLUGS)
    return [e for e in registry.load() if e.slug not in taken]


def make_source_ki() -> Tenant:
    """A KI of its own with one record of every workspace model and two document files."""
    tenant = onboarding.tenant_create(entry=unused_entries()[0]).tenant
    with in_tenant(tenant):
        records = records_create(marker="Exportprobe7", amount=Decimal("73519.00"))
        document_upload(
            actor=None,
            owner=records[Measure],
            file=ContentFile(b"%PDF-1.4\n" + bytes(range(256)) * 40, name="Anlage Übersicht.pdf"),
        )
    return tenant


@pytest.fixture
def source_ki(committed: Kit) -> Tenant:
    return make_source_ki()


@pytest.fixture
def on_s3(s3_server: S3Server) -> Iterator[S3Server]:  # noqa: F811
    """Documents on the S3 server (SeaweedFS) for the duration of the test."""
    with override_settings(**s3_server.settings(KINRW_S3_SSE="auto")):
        yield s3_server


def table_digests(schema_name: str) -> dict[str, str]:
    """md5 over every table's rows (sorted), per table of the schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY 1",
            [schema_name],
        )
        names = [row[0] for row in cursor.fetchall()]
        out = {}
        for name in names:
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    "FROM {}.{} AS t"
                )
                .format(sql.Identifier(schema_name), sql.Identifier(name))
                .as_string(None)
            )
            count, digest = cursor.fetchone()
            out[name] = f"{count}:{digest}"
    return out


def document_bytes(tenant: Tenant) -> dict[int, tuple[str, bytes]]:
    """(storage key, bytes read from the storage) per document id of the KI."""
    with in_tenant(tenant):
        store = TenantDocuments(tenant, backend())
        out = {}
        for doc in Document.objects.order_by("id"):
            with store.open(doc.storage_key) as handle:
                out[doc.pk] = (doc.storage_key, handle.read())
        return out


def export(tenant: Tenant, target: Path) -> Path:
    result = invoke("export", tenant.slug, "--to", str(target), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["files"] == 2 and data["rows"] > 0
    return Path(data["bundle"])


def restore(*args: str) -> Result:
    return invoke("restore", *args)


def test_export_writes_schema_files_and_a_manifest_of_checksums(
    source_ki: Tenant, tmp_path: Path
) -> None:
    folder = export(source_ki, tmp_path)
    assert folder.parent == tmp_path and folder.name.startswith(f"{source_ki.slug}-")
    manifest = json.loads((folder / MANIFEST).read_text())
    assert (folder / MANIFEST_SUM).read_text().split()[0] == sha256(
        (folder / MANIFEST).read_bytes()
    )
    assert manifest["tenant"]["slug"] == source_ki.slug
    assert manifest["tenant"]["ags"] == source_ki.ags
    assert manifest["schema_sql"]["sha256"] == sha256((folder / "schema.sql").read_bytes())
    assert manifest["migrations"]["applied"] and manifest["migrations"]["state"]
    assert manifest["tables"]["workspace_measure"] >= 1
    stored = document_bytes(source_ki)
    assert set(manifest["files"]) == {str(pk) for pk in stored}
    for pk, (key, data) in stored.items():
        entry = manifest["files"][str(pk)]
        assert (folder / entry["path"]).read_bytes() == data
        assert entry["sha256"] == sha256(data) and entry["storage_key"] == key


def test_restore_with_replace_brings_the_ki_back_and_leaves_the_other_untouched(
    source_ki: Tenant, committed: Kit, tmp_path: Path
) -> None:
    before = table_digests(source_ki.schema_name)
    files_before = document_bytes(source_ki)
    other_before = table_digests(committed.b.tenant.schema_name)
    folder = export(source_ki, tmp_path)
    with in_tenant(source_ki):  # the KI works on, loses data and a file after the backup
        Organisation.objects.all().update(name="überschrieben")
        lost_key = next(iter(files_before.values()))[0]
        TenantDocuments(source_ki, backend()).delete(lost_key)
    assert table_digests(source_ki.schema_name) != before

    refused = restore(str(folder))
    assert refused.exit_code == 2
    assert "--replace" in one_error_line(refused.stderr)

    result = restore(str(folder), "--replace", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] is False
    assert table_digests(source_ki.schema_name) == before
    assert document_bytes(source_ki) == files_before  # same keys, same bytes, lost file back
    assert table_digests(committed.b.tenant.schema_name) == other_before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'kinrw_restore_%'")
        assert cursor.fetchone()[0] == 0


def test_a_changed_object_in_the_storage_is_not_overwritten_the_file_gets_a_new_key(
    source_ki: Tenant, tmp_path: Path
) -> None:
    files_before = document_bytes(source_ki)
    folder = export(source_ki, tmp_path)
    doc_id, (key, data) = next(iter(files_before.items()))
    on_disk = Path(settings.KINRW_DOCUMENTS_ROOT) / key
    on_disk.write_bytes(b"etwas anderes")

    result = restore(str(folder), "--replace", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files_written"] == 1
    after = document_bytes(source_ki)
    new_key, new_data = after[doc_id]
    assert new_data == data and new_key != key
    assert new_key.startswith(f"ki/{source_ki.pk}/")
    assert on_disk.read_bytes() == b"etwas anderes"  # left as it was: never overwritten
    assert {pk: v for pk, v in after.items() if pk != doc_id} == {
        pk: v for pk, v in files_before.items() if pk != doc_id
    }


def test_a_ki_whose_schema_is_gone_is_restored_with_replace(
    source_ki: Tenant, tmp_path: Path
) -> None:
    before = table_digests(source_ki.schema_name)
    folder = export(source_ki, tmp_path)
    template.drop_schema(source_ki.schema_name)  # an offboarded KI's schema, deleted by hand

    result = restore(str(folder), "--replace")
    assert result.exit_code == 0, result.output
    assert table_digests(source_ki.schema_name) == before


def test_restore_into_a_new_slug_copies_data_and_files_under_its_own_prefix(
    source_ki: Tenant, committed: Kit, tmp_path: Path
) -> None:
    with in_tenant(source_ki):  # a value naming the schema is data: it must stay as it is
        Organisation.objects.update(name=f"Kita {source_ki.schema_name}")
    folder = export(source_ki, tmp_path)
    before = table_digests(source_ki.schema_name)
    other_before = table_digests(committed.b.tenant.schema_name)
    target = unused_entries()[0]

    result = restore(str(folder), "--into", target.slug, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] is True
    new = Tenant.objects.get(slug=target.slug)
    assert new.ags == target.ags and new.pk != source_ki.pk
    assert onboarding.primary_domain(new) == target.primary_domain()
    assert Fact.objects.filter(tenant=new).exists()  # its Land facts were computed

    after = table_digests(new.schema_name)
    assert {t: d for t, d in after.items() if t != "workspace_document"} == {
        t: d for t, d in before.items() if t != "workspace_document"
    }
    old_files, new_files = document_bytes(source_ki), document_bytes(new)
    assert new_files.keys() == old_files.keys()
    for pk, (key, data) in new_files.items():
        old_key, old_data = old_files[pk]
        assert data == old_data
        assert key == f"ki/{new.pk}/" + old_key.removeprefix(f"ki/{source_ki.pk}/")
    with in_tenant(new):  # apart from the key, every document row is the same
        rows = sorted(Document.objects.values_list("id", "original_name", "sha256", "size"))
    with in_tenant(source_ki):
        assert rows == sorted(Document.objects.values_list("id", "original_name", "sha256", "size"))
    assert table_digests(source_ki.schema_name) == before
    assert table_digests(committed.b.tenant.schema_name) == other_before


def test_a_new_slug_must_be_in_the_registry(source_ki: Tenant, tmp_path: Path) -> None:
    folder = export(source_ki, tmp_path)
    tenants_before = list(Tenant.objects.values_list("slug", flat=True))
    result = restore(str(folder), "--into", "nirgendwo")
    assert result.exit_code == 2
    assert "nicht im Register" in one_error_line(result.stderr)
    assert list(Tenant.objects.values_list("slug", flat=True)) == tenants_before


def test_another_kis_bundle_does_not_replace_a_ki(
    source_ki: Tenant, committed: Kit, tmp_path: Path
) -> None:
    folder = export(source_ki, tmp_path)
    other_before = table_digests(committed.b.tenant.schema_name)
    result = restore(str(folder), "--into", committed.b.tenant.slug, "--replace")
    assert result.exit_code == 2
    assert "AGS" in one_error_line(result.stderr)
    assert table_digests(committed.b.tenant.schema_name) == other_before


def _damaged(folder: Path, name: str) -> None:
    path = folder / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("part", ["file", "schema.sql", MANIFEST])
def test_a_damaged_bundle_is_refused_and_nothing_changes(
    source_ki: Tenant, tmp_path: Path, part: str
) -> None:
    folder = export(source_ki, tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    name = next(iter(manifest["files"].values()))["path"] if part == "file" else part
    with in_tenant(source_ki):
        Organisation.objects.all().update(name="nach dem Export")
    before = table_digests(source_ki.schema_name)
    _damaged(folder, name)

    result = restore(str(folder), "--replace")
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "Prüfsumme" in line and name in line
    assert table_digests(source_ki.schema_name) == before


def test_row_counts_that_differ_from_the_manifest_roll_the_restore_back(
    source_ki: Tenant, tmp_path: Path
) -> None:
    folder = export(source_ki, tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["tables"]["workspace_measure"] += 1
    data = json.dumps(manifest).encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / MANIFEST_SUM).write_text(f"{sha256(data)}  {MANIFEST}\n")
    with in_tenant(source_ki):
        Organisation.objects.all().update(name="nach dem Export")
    before = table_digests(source_ki.schema_name)

    result = restore(str(folder), "--replace")
    assert result.exit_code == 2
    assert "workspace_measure" in one_error_line(result.stderr)
    assert table_digests(source_ki.schema_name) == before


def test_a_bundle_of_a_newer_migration_state_is_refused(source_ki: Tenant, tmp_path: Path) -> None:
    folder = export(source_ki, tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["migrations"]["applied"].append("workspace.9999_from_the_future")
    data = json.dumps(manifest).encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / MANIFEST_SUM).write_text(f"{sha256(data)}  {MANIFEST}\n")
    before = table_digests(source_ki.schema_name)

    result = restore(str(folder), "--replace")
    assert result.exit_code == 2
    assert "neueren Migrationsstand" in one_error_line(result.stderr)
    assert table_digests(source_ki.schema_name) == before


def test_export_of_an_unknown_slug_is_refused(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_kinrw(cli_env, "tenants", "export", "gibtsnicht", "--to", str(tmp_path))
    assert done.returncode == 2
    assert "Kein KI mit dem Kurznamen „gibtsnicht“" in one_error_line(done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_round_trip_through_s3(on_s3: S3Server, committed: Kit) -> None:
    source = make_source_ki()
    before = table_digests(source.schema_name)
    files_before = document_bytes(source)
    assert all(key.startswith(f"ki/{source.pk}/") for key, _ in files_before.values())
    target = f"s3://{on_s3.bucket}/exporte/test"

    result = invoke("export", source.slug, "--to", target, "--json")
    assert result.exit_code == 0, result.output
    where = json.loads(result.stdout)["bundle"]
    assert where.startswith(f"{target}/{source.slug}-")
    prefix = where.removeprefix(f"s3://{on_s3.bucket}/")
    listed = on_s3.client().list_objects_v2(Bucket=on_s3.bucket, Prefix=prefix + "/")
    names = {item["Key"].removeprefix(prefix + "/") for item in listed["Contents"]}
    assert {"schema.sql", MANIFEST, MANIFEST_SUM} <= names
    assert len([n for n in names if n.startswith("files/")]) == 2

    new_slug = unused_entries()[0].slug
    result = restore(where, "--into", new_slug, "--json")
    assert result.exit_code == 0, result.output
    new = Tenant.objects.get(slug=new_slug)
    after = table_digests(new.schema_name)
    assert {t: d for t, d in after.items() if t != "workspace_document"} == {
        t: d for t, d in before.items() if t != "workspace_document"
    }
    new_files = document_bytes(new)
    assert {pk: data for pk, (_, data) in new_files.items()} == {
        pk: data for pk, (_, data) in files_before.items()
    }
    assert all(key.startswith(f"ki/{new.pk}/") for key, _ in new_files.values())


LAST_WORKSPACE_MIGRATION = "0014_outbox_notify"  # CREATE OR REPLACE: safe to apply again


def make_older(folder: Path) -> None:
    """Turn the bundle into one made before the last workspace migration: its row in
    django_migrations goes, and the manifest (counts, applied list, checksums) follows."""
    lines = (folder / "schema.sql").read_text().split("\n")
    # the dump writes django_migrations as one INSERT with a row per line
    found = [
        n for n, line in enumerate(lines) if f"'workspace', '{LAST_WORKSPACE_MIGRATION}'" in line
    ]
    assert len(found) == 1, found
    (n,) = found
    if lines[n].rstrip().endswith(");"):  # the last row: the one before ends the statement
        lines[n - 1] = lines[n - 1].rstrip().removesuffix(",") + ";"
    del lines[n]
    older = "\n".join(lines).encode()
    (folder / "schema.sql").write_bytes(older)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["schema_sql"].update(sha256=sha256(older), size=len(older))
    manifest["tables"]["django_migrations"] -= 1
    applied = manifest["migrations"]["applied"]
    manifest["migrations"]["applied"] = [
        m for m in applied if m != f"workspace.{LAST_WORKSPACE_MIGRATION}"
    ]
    assert len(manifest["migrations"]["applied"]) == len(applied) - 1
    data = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    (folder / MANIFEST).write_bytes(data)
    (folder / MANIFEST_SUM).write_text(f"{sha256(data)}  {MANIFEST}\n")


def test_an_export_of_an_older_migration_state_is_migrated_after_the_restore(
    source_ki: Tenant, tmp_path: Path
) -> None:
    before = table_digests(source_ki.schema_name)
    folder = export(source_ki, tmp_path)
    make_older(folder)

    result = restore(str(folder), "--replace", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["migrated"] is True
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.django_migrations WHERE app = %s AND name = %s")
            .format(sql.Identifier(source_ki.schema_name))
            .as_string(None),
            ["workspace", LAST_WORKSPACE_MIGRATION],
        )
        assert cursor.fetchone()[0] == 1  # applied again by the restore
    after = table_digests(source_ki.schema_name)
    assert {k: v for k, v in after.items() if k != "django_migrations"} == {
        k: v for k, v in before.items() if k != "django_migrations"
    }
    assert after["django_migrations"].split(":")[0] == before["django_migrations"].split(":")[0]
    count, _state = migration_state.schema_states([source_ki.schema_name])[source_ki.schema_name]
    assert count == migration_state.target_count()

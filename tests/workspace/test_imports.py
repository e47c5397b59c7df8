"""Import of sessions from CSV/XLSX: reading, header matching, errors per row, confirm."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest

from kinrw.accounts.models import User
from kinrw.catalogue.models import Programme
from kinrw.tenancy.context import in_tenant
from kinrw.workspace.imports.read import MAX_ROWS, read_table
from kinrw.workspace.imports.selectors import session_imports_of
from kinrw.workspace.imports.template import template_table
from kinrw.workspace.models import (
    AuditEntry,
    ImportStatus,
    Measure,
    Session,
    SessionCount,
    SessionImport,
)
from kinrw.workspace.services import (
    WorkspaceError,
    measure_create,
    measure_delete,
    measure_update,
    session_import_confirm,
    session_import_discard,
    session_import_prepare,
    session_record,
)
from tests.kit import Kit, KitTenant

pytestmark = pytest.mark.django_db
HEADER = ["Maßnahme", "Datum", "Beginn", "Dauer (Minuten)", "ausgefallen", "Ehrenamtliche"]
HEADER += ["Notiz", "Kinder", "Kinder – weiblich", "Kinder – männlich", "Familien"]


def csv_file(
    rows: Sequence[Sequence[Any]], *, sep: str = ";", bom: bool = True, encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def xlsx_file(rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def group(kt: KitTenant, title: str = "Griffbereit Nord", **kwargs: Any) -> Measure:
    with in_tenant(kt.tenant):
        return measure_create(
            actor=None,
            title=title,
            starts_on=kwargs.pop("starts_on", dt.date(2026, 1, 5)),
            programme=Programme.objects.get(code=kwargs.pop("programme", "griffbereit")),
            **kwargs,
        )


def leitung(kt: KitTenant) -> User:
    with in_tenant(kt.tenant):
        return User.objects.get(email=kt.admin_email)


def prepare(kt: KitTenant, data: bytes, name: str = "termine.csv") -> SessionImport:
    with in_tenant(kt.tenant):
        return session_import_prepare(actor=leitung(kt), file_name=name, data=data)


def problems(draft: SessionImport, kind: str = "errors") -> set[tuple[int | None, str]]:
    return {(p["row"], p["column"].split(" (Spalte")[0]) for p in getattr(draft, kind)}


def counts_of(session: Session) -> dict[tuple[str, str, str], Decimal]:
    return {
        (c.indicator.code, c.breakdown, c.value_code): c.value
        for c in SessionCount.objects.filter(session=session).select_related("indicator")
    }


def test_csv_with_semicolons_bom_and_german_dates_imports_after_confirmation(kit: Kit) -> None:
    group(kit.a)
    data = csv_file(
        [
            HEADER,
            [
                "Griffbereit Nord",
                "12.01.2026",
                "10:00",
                "90",
                "nein",
                "2",
                "gut",
                "8",
                "5",
                "3",
                "6",
            ],
            ["griffbereit  nord", "19.1.26", "", "", "ja", "", "krank", "", "", "", ""],
        ]
    )
    draft = prepare(kit.a, data)
    assert draft.errors == [] and draft.warnings == []
    assert [r["row"] for r in draft.rows] == [2, 3]
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()  # nothing written before the confirmation
        assert not AuditEntry.objects.exclude(object_type="workspace.measure").exists()
        outcome = session_import_confirm(actor=leitung(kit.a), session_import=draft)
        assert (outcome.created, outcome.updated) == (2, 0)
        first, second = Session.objects.order_by("date")
        assert (first.starts_at, first.duration_minutes, first.volunteers_present) == (
            dt.time(10),
            90,
            2,
        )
        assert first.note == "gut" and not first.cancelled
        assert counts_of(first) == {
            ("children", "", ""): 8,
            ("children", "gender", "weiblich"): 5,
            ("children", "gender", "maennlich"): 3,
            ("families", "", ""): 6,
        }
        assert second.date == dt.date(2026, 1, 19) and second.cancelled
        assert counts_of(second) == {}
        assert AuditEntry.objects.filter(object_type="workspace.session").count() == 2
        entry = AuditEntry.objects.get(object_type="workspace.sessionimport")
        assert entry.changes["sessions_created"] == [None, 2]
        draft.refresh_from_db()
        assert draft.status == ImportStatus.IMPORTED and draft.imported_at is not None


def test_csv_with_commas_in_windows_1252(kit: Kit) -> None:
    group(kit.a, title="Rucksack Köln-Süd")
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Notiz", "Kinder"],
            ["Rucksack Köln-Süd", "12.01.2026", "Café, groß", "4"],
        ],
        sep=",",
        bom=False,
        encoding="cp1252",
    )
    draft = prepare(kit.a, data)
    assert draft.errors == []
    assert draft.rows[0]["fields"]["note"] == "Café, groß"
    assert draft.rows[0]["counts"] == {"children": {"total": "4.00"}}


def test_xlsx_with_real_date_and_time_cells_and_formulas(kit: Kit) -> None:
    measure = group(kit.a)
    data = xlsx_file(
        [
            ["Nr.", "Datum", "Beginn", "ausgefallen", "Notiz", "Kinder", "Familien"],
            [measure.pk, dt.datetime(2026, 1, 12), dt.time(9, 30), False, "=SUM(A1)", 7, 5.0],
            [measure.pk, dt.date(2026, 1, 19), None, None, None, "=SUM(F2:F2)", None],
        ]
    )
    draft = prepare(kit.a, data, name="Liste.XLSX")
    # a formula without a saved result is text: not a number, and never evaluated
    assert problems(draft) == {(3, "Kinder")}
    assert "keine Zahl" in draft.errors[0]["message"]
    row = draft.rows[0]
    assert (row["date"], row["starts_at"]) == ("2026-01-12", "09:30")
    assert row["fields"]["note"] == "=SUM(A1)"  # kept as text
    assert row["counts"] == {"children": {"total": "7.00"}, "families": {"total": "5.00"}}


def test_formula_text_in_csv_is_text_and_our_export_apostrophe_is_undone(kit: Kit) -> None:
    group(kit.a)
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Notiz", "Kinder"],
            ["Griffbereit Nord", "12.01.2026", "'=HYPERLINK(1)", "2"],
            ["Griffbereit Nord", "13.01.2026", "@cmd", "=1+1"],
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {(3, "Kinder")}
    assert draft.rows[0]["fields"]["note"] == "=HYPERLINK(1)"


def test_header_variants_title_rows_and_codes(kit: Kit) -> None:
    measure = group(kit.a)
    data = csv_file(
        [
            ["Teilnahmeliste Griffbereit 2026"],
            [],
            [
                " nr ",
                "  DATUM (TT.MM.JJJJ) ",
                "kinder",
                "KINDER - Männlich",
                "children.gender.weiblich",
            ],
            [str(measure.pk), "2026-01-12", "4", "1", "3"],
        ]
    )
    draft = prepare(kit.a, data)
    assert draft.errors == [] and draft.warnings == []
    assert draft.rows[0]["row"] == 4  # numbers as in the file
    assert draft.rows[0]["counts"]["children"]["by"]["gender"] == {
        "maennlich": "1.00",
        "weiblich": "3.00",
    }


def test_breakdown_cells_without_total_make_the_total(kit: Kit) -> None:
    group(kit.a)
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Kinder – weiblich", "Kinder – divers"],
            ["Griffbereit Nord", "12.01.2026", "2,0", "1"],
        ]
    )
    assert prepare(kit.a, data).rows[0]["counts"]["children"]["total"] == "3.00"


def test_every_kind_of_row_error_names_row_and_column(kit: Kit) -> None:
    group(kit.a, ends_on=dt.date(2026, 6, 30))
    ok = ["Griffbereit Nord", "12.01.2026", "", "", "", "", "", "8", "5", "3", ""]

    def row(**changes: str) -> list[str]:
        cells = dict(zip(HEADER, ok, strict=True)) | {
            k.replace("_", " "): v for k, v in changes.items()
        }
        return list(cells.values())

    data = csv_file(
        [
            [*HEADER, "Wetter"],
            [*row(Maßnahme="Gibt es nicht"), ""],  # 2
            [*row(Datum="01.07.2026"), ""],  # 3: after the measure's end
            [*row(Familien="viele"), ""],  # 4
            [*row(Familien="-3"), ""],  # 5
            [*row(Kinder="9"), ""],  # 6: breakdown 5 + 3 is not 9
            [*ok[:1], "13.01.2026", *ok[2:], "sonnig"],  # 7: fine
            [*row(Datum=""), ""],  # 8
            [*row(ausgefallen="ja"), ""],  # 9: cancelled with counts
            [*row(Datum="31.02.2026"), ""],  # 10
            [*row(Beginn="25:00"), ""],  # 11
            [*row(Familien="2,5"), ""],  # 12: families are whole
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {
        (2, "Maßnahme"),
        (3, "Datum"),
        (4, "Familien"),
        (5, "Familien"),
        (6, "Kinder – weiblich"),
        (8, "Datum"),
        (9, "ausgefallen"),
        (10, "Datum"),
        (11, "Beginn"),
        (12, "Familien"),
    }
    messages = {p["row"]: p["message"] for p in draft.errors}
    assert "Gibt es nicht" in messages[2] and "außerhalb der Laufzeit" in messages[3]
    assert "negativ" in messages[5] and "ergibt 8" in messages[6]
    assert problems(draft, "warnings") == {(1, "Wetter")}  # an unknown column: warning only
    assert [r["row"] for r in draft.rows] == [7]
    with in_tenant(kit.a.tenant), pytest.raises(WorkspaceError, match="noch Fehler"):
        session_import_confirm(actor=leitung(kit.a), session_import=draft)
    with in_tenant(kit.a.tenant):
        assert not Session.objects.exists()


def test_measures_by_number_title_ambiguity_and_other_ki(kit: Kit) -> None:
    first, _second = group(kit.a, title="Elterncafé"), group(kit.a, title="Elterncafé")
    deleted = group(kit.a, title="Alt")
    with in_tenant(kit.a.tenant):
        measure_delete(actor=None, measure=deleted)
    bonn = group(kit.b, title="Nur in Bonn")
    data = csv_file(
        [
            ["Nr.", "Maßnahme", "Datum"],
            ["", "Elterncafé", "12.01.2026"],  # 2: two measures have that title
            [str(first.pk), "Elterncafé", "12.01.2026"],  # 3: fine
            [str(first.pk), "Anderer Titel", "13.01.2026"],  # 4: number and title disagree
            [str(deleted.pk), "", "12.01.2026"],  # 5
            [str(bonn.pk + 1000), "", "12.01.2026"],  # 6: no such number here
            ["", "Nur in Bonn", "12.01.2026"],  # 7: Bonn's measure is not Köln's
            ["zwölf", "", "12.01.2026"],  # 8
            ["", "Summe", ""],  # 9: a row of sums is skipped
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {
        (2, "Maßnahme"),
        (4, "Maßnahme"),
        (5, "Nr."),
        (6, "Nr."),
        (7, "Maßnahme"),
        (8, "Nr."),
    }
    assert "Nr." in draft.errors[0]["message"] and "gelöscht" in draft.errors[2]["message"]
    assert problems(draft, "warnings") == {(9, "Maßnahme")}
    assert [r["measure_id"] for r in draft.rows] == [first.pk]


def test_existing_session_is_updated_not_duplicated(kit: Kit) -> None:
    measure = group(kit.a)
    with in_tenant(kit.a.tenant):
        existing = session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 1, 12),
            starts_at=dt.time(10),
            counts={"families": {"total": 4}},
            note="bleibt",
        )
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Kinder"],
            ["Griffbereit Nord", "12.01.2026", "9"],
            ["Griffbereit Nord", "12.01.2026", "3"],  # the same session again
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {(3, "Datum")} and "Zeile 2" in draft.errors[0]["message"]
    draft = prepare(kit.a, data.rsplit(b"\r\n", 2)[0] + b"\r\n")
    assert draft.errors == []
    (row,) = draft.rows
    assert row["session_id"] == existing.pk and "Familien 4" in row["before"]
    with in_tenant(kit.a.tenant):
        session_import_confirm(actor=leitung(kit.a), session_import=draft)
        assert Session.objects.count() == 1
        existing.refresh_from_db()
        assert existing.note == "bleibt" and existing.starts_at == dt.time(10)
        assert counts_of(existing) == {("children", "", ""): 9}
    # a row without figures keeps the session's counts
    draft = prepare(
        kit.a, csv_file([["Maßnahme", "Datum", "Notiz"], ["Griffbereit Nord", "12.01.2026", "neu"]])
    )
    assert draft.rows[0]["counts"] is None
    with in_tenant(kit.a.tenant):
        session_import_confirm(actor=leitung(kit.a), session_import=draft)
        existing.refresh_from_db()
        assert existing.note == "neu" and counts_of(existing) == {("children", "", ""): 9}


def test_all_or_nothing_when_a_row_fails_at_confirmation(kit: Kit) -> None:
    measure = group(kit.a)
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Kinder"],
            ["Griffbereit Nord", "12.01.2026", "2"],
            ["Griffbereit Nord", "20.01.2026", "3"],
        ]
    )
    draft = prepare(kit.a, data)
    with in_tenant(kit.a.tenant):
        measure_update(actor=None, measure=measure, ends_on=dt.date(2026, 1, 15))
        before = AuditEntry.objects.count()
        with pytest.raises(WorkspaceError, match=r"Zeile 3: .*nichts importiert"):
            session_import_confirm(actor=leitung(kit.a), session_import=draft)
        assert not Session.objects.exists()  # row 2 was rolled back too
        assert AuditEntry.objects.count() == before
        draft.refresh_from_db()
        assert draft.status == ImportStatus.DRAFT


def test_second_confirmation_changes_nothing(kit: Kit) -> None:
    group(kit.a)
    draft = prepare(
        kit.a, csv_file([["Maßnahme", "Datum", "Kinder"], ["Griffbereit Nord", "12.01.2026", "2"]])
    )
    with in_tenant(kit.a.tenant):
        assert not session_import_confirm(
            actor=leitung(kit.a), session_import=draft
        ).already_imported
        entries = AuditEntry.objects.count()
        again = session_import_confirm(actor=leitung(kit.a), session_import=draft)
        assert again.already_imported and Session.objects.count() == 1
        assert AuditEntry.objects.count() == entries
    same = prepare(
        kit.a, csv_file([["Maßnahme", "Datum", "Kinder"], ["Griffbereit Nord", "12.01.2026", "2"]])
    )
    assert "schon am" in same.warnings[0]["message"]  # the same file again: a warning
    assert same.rows[0]["session_id"] is not None


def test_only_the_uploader_confirms_or_discards(kit: Kit) -> None:
    group(kit.a)
    draft = prepare(kit.a, csv_file([["Maßnahme", "Datum"], ["Griffbereit Nord", "12.01.2026"]]))
    with in_tenant(kit.a.tenant):
        staff = User.objects.get(email=kit.a.staff_email)
        assert not session_imports_of(user=staff).exists()
        with pytest.raises(WorkspaceError, match="hochgeladen"):
            session_import_confirm(actor=staff, session_import=draft)
        with pytest.raises(WorkspaceError, match="hochgeladen"):
            session_import_discard(actor=staff, session_import=draft)
        session_import_discard(actor=leitung(kit.a), session_import=draft)
        draft.refresh_from_db()
        assert draft.status == ImportStatus.DISCARDED and draft.rows == []
        with pytest.raises(WorkspaceError, match="verworfen"):
            session_import_confirm(actor=leitung(kit.a), session_import=draft)
        assert not Session.objects.exists()


def test_drafts_older_than_a_day_are_ignored_and_removed(kit: Kit) -> None:
    group(kit.a)
    data = csv_file([["Maßnahme", "Datum"], ["Griffbereit Nord", "12.01.2026"]])
    old = prepare(kit.a, data)
    with in_tenant(kit.a.tenant):
        SessionImport.objects.filter(pk=old.pk).update(
            created_at=old.created_at - dt.timedelta(days=1, minutes=1)
        )
        old.refresh_from_db()
        assert not session_imports_of(user=leitung(kit.a)).filter(pk=old.pk).exists()
        with pytest.raises(WorkspaceError, match="älter als einen Tag"):
            session_import_confirm(actor=leitung(kit.a), session_import=old)
    prepare(kit.a, data)
    with in_tenant(kit.a.tenant):
        assert not SessionImport.objects.filter(pk=old.pk).exists()


def test_the_other_ki_sees_no_imports(kit: Kit) -> None:
    group(kit.a)
    prepare(kit.a, csv_file([["Maßnahme", "Datum"], ["Griffbereit Nord", "12.01.2026"]]))
    with in_tenant(kit.b.tenant):
        assert not SessionImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("liste.xls", b"x", "xlsx"),
        ("liste.csv", b"", "leer"),
        ("liste.csv", b"a" * (5 * 1024 * 1024 + 1), "zu groß"),
        ("liste.xlsx", b"kein zip", "Excel-Datei lässt sich nicht lesen"),
        ("liste.csv", b"Name;Wert\r\nA;1\r\n", "keine Kopfzeile"),
        ("liste.csv", b"Datum;Datum;Nr.\r\n", "zweimal"),
        ("liste.csv", "\ufeffMaßnahme;Datum\r\n".encode(), "keine Termine"),
    ],
)
def test_unreadable_files_are_refused_at_the_file_field(
    kit: Kit, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(WorkspaceError, match=message) as caught:
        prepare(kit.a, data, name=name)
    assert caught.value.field == "file"
    with in_tenant(kit.a.tenant):
        assert not SessionImport.objects.exists()


def test_an_xlsx_that_unpacks_to_a_flood_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kinrw.workspace.imports.read.MAX_UNPACKED", 1000)
    with pytest.raises(WorkspaceError, match="entpackt zu groß"):
        read_table(file_name="gross.xlsx", data=xlsx_file([["Maßnahme", "Datum"]]))


def test_row_limit() -> None:
    rows = [["Maßnahme", "Datum"]] + [["A", "12.01.2026"]] * (MAX_ROWS + 1)
    with pytest.raises(WorkspaceError, match="höchstens 5000 Zeilen"):
        read_table(file_name="viel.csv", data=csv_file(rows))
    assert len(read_table(file_name="genug.csv", data=csv_file(rows[:-1])).rows) == MAX_ROWS + 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_measure_template_imports_again_without_changes(kit: Kit, fmt: str) -> None:
    from kinrw.core.export import csv_bytes, xlsx_bytes

    measure = group(kit.a, title="=Gruppe", programme="eigene_massnahme")
    with in_tenant(kit.a.tenant):
        session_record(
            actor=None,
            measure=measure,
            date=dt.date(2026, 1, 12),
            starts_at=dt.time(9, 30),
            counts={
                "participants": {
                    "total": 3,
                    "by": {
                        "gender": {"weiblich": 2, "keine_angabe": 1},
                        "age_band": {"keine_angabe": 3},
                    },
                },
                "hours": {"total": "1.5"},
            },
            note="-minus",
        )
        headers, rows = template_table(programme=measure.programme, measure=measure)
    assert "Teilnehmende – Geschlecht: keine Angabe" in headers
    assert "Teilnehmende – Altersgruppe: keine Angabe" in headers
    data = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes(headers, rows, title="Vorlage")
    draft = prepare(kit.a, data, name=f"vorlage.{fmt}")
    assert draft.errors == [] and draft.warnings == []
    (row,) = draft.rows
    assert row["session_id"] is not None and row["fields"]["note"] == "-minus"
    with in_tenant(kit.a.tenant):
        session = Session.objects.get()
        before = counts_of(session)
        session_import_confirm(actor=leitung(kit.a), session_import=draft)
        assert counts_of(session) == before
        updates = AuditEntry.objects.filter(object_type="workspace.session", action="update")
        assert list(updates.values_list("changes", flat=True)) == []


def test_which_session_of_the_day_a_row_updates(kit: Kit) -> None:
    measure = group(kit.a)
    with in_tenant(kit.a.tenant):
        untimed = session_record(actor=None, measure=measure, date=dt.date(2026, 1, 12))
        morning = session_record(
            actor=None, measure=measure, date=dt.date(2026, 1, 13), starts_at=dt.time(9)
        )
        session_record(
            actor=None, measure=measure, date=dt.date(2026, 1, 13), starts_at=dt.time(15)
        )
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Beginn"],
            ["Griffbereit Nord", "12.01.2026", "10:30"],  # 2: the day's only session gets a time
            ["Griffbereit Nord", "13.01.2026", "9:00"],  # 3: same start time
            ["Griffbereit Nord", "13.01.2026", ""],  # 4: which of the two?
            ["Griffbereit Nord", "13.01.2026", "18:00"],  # 5: a third session that day
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {(4, "Beginn")} and "09:00, 15:00" in draft.errors[0]["message"]
    assert [(r["row"], r["session_id"]) for r in draft.rows] == [
        (2, untimed.pk),
        (3, morning.pk),
        (5, None),
    ]
    draft = prepare(kit.a, b"\r\n".join(data.split(b"\r\n")[:3]) + b"\r\n")
    with in_tenant(kit.a.tenant):
        session_import_confirm(actor=leitung(kit.a), session_import=draft)
        untimed.refresh_from_db()
        assert untimed.starts_at == dt.time(10, 30)
        assert Session.objects.count() == 3


def test_columns_of_other_programmes_and_unclear_headers(kit: Kit) -> None:
    group(kit.a)
    group(kit.a, title="Sprachcafé", programme="eigene_massnahme")
    data = csv_file(
        [
            [
                "Maßnahme",
                "Datum",
                "Kinder",
                "Teilnehmende",
                "Teilnehmende – keine Angabe",
                "Kinder – blau",
            ],
            ["Griffbereit Nord", "12.01.2026", "3", "", "", ""],
            ["Sprachcafé", "12.01.2026", "4", "5", "", ""],  # 3: no children in that programme
            ["Sprachcafé", "13.01.2026", "", "5", "5", ""],  # 4: gender or age band?
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {(3, "Kinder"), (1, "Teilnehmende – keine Angabe")}
    assert "Sprachcafé" in draft.errors[0]["message"]
    assert "nicht eindeutig" in draft.errors[1]["message"]
    assert problems(draft, "warnings") == {(1, "Kinder – blau")}  # empty: ignored, but said
    assert "keine Ausprägung" in draft.warnings[0]["message"]


def test_empty_cells_keep_an_existing_sessions_values(kit: Kit) -> None:
    measure = group(kit.a)
    with in_tenant(kit.a.tenant):
        kept = session_record(
            actor=None, measure=measure, date=dt.date(2026, 1, 12), duration_minutes=90, note="da"
        )
        cancelled = session_record(
            actor=None, measure=measure, date=dt.date(2026, 1, 19), cancelled=True
        )
    data = csv_file(
        [
            ["Maßnahme", "Datum", "Dauer", "ausgefallen", "Notiz", "Kinder"],
            ["Griffbereit Nord", "12.01.2026", "", "", "", "5"],
            ["Griffbereit Nord", "19.01.2026", "", "", "", "5"],  # 3: cancelled, with figures
        ]
    )
    draft = prepare(kit.a, data)
    assert problems(draft) == {(3, "ausgefallen")}
    assert draft.rows[0]["fields"] == {}
    fixed = data.replace(b"19.01.2026;;;", b"19.01.2026;;nein;")
    draft = prepare(kit.a, fixed)
    assert draft.errors == []
    with in_tenant(kit.a.tenant):
        session_import_confirm(actor=leitung(kit.a), session_import=draft)
        kept.refresh_from_db()
        cancelled.refresh_from_db()
        assert (kept.duration_minutes, kept.note) == (90, "da")
        assert counts_of(kept) == {("children", "", ""): 5}
        assert not cancelled.cancelled and counts_of(cancelled) == {("children", "", ""): 5}

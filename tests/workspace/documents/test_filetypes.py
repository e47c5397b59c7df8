"""Which files may be uploaded: extension and content must agree; German refusals."""

from __future__ import annotations

import io
import zipfile

import pytest

from kinrw.workspace.documents.filetypes import check_size, content_type_of
from kinrw.workspace.documents.storage import safe_name
from kinrw.workspace.services import WorkspaceError
from tests.workspace.documents.conftest import PDF, docx


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.pdf", PDF, "application/pdf"),
        ("A.PDF", PDF, "application/pdf"),
        ("b.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
        ("c.jpg", b"\xff\xd8\xff\xe0....", "image/jpeg"),
        ("c.jpeg", b"\xff\xd8\xff\xe1....", "image/jpeg"),
        (
            "d.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("e.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("f.odt", ODT, "application/vnd.oasis.opendocument.text"),
        ("g.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("h.txt", "Grüße aus Köln\n".encode(), "text/plain"),
        ("i.csv", "Name;Ort\nMüller;Köln\r\n".encode("cp1252"), "text/csv"),
    ],
)
def test_allowed_files(name: str, data: bytes, expected: str) -> None:
    assert content_type_of(name, data) == expected


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("setup.exe", b"MZ\x90\x00", "„.exe“ können nicht hochgeladen werden"),
        ("ohne", PDF, "„ohne Endung“ können nicht hochgeladen werden"),
        ("bild.svg", b"<svg/>", "Erlaubt sind PDF, PNG, JPEG"),
        ("programm.pdf", b"MZ\x90\x00 not a pdf", "passt nicht zur Endung „.pdf“"),
        ("foto.png", PDF, "passt nicht zur Endung „.png“"),
        ("brief.docx", XLSX, "passt nicht zur Endung „.docx“"),
        ("brief.odt", ODS, "passt nicht zur Endung „.odt“"),
        ("liste.csv", b"\x00\x01\x02binary", "passt nicht zur Endung „.csv“"),
        (
            "makro.docx",
            _zip(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<d/>",
                    "word/vbaProject.bin": b"\x00",
                }
            ),
            "enthält Makros",
        ),
    ],
)
def test_refused_files_say_why_in_german(name: str, data: bytes, says: str) -> None:
    with pytest.raises(WorkspaceError) as refused:
        content_type_of(name, data)
    assert says in refused.value.message and refused.value.field == "file"


def test_size_limits_name_the_limit() -> None:
    check_size("a.pdf", 20 * 1024 * 1024, 20 * 1024 * 1024)
    with pytest.raises(WorkspaceError) as too_big:
        check_size("Plan.pdf", 21 * 1024 * 1024, 20 * 1024 * 1024)
    assert "„Plan.pdf“ ist 21,0 MB groß; erlaubt sind höchstens 20 MB" in too_big.value.message
    with pytest.raises(WorkspaceError, match="ist leer"):
        check_size("leer.txt", 0, 20 * 1024 * 1024)


def test_safe_names_for_keys() -> None:
    assert safe_name("Protokoll März 2026.PDF") == "protokoll-marz-2026.pdf"
    for hostile in ("../../etc/passwd", "a/../../b.pdf", "..\\..\\x.pdf", "\x00.pdf"):
        name = safe_name(hostile)
        assert "/" not in name and "\\" not in name and ".." not in name and "\x00" not in name
    assert safe_name("...") == "dokument"
    assert safe_name("Über uns.docx") == "uber-uns.docx"

"""Which files KIs may upload: by extension AND by content (the first bytes, the zip parts).

A file whose content does not match its extension is refused: a renamed programme is not
a PDF. Every refusal is a German sentence that names the limit and what to do.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _g

from kinrw.workspace.services.errors import WorkspaceError

TEXT_PROBE = 64 * 1024  # bytes of a text file checked for binary content
ALLOWED_LABEL = "PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT, CSV"
ODF_TEXT = b"application/vnd.oasis.opendocument.text"
ODF_SHEET = b"application/vnd.oasis.opendocument.spreadsheet"


def _zip_names(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return None


def _ooxml(part: str) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        archive = _zip_names(data)
        if archive is None:
            return False
        names = set(archive.namelist())
        return "[Content_Types].xml" in names and part in names

    return check


def _odf(mimetype: bytes) -> Callable[[bytes], bool]:
    def check(data: bytes) -> bool:
        archive = _zip_names(data)
        if archive is None or "mimetype" not in archive.namelist():
            return False
        info = archive.getinfo("mimetype")
        return info.file_size <= 100 and archive.read(info).strip() == mimetype

    return check


def _text(data: bytes) -> bool:
    probe = data[:TEXT_PROBE]
    if b"\x00" in probe:
        return False
    controls = set(range(32)) - {9, 10, 12, 13}
    if any(byte in controls for byte in probe):
        return False
    try:
        probe.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(probe) - 4:  # not just a character cut at the probe's end
            try:
                probe.decode("cp1252")  # Excel's CSV on Windows
            except UnicodeDecodeError:
                return False
    return True


@dataclass(frozen=True)
class FileType:
    content_type: str
    matches: Callable[[bytes], bool]


FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", lambda d: d.startswith(b"%PDF-")),
    "png": FileType("image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": FileType("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    "jpeg": FileType("image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff")),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ooxml("word/document.xml"),
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ooxml("xl/workbook.xml"),
    ),
    "odt": FileType("application/vnd.oasis.opendocument.text", _odf(ODF_TEXT)),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _odf(ODF_SHEET)),
    "txt": FileType("text/plain", _text),
    "csv": FileType("text/csv", _text),
}

ACCEPT = ",".join(
    [f".{ext}" for ext in FILE_TYPES] + sorted({t.content_type for t in FILE_TYPES.values()})
)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_size(name: str, size: int, max_bytes: int) -> None:
    if size == 0:
        raise WorkspaceError(
            _g("Die Datei „%(name)s“ ist leer. Bitte wählen Sie die richtige Datei aus.")
            % {"name": name},
            field="file",
        )
    if size > max_bytes:
        raise WorkspaceError(
            _g(
                "Die Datei „%(name)s“ ist %(size)s MB groß; erlaubt sind höchstens %(max)s MB. "
                "Bitte verkleinern Sie die Datei (z. B. Bilder mit geringerer Auflösung) oder "
                "teilen Sie sie auf mehrere Dateien auf."
            )
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
                "max": f"{max_bytes / 1024 / 1024:g}".replace(".", ","),
            },
            field="file",
        )


def content_type_of(name: str, data: bytes) -> str:
    """The content type of an allowed file; a German WorkspaceError otherwise."""
    ext = extension_of(name)
    file_type = FILE_TYPES.get(ext)
    if file_type is None:
        raise WorkspaceError(
            _g(
                "Dateien vom Typ „%(ext)s“ können nicht hochgeladen werden. Erlaubt sind "
                "%(allowed)s; speichern Sie die Datei bitte in einem dieser Formate."
            )
            % {"ext": f".{ext}" if ext else _g("ohne Endung"), "allowed": ALLOWED_LABEL},
            field="file",
        )
    if not file_type.matches(data):
        raise WorkspaceError(
            _g(
                "Der Inhalt der Datei „%(name)s“ passt nicht zur Endung „.%(ext)s“. Bitte "
                "speichern Sie die Datei im Programm, das sie erstellt hat, erneut als "
                ".%(ext)s (oder als PDF) und laden Sie sie dann hoch."
            )
            % {"name": name, "ext": ext},
            field="file",
        )
    archive = _zip_names(data) if ext in ("docx", "xlsx") else None
    if archive is not None and any(n.endswith("vbaProject.bin") for n in archive.namelist()):
        raise WorkspaceError(
            _g(
                "Die Datei „%(name)s“ enthält Makros. Bitte speichern Sie sie ohne Makros "
                "(als .%(ext)s) oder als PDF."
            )
            % {"name": name, "ext": ext},
            field="file",
        )
    return file_type.content_type

"""German first: every translatable string has an English translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

import kinrw

PACKAGE = Path(kinrw.__file__).parent
CATALOG = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
GETTEXT_NAMES = {"_", "_g", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
TRANSLATE_TAG = re.compile(r"{%\s*(?:translate|trans)\s+(['\"])(.*?)\1")
BLOCK_TAG = re.compile(
    r"{%\s*blocktranslate(?P<args>[^%]*)%}(?P<body>.*?){%\s*endblocktranslate\s*%}", re.S
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
PLURAL_TAG = re.compile(r"{%\s*plural\s*%}")


def _python_msgids() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[-1], ast.Constant)
                and isinstance(node.args[-1].value, str)
            ):
                found.add(node.args[-1].value)
    return found


def _template_msgids() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {m.group(2) for m in TRANSLATE_TAG.finditer(text)}
        for block in BLOCK_TAG.finditer(text):
            body = block.group("body")
            if "trimmed" in block.group("args"):
                body = " ".join(body.split())
            singular = PLURAL_TAG.split(body)[0]  # a plural entry is found by its singular
            found.add(VARIABLE.sub(r"%(\1)s", singular))
    return found


def test_source_strings_are_found() -> None:
    # Guard against the extractor silently finding nothing.
    assert "Anmelden" in _template_msgids()
    assert "Kurzname" in _python_msgids()


def test_every_string_has_an_english_translation() -> None:
    catalog = {e.msgid: e for e in polib.pofile(str(CATALOG))}
    wanted = _python_msgids() | _template_msgids()
    missing = sorted(m for m in wanted if m not in catalog)
    untranslated = sorted(
        m for m in wanted if m in catalog and (not catalog[m].translated() or catalog[m].fuzzy)
    )
    assert not missing, f"not in {CATALOG.name} (run makemessages): {missing}"
    assert not untranslated, f"no English translation: {untranslated}"

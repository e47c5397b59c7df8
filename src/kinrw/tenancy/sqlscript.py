"""Splitting a plain pg_dump script into its top-level statements."""

from __future__ import annotations

import re

_DOLLAR_TAG = re.compile(r"\$([A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*)?\$")


def split_statements(script: str) -> list[str]:
    """The top-level SQL statements of a plain pg_dump, without comments and psql commands.

    Works on statements, not lines: a line of a function body or of a text
    value that happens to start with ``SET``, ``--`` or a backslash is kept.
    """
    statements: list[str] = []
    i, n = 0, len(script)
    start = 0  # where the current statement's text begins
    empty = True  # nothing but whitespace and comments since the last statement
    while i < n:
        ch = script[i]
        if ch == "-" and script.startswith("--", i):
            end = script.find("\n", i)
            i = n if end < 0 else end + 1
            if empty:
                start = i
            continue
        if ch == "/" and script.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if script.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif script.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            if empty:
                start = i
            continue
        if empty and ch.isspace():
            i += 1
            start = i
            continue
        if empty and ch == "\\":  # psql meta-command (\connect, \restrict): one line
            end = script.find("\n", i)
            i = start = n if end < 0 else end + 1
            continue
        empty = False
        if ch == "'":
            escapes = i > 0 and script[i - 1] in "eE" and (i < 2 or not _ident_char(script[i - 2]))
            i += 1
            while i < n:
                if escapes and script[i] == "\\":
                    i += 2
                elif script[i] == "'":
                    if script.startswith("''", i):
                        i += 2
                    else:
                        break
                else:
                    i += 1
            i += 1
        elif ch == '"':
            end = i + 1
            while True:
                end = script.find('"', end)
                if end < 0 or not script.startswith('""', end):
                    break
                end += 2
            i = n if end < 0 else end + 1
        elif ch == "$" and (i == 0 or not _ident_char(script[i - 1])):
            tag = _DOLLAR_TAG.match(script, i)
            if tag is None:
                i += 1
            else:
                end = script.find(tag.group(), tag.end())
                i = n if end < 0 else end + len(tag.group())
        elif ch == ";":
            statements.append(script[start : i + 1])
            i += 1
            start, empty = i, True
        else:
            i += 1
    tail = script[start:].strip()
    if tail and not empty:
        statements.append(tail)
    return statements


def _ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"

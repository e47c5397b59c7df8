"""Which environment variables the platform reads: the deployment files may set no other."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"

# read by libraries, not by our code (boto3's credential chain)
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


@cache
def names_read() -> frozenset[str]:
    """Upper-case string literals in src/ and the variables the entrypoint expands."""
    names: set[str] = set(READ_BY_LIBRARIES)
    for path in (ROOT / "src" / "kinrw").rglob("*.py"):
        names |= set(re.findall(r"[\"']([A-Z][A-Z0-9_]{2,})[\"']", path.read_text("utf-8")))
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", ENTRYPOINT.read_text("utf-8")))
    return frozenset(names)


def unread(names: set[str] | list[str]) -> set[str]:
    return set(names) - names_read()

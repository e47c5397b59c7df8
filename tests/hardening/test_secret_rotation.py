"""Rotating DJANGO_SECRET_KEY: links signed with the old key stay valid while it is a
fallback, and stop working once it is dropped (docs/operations.md, "Rotating secrets")."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

SCRIPT = """
import django, json
django.setup()
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

class User:  # what the token generator reads of an account
    pk, password, last_login, email = 7, "pbkdf2$x", None, "a@b.example"
    def get_email_field_name(self): return "email"

print(json.dumps({
    "fallbacks": len(settings.SECRET_KEY_FALLBACKS),
    "token_ok": PasswordResetTokenGenerator().check_token(User(), TOKEN),
    "signed_ok": signing.loads(SIGNED) == "ok" if FALLBACK_EXPECTED else None,
}))
"""


def _run(key: str, fallbacks: str, token: str, signed: str, expect: bool) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="kinrw.conf.settings",
        DJANGO_SECRET_KEY=key,
        DJANGO_SECRET_KEY_FALLBACKS=fallbacks,
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://unused@127.0.0.1:1/x"),
    )
    code = f"TOKEN = {token!r}\nSIGNED = {signed!r}\nFALLBACK_EXPECTED = {expect!r}\n" + SCRIPT
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_old_key_as_fallback_keeps_links_valid_until_it_is_dropped() -> None:
    import json

    from django.contrib.auth.tokens import PasswordResetTokenGenerator
    from django.core import signing
    from django.test.utils import override_settings

    old, new = secrets.token_urlsafe(50), secrets.token_urlsafe(50)

    class User:
        pk, password, last_login, email = 7, "pbkdf2$x", None, "a@b.example"

        def get_email_field_name(self) -> str:
            return "email"

    with override_settings(SECRET_KEY=old, SECRET_KEY_FALLBACKS=[]):
        token = PasswordResetTokenGenerator().make_token(User())  # type: ignore[arg-type]
        signed = signing.dumps("ok")
    during = json.loads(_run(new, old, token, signed, True))
    assert during == {"fallbacks": 1, "token_ok": True, "signed_ok": True}
    after = json.loads(_run(new, "", token, signed, False))
    assert after["fallbacks"] == 0 and after["token_ok"] is False

"""``manage.py check --deploy`` passes without a warning in production settings
(issue 5 part 4, ADR 0013). Settings are read at start, so each case is a process."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KINRW_"))}
    base.update(
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinrw"),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),  # production: a long random key
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "kinrw", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warnings() -> None:
    done = _check_deploy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNINGS" not in done.stdout + done.stderr


def test_the_deploy_check_is_real_plain_http_fails_it() -> None:
    done = _check_deploy(KINRW_HTTPS="0")
    assert done.returncode != 0
    assert "security.W004" in done.stdout + done.stderr  # no HSTS


def test_sentry_starts_from_the_settings_when_a_dsn_is_set() -> None:
    """Web, worker and CLI all load the settings: that is where the SDK starts."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))}
    base.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        SENTRY_DSN="https://public@sentry.invalid/1",
        SENTRY_ENVIRONMENT="staging",
    )
    script = (
        "import django, json, sentry_sdk; django.setup(); o = sentry_sdk.get_client().options; "
        "print(json.dumps([sentry_sdk.get_client().is_active(), o['environment'], o['release'], "
        "o['include_local_variables'], o['max_request_body_size'], "
        "o['data_collection']['user_info'], o['data_collection']['http_bodies'], "
        "o['before_send'].__name__, o['traces_sample_rate']]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "DJANGO_SETTINGS_MODULE": "kinrw.conf.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    from importlib.metadata import version

    assert done.stdout.strip().splitlines()[-1] == json.dumps(
        [
            True,
            "staging",
            f"kinrw@{version('kinrw')}",
            False,
            "never",
            False,
            [],
            "scrub_event",
            0.0,
        ]
    )

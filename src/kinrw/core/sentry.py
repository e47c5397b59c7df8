"""Error reports to Sentry, without personal data (ADR 0013).

Only active when ``SENTRY_DSN`` is set (:func:`init` is called at the end of the
settings). What may leave the process:

* the exception type, the stack (file, function, line, source lines; **no local
  variables**), the release, the environment, and the tags ``tenant`` (the KI's
  slug, or ``public`` for the Land host and tasks without a KI) and ``request_id``;
* of a request: method, URL (query string removed, the token of a set-password
  link masked) and a short list of harmless headers. Never its body, cookies,
  client address or user (only the user's database id);
* exception and log messages after removing e-mail addresses and PostgreSQL's
  ``DETAIL`` part (which repeats the values of a violated constraint). Other
  personal data can not be recognised in free text: **our code never puts
  personal data into exception or log messages** (names, addresses, dates of
  birth); it names ids, slugs and schemas instead.

Everything else with a name that looks personal or secret (``email``, ``name``,
``token``, ``password``, ``iban`` …) is replaced in extra data, contexts and
breadcrumbs.
"""

from __future__ import annotations

import re
from typing import Any

from kinrw.core.redact import scrub_path, scrub_text
from kinrw.core.requestctx import tenant_label

SCRUBBED = "[entfernt]"

# Headers that say nothing about a person and help to understand an error.
SAFE_HEADERS = frozenset(
    {
        "accept",
        "accept-language",
        "content-length",
        "content-type",
        "host",
        "x-forwarded-proto",
        "x-request-id",
    }
)
# Key names (or parts of them between _ - .) that hold personal or secret values.
_SENSITIVE_KEY = re.compile(
    r"(^|[_\-.])(e_?mail|mail|name|vorname|nachname|phone|telefon|mobil|password|passwort|"
    r"passwd|pwd|token|secret|key|api_?key|iban|bic|birth\w*|geburt\w*|address|adresse|"
    r"anschrift|street|strasse|cookie|cookies|session|sessionid|csrf\w*|auth\w*|"
    r"credentials|ip|ip_address|remote_addr|x_forwarded_for|args|kwargs|body|data)($|[_\-.])",
    re.IGNORECASE,
)
# Keys the SDK itself fills with technical values, kept even though they match above.
_TECHNICAL_KEYS = frozenset({"task_name", "server_name", "logger_name", "thread_name"})
# Contexts the SDK fills with facts about the process, not about people.
_TECHNICAL_CONTEXTS = frozenset({"runtime", "os", "trace", "device", "app", "celery"})


def _sensitive(key: object) -> bool:
    return (
        isinstance(key, str)
        and key.lower() not in _TECHNICAL_KEYS
        and bool(_SENSITIVE_KEY.search(key))
    )


def _scrub_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: SCRUBBED if _sensitive(k) else _scrub_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_tree(v) for v in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def _scrub_request(request: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    if "method" in request:
        kept["method"] = request["method"]
    if isinstance(request.get("url"), str):
        kept["url"] = scrub_path(request["url"])
    headers = request.get("headers")
    if isinstance(headers, dict):
        kept["headers"] = {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS}
    return kept  # no data, cookies, query_string or env (client address)


def _scrub_exceptions(event: dict[str, Any]) -> None:
    for exc in (event.get("exception") or {}).get("values") or []:
        if isinstance(exc.get("value"), str):
            exc["value"] = scrub_text(exc["value"])
        for frame in (exc.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def _scrub_logentry(event: dict[str, Any]) -> None:
    entry = event.get("logentry")
    if isinstance(entry, dict):
        entry.pop("params", None)
        for key in ("message", "formatted"):
            if isinstance(entry.get(key), str):
                entry[key] = scrub_text(entry[key])
    if isinstance(event.get("message"), str):
        event["message"] = scrub_text(event["message"])


def _scrub_breadcrumbs(event: dict[str, Any]) -> None:
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    for crumb in values if isinstance(values, list) else []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = scrub_text(crumb["message"])
        if "data" in crumb:
            crumb["data"] = _scrub_tree(crumb["data"])


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """``before_send``: the event as it may leave the process."""
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    user = event.get("user")
    event["user"] = {"id": user["id"]} if isinstance(user, dict) and "id" in user else {}
    _scrub_exceptions(event)
    _scrub_logentry(event)
    _scrub_breadcrumbs(event)
    if "extra" in event:
        event["extra"] = _scrub_tree(event["extra"])
    contexts = event.get("contexts")
    if isinstance(contexts, dict):
        for name in list(contexts):
            if name not in _TECHNICAL_CONTEXTS:
                contexts[name] = _scrub_tree(contexts[name])
    for span in event.get("spans") or []:
        if isinstance(span, dict) and "data" in span:
            span["data"] = _scrub_tree(span["data"])
    tags = event.setdefault("tags", {})
    if isinstance(tags, dict) and "tenant" not in tags:
        tags["tenant"] = tenant_label()
    return event


def set_tenant_tag(label: str) -> None:
    import sentry_sdk

    sentry_sdk.set_tag("tenant", label)


def _task_prerun(sender: Any = None, **_: Any) -> None:
    # tenant-schemas-celery switches the schema in its own task_prerun handler,
    # connected before this one (kinrw.conf.celery builds its app first).
    set_tenant_tag(tenant_label())


def init(
    *,
    dsn: str,
    environment: str,
    release: str,
    traces_sample_rate: float = 0.0,
    transport: Any = None,
) -> None:
    """Start the SDK with the Django and Celery integrations and our scrubber."""
    import sentry_sdk
    from celery.signals import task_prerun
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        # What the integrations collect at all (the SDK's successor of send_default_pii,
        # which stays at its default, off): no user, cookies, bodies, query strings,
        # SQL parameters, queue payloads or local variables; a short list of headers.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SAFE_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "gen_ai": {"inputs": False, "outputs": False},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        **options,
    )
    task_prerun.connect(_task_prerun, dispatch_uid="kinrw_sentry_tenant_tag", weak=False)

"""Settings of the KI-Plattform NRW, read from the environment with typed defaults.

Every deploy-time choice is an environment variable (see docs/configuration.md);
what a KI chooses for itself lives in its workspace, not here.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kinrw.core import embedded_pg

PACKAGE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG: bool = env.bool("DJANGO_DEBUG", default=False)

# --- database -------------------------------------------------------------
# Without DATABASE_URL the platform starts its own embedded PostgreSQL (ADR 0004).
if env.str("DATABASE_URL", default=""):
    _db = env.db_url("DATABASE_URL")
    EMBEDDED_DATABASE = False
else:
    _server = embedded_pg.ensure_running()
    _db = {"ENGINE": "django.db.backends.postgresql", **_server.settings_dict()}
    EMBEDDED_DATABASE = True
if not str(_db.get("ENGINE", "")).endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL muss auf eine PostgreSQL-Datenbank zeigen.")
_db["ENGINE"] = "kinrw.tenancy.backend"
_db["CONN_MAX_AGE"] = env.int("KINRW_CONN_MAX_AGE", default=60)
_db["CONN_HEALTH_CHECKS"] = True
_db.setdefault("TEST", {})
DATABASES = {"default": _db}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- secrets ----------------------------------------------------------------
_secret = env.str("DJANGO_SECRET_KEY", default="")
if not _secret:
    if not (DEBUG or EMBEDDED_DATABASE):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY ist nicht gesetzt: in Produktion ist ein geheimer Schlüssel Pflicht."
        )
    # Development machines keep one generated key so sessions survive restarts.
    _key_file = embedded_pg.data_dir() / "secret_key"
    _key_file.parent.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    _secret = _key_file.read_text().strip()
SECRET_KEY = _secret
# Rotating the key: the old one goes here for a while, so that signed values made with it
# (set-password links, signed cookies) stay valid until they expire (docs/operations.md).
SECRET_KEY_FALLBACKS: list[str] = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

# --- tenancy ----------------------------------------------------------------
KINRW_BASE_DOMAIN: str = env.str("KINRW_BASE_DOMAIN", default="localhost").lower().strip(".")
# Plain HTTP only on developer machines (debug mode or the embedded database).
KINRW_HTTPS: bool = env.bool("KINRW_HTTPS", default=not (DEBUG or EMBEDDED_DATABASE))
KINRW_URL_PORT: str = env.str("KINRW_URL_PORT", default="8000" if not KINRW_HTTPS else "")
KINRW_REGISTRY_PATH: str = env.str("KINRW_REGISTRY_PATH", default="tenants")
KINRW_TEMPLATE_SCHEMA = "kinrw_template"
# How long a process trusts its host->tenant cache without a change notice (seconds).
KINRW_TENANT_CACHE_TTL: int = env.int("KINRW_TENANT_CACHE_TTL", default=300)

# Host validation is the tenant lookup itself: a host is served only if it is the base
# domain or a registered KI domain (KIs may have domains of their own), all others get
# a 404 from TenantMiddleware. Links in mails and the CLI are built from stored domains,
# never from the request's Host header.
ALLOWED_HOSTS = ["*"]
TENANT_MODEL = "tenancy.Tenant"
TENANT_DOMAIN_MODEL = "tenancy.Domain"
TENANT_LIMIT_SET_CALLS = True
PUBLIC_SCHEMA_URLCONF = "kinrw.conf.urls_public"
ROOT_URLCONF = "kinrw.conf.urls_tenant"

SHARED_APPS = [
    "django_tenants",
    "kinrw.core",
    "kinrw.tenancy",
    "kinrw.accounts",
    "kinrw.state",
    "kinrw.catalogue",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # REST API of the KI workspace (no models of their own; static files, templates)
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # hardening (ADR 0013): failed logins on the Land host; the Content-Security-Policy
    "axes",
    "csp",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "axes",  # failed logins of a KI's staff, in the KI's own schema (ADR 0013)
    "kinrw.accounts",
    "kinrw.workspace",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

MIDDLEWARE = [
    "kinrw.core.requestctx.RequestIdMiddleware",  # X-Request-ID for logs and Sentry (ADR 0013)
    "kinrw.core.health.HealthMiddleware",
    "kinrw.core.metrics.MetricsMiddleware",  # counts requests; /metrics with the token
    "django.middleware.security.SecurityMiddleware",
    # Static files need no tenant: styles of the 404 and "gesperrt" pages load everywhere.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kinrw.tenancy.middleware.TenantMiddleware",
    "kinrw.core.requestctx.TenantContextMiddleware",  # the KI in logs and Sentry tags
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinrw.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kinrw.tenancy.middleware.SessionBindingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last: turns a lockout into the German login page with 429 (kinrw.accounts.lockout)
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinrw.tenancy.context_processors.tenant",
                "kinrw.workspace.context_processors.permissions",
            ],
        },
    }
]
WSGI_APPLICATION = "kinrw.conf.wsgi.application"

# --- accounts and sessions ----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "kinrw.accounts.lockout.LockoutBackend",  # django-axes: refuses while locked out
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("KINRW_SET_PASSWORD_LINK_SECONDS", default=3 * 24 * 3600)
# Cookies are host-only (no Domain attribute): a Köln session never reaches Bonn
# or the Land host. Sessions also live in each schema's own table (ADR 0003).
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_NAME = "kinrw_session"
CSRF_COOKIE_NAME = "kinrw_csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("KINRW_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_SECURE = KINRW_HTTPS
CSRF_COOKIE_SECURE = KINRW_HTTPS
if KINRW_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("KINRW_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("KINRW_HSTS_SECONDS", default=31536000)
    # Every KI is a subdomain of the base domain, all on HTTPS (ADR 0013).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("KINRW_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading binds the whole registrable domain for years and is hard to undo: only
    # the owner of the domain decides it. Off by default, so its deploy check is silenced.
    SECURE_HSTS_PRELOAD = env.bool("KINRW_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- hardening (ADR 0013) -------------------------------------------------------
# Content-Security-Policy (django-csp): our own files only, no inline scripts or styles,
# no framing. Templates carry no <script> blocks, on…= handlers or style= attributes.
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Django's debug pages are inline HTML: in debug mode the policy only reports (console).
if DEBUG:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
# Login throttling and lockout (django-axes): per e-mail address and client address, in the
# schema of the host (a KI's attempts in its own schema, the Land's in public).
AXES_FAILURE_LIMIT: int = env.int("KINRW_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME: float = env.float("KINRW_LOGIN_COOLOFF_MINUTES", default=15.0) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinrw.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kinrw.accounts.lockout.client_ip"
AXES_USERNAME_CALLABLE = "kinrw.accounts.lockout.username_of"
AXES_DISABLE_ACCESS_LOG = True  # no table of successful logins (who, when, from where)
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "user_agent",
    "csrfmiddlewaretoken",
]
AXES_VERBOSE = True
# Gunicorn's trusted proxies (`kinrw serve`): only from these is X-Forwarded-For believed.
KINRW_PROXIES: list[str] = env.list("KINRW_PROXIES", default=["127.0.0.1"])

# --- i18n: German first, English second -------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "kinrw_language"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- static files (vendored, served by WhiteNoise) -------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("KINRW_STATIC_ROOT", default=str(embedded_pg.data_dir() / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- documents of the KIs (S3, or local disk by default; ADR 0012) ------------------------
# With a bucket: S3 through django-storages (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or
# boto3's usual chain). Without: files under KINRW_DOCUMENTS_ROOT on this machine.
AWS_STORAGE_BUCKET_NAME: str = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL: str | None = env.str("AWS_S3_ENDPOINT_URL", default="") or None
# where browsers reach the S3 server, if not at AWS_S3_ENDPOINT_URL (presigned downloads)
KINRW_S3_PUBLIC_ENDPOINT_URL: str | None = (
    env.str("KINRW_S3_PUBLIC_ENDPOINT_URL", default="") or None
)
AWS_S3_REGION_NAME: str | None = env.str("AWS_S3_REGION_NAME", default="") or None
AWS_S3_ADDRESSING_STYLE: str | None = env.str("AWS_S3_ADDRESSING_STYLE", default="") or None
AWS_S3_SIGNATURE_VERSION = "s3v4"
# server-side encryption: "auto" (AES256 when the server takes it), "required" or "off"
KINRW_S3_SSE: str = env.str("KINRW_S3_SSE", default="auto")
KINRW_DOCUMENTS_ROOT = Path(
    env.str("KINRW_DOCUMENTS_ROOT", default=str(embedded_pg.data_dir() / "documents"))
)
KINRW_DOCUMENT_MAX_BYTES: int = env.int("KINRW_DOCUMENT_MAX_MB", default=20) * 1024 * 1024
KINRW_DOCUMENT_URL_SECONDS: int = env.int("KINRW_DOCUMENT_URL_SECONDS", default=60)

# --- REST API of the KI workspace (/api/v1/ on KI hosts, docs/api.md) -----------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kinrw.workspace.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # every view names its area of the role table; one that does not is closed
    "DEFAULT_PERMISSION_CLASSES": ["kinrw.workspace.api.permissions.AreaPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "kinrw.workspace.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kinrw.workspace.api.base.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KI-Plattform NRW – Schnittstelle des KI-Arbeitsbereichs",
    "DESCRIPTION": (
        "REST-Schnittstelle (API) eines Kommunalen Integrationszentrums: Programmteilnahmen, "
        "Maßnahmen, Termine mit Zahlen, Partner und Gremien. Sie gilt auf dem Host des KI "
        "(z. B. https://koeln.<Domain>/api/v1/) und zeigt nur dessen Daten. Anmeldung mit "
        "API-Schlüssel (Authorization: Bearer <Schlüssel>) oder der Sitzung im Browser."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kinrw.workspace.api.schema.german_texts",
    ],
    "ENUM_NAME_OVERRIDES": {
        "MeasureStatusEnum": "kinrw.workspace.models.MeasureStatus",
        "AgreementStatusEnum": "kinrw.workspace.models.AgreementStatus",
        "AgreementKindEnum": "kinrw.workspace.models.AgreementKind",
        "OrganisationKindEnum": "kinrw.workspace.models.OrganisationType",
        "GremiumKindEnum": "kinrw.workspace.models.GremiumKind",
        "RoleEnum": "kinrw.workspace.models.Role",
        "AuditActionEnum": "kinrw.workspace.models.AuditAction",
    },
}

# --- e-mail: only when the deployment configures it (else links are passed on by hand) ---
KINRW_EMAIL_CONFIGURED = bool(env.str("EMAIL_URL", default=""))
if KINRW_EMAIL_CONFIGURED:
    vars().update(env.email_url("EMAIL_URL"))
    DEFAULT_FROM_EMAIL = env.str(
        "DEFAULT_FROM_EMAIL", default="KI-Plattform NRW <noreply@localhost>"
    )

# --- caches -----------------------------------------------------------------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://kinrw")}

# --- logging: no personal data, tenant and request id on every line (ADR 0013) -----
# json: one JSON object per line (production default); text: one plain line (DEBUG default).
KINRW_LOG_FORMAT: str = env.str("KINRW_LOG_FORMAT", default="text" if DEBUG else "json")
if KINRW_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("KINRW_LOG_FORMAT muss json oder text sein.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "kinrw.core.jsonlog.ContextFilter"}},
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(tenant)s %(request_id)s] %(message)s"
        },
        "json": {"()": "kinrw.core.jsonlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": KINRW_LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("KINRW_LOG_LEVEL", default="WARNING")},
    "loggers": {
        "kinrw": {"level": env.str("KINRW_LOG_LEVEL", default="INFO"), "propagate": True},
        # one line per failed login, with the e-mail address and client address masked
        "axes": {"level": "WARNING", "propagate": True},
    },
}

# --- Sentry: error reports without personal data, only with SENTRY_DSN (ADR 0013) ---
SENTRY_DSN: str = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT: str = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE: str = env.str("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE: float = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from importlib.metadata import version as _package_version

    from kinrw.core import sentry as _sentry

    _sentry.init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE or f"kinrw@{_package_version('kinrw')}",
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# --- Prometheus metrics at /metrics, for operators only (ADR 0013) -------------------
# A bearer token (empty: only signed-in Land accounts with the role Plattformbetrieb).
KINRW_METRICS_TOKEN: str = env.str("KINRW_METRICS_TOKEN", default="")

# --- Celery: the outbox relay to the Land's facts (ADR 0010) ----------------------
# Web requests never talk to the broker: only the worker and its beat do.
# Without a broker and with the embedded database (`make run`) kombu's filesystem transport
# under $KINRW_DATA_DIR/broker serves, no extra install (ADR 0011); otherwise Redis.
CELERY_BROKER_URL: str = env.str(
    "CELERY_BROKER_URL",
    default="filesystem://" if EMBEDDED_DATABASE else "redis://127.0.0.1:6379/0",
)
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker = embedded_pg.data_dir() / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),  # one folder: senders and worker share it
        "data_folder_out": str(_broker / "queue"),
        "processed_folder": str(_broker / "processed"),
        "control_folder": str(_broker / "control"),
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(embedded_pg.data_dir() / "celerybeat-schedule")
CELERY_RESULT_BACKEND: str | None = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("KINRW_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("KINRW_TASK_TIME_LIMIT", default=300)
CELERY_TASK_DEFAULT_QUEUE = "kinrw"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Liveness of a worker (container probe `kinrw worker-alive`, kinrw.core.heartbeat): off if empty.
KINRW_WORKER_HEARTBEAT_FILE: str = env.str("KINRW_WORKER_HEARTBEAT_FILE", default="")
KINRW_WORKER_HEARTBEAT_SECONDS: float = env.float("KINRW_WORKER_HEARTBEAT_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "state.outbox_sweep",
        "schedule": env.float("KINRW_OUTBOX_SWEEP_SECONDS", default=30.0),  # fallback of the relay
    },
}

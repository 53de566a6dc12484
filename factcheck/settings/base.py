"""Settings shared by every environment. Everything site-specific comes from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Gives django-simple-history the acting user for edits made through a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "claims.site.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"

# An empty DATABASE_URL means "not set" (the Makefile's SQLite pass clears it that way).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# Django's PostgreSQL backend with a health check that needs no round trip (factcheck/postgresql/base.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "factcheck.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))  # where collectstatic writes
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Evidence attachments: what a reviewer may upload, and how much.
EVIDENCE_ATTACHMENT_MAX_BYTES = int(os.environ.get("EVIDENCE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
EVIDENCE_ATTACHMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "txt"]  # nothing a browser runs (issue 11)

# Change reasons are free text; the default 100-character column would cut them.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Nobody edits or reverts history rows through the admin's history view by accident.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The organisation that publishes the fact-checks (ClaimReview `author`).
FACTCHECK_ORGANIZATION = {
    "name": os.environ.get("FACTCHECK_ORGANIZATION_NAME", "factcheck desk"),
    # Empty: the site's own home page (claims.links.organization).
    "url": os.environ.get("FACTCHECK_ORGANIZATION_URL", ""),
}
# The public base URL for absolute links (pages, ClaimReview, Atom, API; claims.links.absolute_url).
# Empty: each request's own scheme and host.
FACTCHECK_SITE_URL = os.environ.get("FACTCHECK_SITE_URL", "")
# How long change-feed events are kept; an older cursor gets 410 Gone.
# Who is woken after a transaction that appended change-feed events commits (claims/feed/subscribers.py).
# Each consumer reads the feed with its own cursor; a subscriber only wakes it.
FACTCHECK_CHANGE_FEED_SUBSCRIBERS = [
    "claims.push.services.webhook_subscriptions_wake",
    "claims.tips.notifications.tip_notifications_wake",
]
FACTCHECK_CHANGE_FEED_RETENTION_DAYS = int(os.environ.get("FACTCHECK_CHANGE_FEED_RETENTION_DAYS", "90"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Workflow errors → 400/409, stale versions → 412 (see claims/api/errors.py).
    "EXCEPTION_HANDLER": "claims.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
    },
}

REST_KNOX = {
    # Tokens are stored hashed; they expire, and logout revokes them.
    "TOKEN_TTL": datetime.timedelta(days=int(os.environ.get("API_TOKEN_TTL_DAYS", "30"))),
    "AUTO_REFRESH": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Published claims, verdicts and the change feed that keeps mirrors exact.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "ClaimantKindEnum": "claims.models.Claimant.Kind",
        "SourceKindEnum": "claims.models.Source.Kind",
        "ChangeKindEnum": "claims.models.ChangeEvent.Kind",
        "DatePrecisionEnum": "claims.models.DatePrecision",
        # A translation's `status` and a move's `to_status` share one choice set: one name for both.
        "TranslationStatusEnum": "claims.models.VerdictTranslation.Status",
        "IntakeJobStatusEnum": "claims.models.IntakeJob.Status",
        "IntakeJobKindEnum": "claims.models.IntakeJob.Kind",
        "TipDeclineKindEnum": "claims.models.TipCluster.DeclineKind",
    },
}


# --- Deployment (issue 10): stateless web tier -------------------------------------------------
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]

# Outermost: one JSON log line per request with its id; then database outages become 503.
MIDDLEWARE = [
    "factcheck.middleware.RequestLogMiddleware",
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    *MIDDLEWARE,
]

# Shared cache (throttle counts, page caches) across processes and machines. CACHE_URL=redis://…
# selects Redis; without it a database table (created by `migrate`) needs no extra service.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    # Django's RedisCache, keeping one client per connection pool (factcheck/redis_cache.py).
    CACHES = {"default": {"BACKEND": "factcheck.redis_cache.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss:// or unix:// URL, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "factcheck_cache"}}

# Throttles key on the client address. Only addresses added by proxies we run are believed:
# with 0 (the default) X-Forwarded-For is ignored; behind one nginx, 1.
REST_FRAMEWORK["NUM_PROXIES"] = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Background work: the Django tasks API (django-tasks backport), stored in the database and run by
# `make worker` (see claims/tasks.py and docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# What a client is told to wait when the database is unreachable (503 + Retry-After).
FACTCHECK_OUTAGE_RETRY_AFTER_SECONDS = int(os.environ.get("FACTCHECK_OUTAGE_RETRY_AFTER_SECONDS", "10"))
# Commands that destroy or overwrite data (flush, setup_demo, the demo fixture) refuse when True.
FACTCHECK_PRODUCTION = False

# JSON lines on stdout (LOG_FORMAT=text for humans): every record carries the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "factcheck.logs.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "json"),
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# PostgreSQL plans for data that lives in memory or on SSD (issue 9): at the default random_page_cost
# of 4 the planner hashes every verdict rather than look up a few thousand by index (40 ms → 4 ms
# for a claimant page at 100k claims). Set DATABASE_RANDOM_PAGE_COST="" to keep the server's value.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={float(os.environ.get('DATABASE_RANDOM_PAGE_COST', '1.1'))}"
    )
# --- Security (issue 11; see docs/security.md) ---------------------------------------------------
# NUL bytes in a URL, header, credential or form value → 400 before any view runs.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "claims.security.nul_bytes.RejectNulBytesMiddleware",
)
# JSON bodies: nesting deeper than this → 400 (json.load recurses per level); NUL in strings → 400.
FACTCHECK_JSON_MAX_DEPTH = int(os.environ.get("FACTCHECK_JSON_MAX_DEPTH", "64"))
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "claims.api.parsers.BoundedJSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
# Body size limits (Django's defaults, named here so they are documented): non-file form data and
# request bodies read into memory at most 2.5 MB, at most 1000 form fields; file uploads are
# limited by EVIDENCE_ATTACHMENT_MAX_BYTES (the proxy's client_max_body_size should match it).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Brute force: django-axes locks a username from an address out after AXES_FAILURE_LIMIT failures
# (admin login and the API's token login alike) until the cool-off has passed.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address a lockout keys on: the same rule as the API throttle (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "claims.security.client_address.client_address"
# Every attempt on the API's token login counts toward this, failed ones included.
API_THROTTLE_LOGIN = os.environ.get("API_THROTTLE_LOGIN", "20/minute")

# Content-Security-Policy (django-csp): no inline script or style anywhere (public pages, admin,
# browsable API, Swagger UI). `data:` images: Swagger UI's and the admin's icons are data: SVGs
# in their stylesheets. Evidence downloads set their own `sandbox` policy, which the middleware keeps.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The browsable API allows DRF's own fixed inline styles by hash (claims/api/renderers.py).
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
    "rest_framework.renderers.JSONRenderer",
    "claims.api.renderers.CSPBrowsableAPIRenderer",
]

# Two-factor authentication for staff (django-otp: TOTP + backup codes; see claims/security/two_factor.py).
# Off by default here and in development (`make run` stays two commands); on in production.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1, "claims.security.two_factor.RequireTwoFactorMiddleware"
)
FACTCHECK_REQUIRE_2FA = env_bool("FACTCHECK_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("FACTCHECK_ORGANIZATION_NAME", "factcheck desk")
# Wrong codes lock a user out of the second factor for at most this long (claims/security/two_factor.py).
FACTCHECK_OTP_MAX_LOCK_SECONDS = int(os.environ.get("FACTCHECK_OTP_MAX_LOCK_SECONDS", "900"))
# Evidence files: set to an nginx `internal` location (e.g. /_evidence/) to let nginx send the bytes
# after the view's permission check (X-Accel-Redirect). Empty: the view streams them itself.
FACTCHECK_EVIDENCE_X_ACCEL_PREFIX = os.environ.get("FACTCHECK_EVIDENCE_X_ACCEL_PREFIX", "")
# Source capture and any other fetch of a user-supplied URL (claims/intake/net.py): networks allowed
# despite being loopback/private/link-local/reserved. Empty in every real deployment; tests that
# serve pages from 127.0.0.1 allow that address only.
FACTCHECK_FETCH_ALLOWED_NETWORKS = env_list("FACTCHECK_FETCH_ALLOWED_NETWORKS", [])
# The article `make run` captures as the demo source's snapshot (never copied into the repository).
FACTCHECK_DEMO_ARTICLE = Path(os.environ.get("FACTCHECK_DEMO_ARTICLE") or BASE_DIR.parent / "shared" / "article.txt")
# --- Push and external reviews (issue 13) -------------------------------------------------------
# Deliveries run on the worker (TASKS above, `make worker`).
INSTALLED_APPS += ["django.contrib.sitemaps"]
# Webhook targets are checked by the same address guard as source capture
# (FACTCHECK_FETCH_ALLOWED_NETWORKS above).
# Webhook delivery: per-request timeout, exponential backoff with jitter, and when to give up.
FACTCHECK_WEBHOOKS = {
    "TIMEOUT_SECONDS": float(os.environ.get("FACTCHECK_WEBHOOK_TIMEOUT_SECONDS", "10")),
    "RETRY_BASE_SECONDS": float(os.environ.get("FACTCHECK_WEBHOOK_RETRY_BASE_SECONDS", "30")),
    "RETRY_MAX_SECONDS": float(os.environ.get("FACTCHECK_WEBHOOK_RETRY_MAX_SECONDS", "3600")),
    "GIVE_UP_AFTER_SECONDS": float(os.environ.get("FACTCHECK_WEBHOOK_GIVE_UP_AFTER_SECONDS", str(24 * 3600))),
    "BATCH_SIZE": 100,
}
# --- Languages (issue 21; see docs/i18n.md) ------------------------------------------------------
# The desk and the public site speak these; English is the source and the unprefixed default.
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("az", "Azərbaycanca"), ("hy", "Հայերեն")]
# Our catalogs (makemessages regenerates them), then our Armenian for what Django's own catalogs leave
# untranslated (not regenerated; docs/i18n.md). Both win over Django's catalogs; the first wins over both.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
# Public pages take their language from the URL prefix (/ru/claims/…), the desk from the user's
# preference, then Accept-Language (factcheck.locale). After authentication: it reads the user.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "factcheck.locale.LanguageMiddleware",
)
# Dates and numbers per language: Django's, plus the English "3 December 2026" and Armenian.
FORMAT_MODULE_PATH = ["factcheck.formats"]
# --- Tips from the public (issue 23) --------------------------------------------------------------
# Tips accepted per client address (TRUSTED_PROXY_COUNT decides the address), counted in the shared
# cache, so every instance enforces one limit; the form and POST /api/v1/tips/ share it.
FACTCHECK_TIPS_THROTTLE = os.environ.get("TIPS_THROTTLE", "10/hour")
# A tipster's address is erased this many days after the tip at the latest (sooner when the tip is
# closed, or at the tipster's request from the status page).
FACTCHECK_TIP_CONTACT_RETENTION_DAYS = int(os.environ.get("TIP_CONTACT_RETENTION_DAYS", "180"))
# E-mail (tipster notifications): Django's framework, configured from the environment; the console
# backend prints mails when nothing is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck <noreply@localhost>")

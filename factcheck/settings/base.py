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
                "claims.context_processors.site",
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
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Evidence attachments: what a reviewer may upload, and how much.
EVIDENCE_ATTACHMENT_MAX_BYTES = int(os.environ.get("EVIDENCE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
EVIDENCE_ATTACHMENT_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "txt", "html"]

# Change reasons are free text; the default 100-character column would cut them.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Nobody edits or reverts history rows through the admin's history view by accident.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The organisation that publishes the fact-checks (ClaimReview `author`).
FACTCHECK_ORGANIZATION = {
    "name": os.environ.get("FACTCHECK_ORGANIZATION_NAME", "factcheck desk"),
    # Empty: the site's own home page (claims.site.organization).
    "url": os.environ.get("FACTCHECK_ORGANIZATION_URL", ""),
}
# The public base URL for absolute links (pages, ClaimReview, Atom, API; claims.site.absolute_url).
# Empty: each request's own scheme and host.
FACTCHECK_SITE_URL = os.environ.get("FACTCHECK_SITE_URL", "")
# How long change-feed events are kept; an older cursor gets 410 Gone.
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
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

"""Production: refuses to start without a real secret key and explicit hosts."""

import os

from django.core.exceptions import ImproperlyConfigured

from factcheck.settings.base import *  # noqa: F403
from factcheck.settings.base import ALLOWED_HOSTS, DATABASES, SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", False)

if not SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("development-only"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
FACTCHECK_ALLOW_DEV_USERS = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Persistent database connections: opening one per request costs more than most pages' queries.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- Deployment (issue 10) ---
FACTCHECK_PRODUCTION = True
# Load balancers probe health over plain HTTP, and by address rather than host name.
SECURE_REDIRECT_EXEMPT = [r"^-/health/$"]
# --- Security (issue 11; docs/security.md) ---
# HSTS for a year by default (SECURE_HSTS_SECONDS=0 switches it off, e.g. while testing a new host).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
# Every staff login needs a second factor (TOTP or a backup code), the API's token login too.
FACTCHECK_REQUIRE_2FA = env_bool("FACTCHECK_REQUIRE_2FA", True)

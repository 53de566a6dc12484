"""Tests: development settings with fast hashing and a temporary media root."""

import tempfile

from factcheck.settings.development import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="factcheck-media-")
# Tests that need the manifest build it themselves; plain storage keeps the rest fast.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    # Throttle tests set their own low rates; the rest of the suite must not trip them.
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
# Serve static files straight from the apps in tests (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Per-process cache: throttle tests start from zero; tests/conftest.py empties it per test; the
# deployment tests use the shared one.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "factcheck-tests"}}
# Tip throttle tests set their own low rate.
FACTCHECK_TIPS_THROTTLE = "100000/minute"
# claims.matching: every lookup sees the vectors written just before it.
FACTCHECK_MATCHING_REFRESH_SECONDS = 0

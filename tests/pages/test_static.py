"""Static files: collected with hashed names (cache-busting) and pre-compressed by whitenoise."""

import pytest
from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def brotli_available() -> bool:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.django_db
def test_collectstatic_hashes_and_compresses(tmp_path, client):
    from django.contrib.staticfiles.storage import staticfiles_storage

    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES, WHITENOISE_USE_FINDERS=False):
        # The API docs' bundles are large and not ours; skipping them keeps the test quick.
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["drf_spectacular_sidecar"])
        # (override_settings resets `staticfiles_storage` to the manifest storage and back.)
        hashed = staticfiles_storage.stored_name("claims/site.css")
        html = client.get("/methodology/").content.decode()
    assert hashed != "claims/site.css" and hashed.startswith("claims/site.") and hashed.endswith(".css")
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists()
    if brotli_available():
        assert (tmp_path / f"{hashed}.br").exists()
    assert f'href="/static/{hashed}"' in html

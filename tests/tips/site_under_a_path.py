"""The whole site one path segment down (`/site/…`): a URLconf other than the settings' one, for
the status link's cache (`test_submit_shortcuts.py`)."""

from django.urls import include, path

urlpatterns = [path("site/", include("factcheck.urls"))]

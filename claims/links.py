"""The one builder of absolute URLs: pages, ClaimReview, the Atom feed, the sitemap and the API.

`FACTCHECK_SITE_URL` (e.g. "https://checks.example.org") when it is set — the public address,
whatever host and port the server itself listens on — and otherwise the request's own scheme and
host. Never a guessed default host: outside a request and without the setting, a path stays a path
(the change feed stores paths and the API makes them absolute when it serves them).
"""

from typing import TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def site_url() -> str:
    """The configured public base URL without a trailing slash, or "" when it is not set."""
    configured = (getattr(settings, "FACTCHECK_SITE_URL", "") or "").strip().rstrip("/")
    if configured:
        parts = urlsplit(configured)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                f"FACTCHECK_SITE_URL must be an http(s) URL such as https://checks.example.org, not {configured!r}"
            )
    return configured


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """`path` (starting with "/") as an absolute URL; a URL that already is absolute is returned as is."""
    if path.startswith(("http://", "https://")):
        return path
    base = site_url()
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def origin(request: HttpRequest) -> str:
    """The scheme and host absolute URLs start with for `request`: rendered pages that hold absolute
    URLs are cached once per origin (only one when FACTCHECK_SITE_URL is set)."""
    return site_url() or request.build_absolute_uri("/").rstrip("/")


class Organization(TypedDict):
    name: str
    url: str


def organization(request: HttpRequest | None = None) -> Organization:
    """The publishing organisation (ClaimReview `author`): its URL defaults to the site's home page."""
    configured = settings.FACTCHECK_ORGANIZATION
    return {"name": configured["name"], "url": configured.get("url") or absolute_url("/", request)}

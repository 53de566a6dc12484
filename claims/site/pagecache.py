"""Rendered public pages in Django's cache framework (`caches["default"]`: the shared cache in
production, a local one in tests), keyed by the public revision (`claims.feed.revisions`).

Invalidation is by key: a publish, correction, withdrawal or reference edit moves the revision,
so the next request asks for a key nobody stored yet. The timeout only returns memory.
"""

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils import translation

TIMEOUT = 24 * 60 * 60


@functools.cache
def _templates_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    # A deploy that changes a translation changes the pages too (docs/i18n.md).
    for path in sorted(path for locale in settings.LOCALE_PATHS for path in Path(locale).rglob("*.po")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def release_tag() -> str:
    """Changes when a deploy changes the pages' templates or static files (hashed names), so a page
    cached or revalidated before a deploy is rendered again rather than kept with stale links."""
    return hashlib.sha256(f"{_templates_fingerprint()}|{static('claims/site.css')}".encode()).hexdigest()[:12]


def page_key(*parts: object) -> str:
    """One key per page, language (from the URL prefix) and deploy: a Russian page is never served
    for English."""
    return "claims-page:" + ":".join(str(part) for part in (*parts, translation.get_language(), release_tag()))


def cached_page(key: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page stored under `key`, or `render()`'s (a 200 HttpResponse) after storing its body."""
    cache = caches["default"]
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    return response

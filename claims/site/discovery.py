"""Where machines find the fact-checks: the ClaimReview DataFeed, the sitemap and robots.txt."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from claims.conditional import none_match
from claims.links import absolute_url
from claims.site.datafeed import SITEMAPS, datafeed_chunks, datafeed_version, robots_txt

# Consumers may reuse a copy for five minutes, then revalidate (ETag / Last-Modified → 304).
DATAFEED_CACHE_CONTROL = "public, max-age=300"


@require_safe
def claimreview_datafeed(request: HttpRequest) -> HttpResponseBase:
    version = datafeed_version()
    headers = {
        "ETag": version.etag,
        "Last-Modified": http_date(version.modified.timestamp()),
        "Cache-Control": DATAFEED_CACHE_CONTROL,
    }
    if_none_match = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    if none_match(if_none_match, version.etag) or (
        if_none_match is None and since is not None and int(version.modified.timestamp()) <= since
    ):
        return HttpResponseNotModified(headers=headers)
    response = StreamingHttpResponse(
        datafeed_chunks(version, request), content_type="application/ld+json; charset=utf-8"
    )
    for name, value in headers.items():
        response[name] = value
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="claims:sitemap-section")
    assert response.context_data is not None  # Django's sitemap views always pass a context
    response.context_data["sitemaps"] = [
        sitemap_views.SitemapIndexItem(on_site(item.location, request), item.last_mod)
        for item in response.context_data["sitemaps"]
    ]
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> TemplateResponse:
    response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    assert response.context_data is not None  # Django's sitemap views always pass a context
    for url in response.context_data["urlset"]:
        url["location"] = on_site(url["location"], request)
        for alternate in url.get("alternates", []):  # the page's language versions (hreflang)
            alternate["location"] = on_site(alternate["location"], request)
    return response


def on_site(url: str, request: HttpRequest) -> str:
    """Django's sitemap views build their URLs from the request's scheme and host; the site's one URL
    builder (claims.links.absolute_url) decides instead, so FACTCHECK_SITE_URL holds here too."""
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""), request)


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    sitemap_url = absolute_url(reverse("claims:sitemap"), request)
    return HttpResponse(robots_txt(sitemap_url), content_type="text/plain; charset=utf-8")

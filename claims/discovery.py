"""Where machines find the fact-checks: the ClaimReview DataFeed, the sitemap and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from .api.conditional import none_match
from .datafeed import SITEMAPS, datafeed_chunks, datafeed_version, robots_txt

# Consumers may reuse a copy for five minutes, then revalidate (ETag / Last-Modified → 304).
DATAFEED_CACHE_CONTROL = "public, max-age=300"


@require_safe
def claimreview_datafeed(request):
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
    response = StreamingHttpResponse(datafeed_chunks(version), content_type="application/ld+json; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


@require_safe
def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="claims:sitemap-section")


@require_safe
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


@require_safe
def robots(request):
    sitemap_url = request.build_absolute_uri(reverse("claims:sitemap"))
    return HttpResponse(robots_txt(sitemap_url), content_type="text/plain; charset=utf-8")

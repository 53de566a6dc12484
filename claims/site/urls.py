"""Public, read-only pages (each in every language: `/ru/claims/<slug>/`; English unprefixed), and the
site's unprefixed machine and desk addresses (sitemap, robots.txt, stylesheets, files, 2FA)."""

from django.urls import URLResolver, path
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from claims.intake.evidence_files import evidence_attachment
from claims.security.two_factor import enrol, verify
from claims.site import discovery, tips, views
from claims.site.stylesheets import rating_styles

app_name = "claims"

# The language prefix (factcheck.locale; docs/i18n.md): none for English, /ru/, /az/, /hy/ otherwise.
# What i18n_patterns() builds, written out one level down: i18n_patterns() is refused outside the root
# URLconf (for LocaleMiddleware's sake, which factcheck.locale replaces), and two includes would split
# the `claims` namespace in two.
public_pages = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant-detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/withdrawn/", views.withdrawals, name="withdrawals"),
    path("feeds/verdicts.atom", views.feed, name="feed"),
    # Tips from the public (issue 23), in the site's languages.
    path("tips/new/", tips.tip_new, name="tip-new"),
    path("tips/status/<str:token>/", tips.tip_status, name="tip-status"),
    path("tips/status/<str:token>/forget/", tips.tip_forget_me, name="tip-forget"),
]

urlpatterns = [
    URLResolver(RoutePattern(""), [URLResolver(LocalePrefixPattern(prefix_default_language=False), public_pages)]),
    path("security/2fa/enrol/", enrol, name="2fa-enrol"),
    path("security/2fa/verify/", verify, name="2fa-verify"),
    path("ratings.css", rating_styles, name="rating-styles"),
    path("evidence-files/<path:name>", evidence_attachment, name="evidence-attachment"),
    # Machine consumers (issue 13): sitemap index and sections, robots.txt naming the sitemap.
    path("sitemap.xml", discovery.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", discovery.sitemap_section, name="sitemap-section"),
    path("robots.txt", discovery.robots, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]

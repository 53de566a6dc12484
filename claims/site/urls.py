"""Public, read-only pages."""

from django.urls import path

from claims.intake.evidence_files import evidence_attachment
from claims.security.two_factor import enrol, verify
from claims.site import discovery, views
from claims.site.stylesheets import rating_styles

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant-detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/withdrawn/", views.withdrawals, name="withdrawals"),
    path("feeds/verdicts.atom", views.feed, name="feed"),
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

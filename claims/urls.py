"""Public, read-only pages."""

from django.urls import path

from . import views
from .feeds import VerdictFeed

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant-detail"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("feeds/verdicts.atom", VerdictFeed(), name="feed"),
    path("favicon.ico", views.favicon, name="favicon"),
]

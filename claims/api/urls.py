"""REST API v1, mounted at /api/v1/ (namespace `api`)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from claims.api import (
    auth_views,
    changes,
    claims,
    evidence,
    jobs,
    references,
    sources,
    tips,
    translations,
    verdicts,
    webhooks,
)
from claims.api.docs import SwaggerDocsView
from claims.site.discovery import claimreview_datafeed

app_name = "api"

router = DefaultRouter()
# First: URLs are matched in order, and the public tip POST is the API's hottest write (issue 23's
# bench target); behind nine resources it paid for some sixty pattern matches before its own.
router.register("tips", tips.TipViewSet, basename="tip")
router.register("claims", claims.ClaimViewSet, basename="claim")
router.register("verdicts", verdicts.VerdictViewSet, basename="verdict")
router.register("claimants", references.ClaimantViewSet, basename="claimant")
router.register("sources", sources.SourceViewSet, basename="source")
router.register("evidence", evidence.EvidenceViewSet, basename="evidence")
router.register("ratings", references.RatingViewSet, basename="rating")
router.register("intake-jobs", jobs.IntakeJobViewSet, basename="intake-job")
router.register("translations", translations.VerdictTranslationViewSet, basename="translation")
router.register("webhooks", webhooks.WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("changes/", changes.ChangeFeedView.as_view(), name="changes"),
    path("changes/head/", changes.ChangeFeedHeadView.as_view(), name="changes-head"),
    path("claimreview/", changes.ClaimReviewFeedView.as_view(), name="claimreview"),
    path("claimreview/datafeed.json", claimreview_datafeed, name="claimreview-datafeed"),
    path("auth/login/", auth_views.LoginView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("auth/logoutall/", auth_views.LogoutAllView.as_view(), name="logoutall"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]

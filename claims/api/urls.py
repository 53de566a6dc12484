"""REST API v1, mounted at /api/v1/ (namespace `api`)."""

from django.urls import URLPattern, path
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
    tip_door,
    tips,
    translations,
    verdicts,
    webhooks,
)
from claims.api.docs import SwaggerDocsView
from claims.site.discovery import claimreview_datafeed

app_name = "api"

router = DefaultRouter()
# The tips first: its detail routes and moves are matched before the other resources' patterns
# (`tips/` itself is the quick door's, below).
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

router_urls = router.urls
# `tips/` goes through the quick door for the public's plain tips (`claims.api.tip_door`); every
# other request on it reaches the router's view, which the OpenAPI schema documents.
tip_list = next(p.callback for p in router_urls if isinstance(p, URLPattern) and p.name == "tip-list")

urlpatterns = [
    path("tips/", tip_door.tip_door(tip_list)),
    path("changes/", changes.ChangeFeedView.as_view(), name="changes"),
    path("changes/head/", changes.ChangeFeedHeadView.as_view(), name="changes-head"),
    path("claimreview/", changes.ClaimReviewFeedView.as_view(), name="claimreview"),
    path("claimreview/datafeed.json", claimreview_datafeed, name="claimreview-datafeed"),
    path("auth/login/", auth_views.LoginView.as_view(), name="login"),
    path("auth/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("auth/logoutall/", auth_views.LogoutAllView.as_view(), name="logoutall"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    *router_urls,
]

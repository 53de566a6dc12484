"""REST API v1, mounted at /api/v1/ (namespace `api`)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from ..discovery import claimreview_datafeed
from . import views, webhooks

app_name = "api"

router = DefaultRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("claimants", views.ClaimantViewSet, basename="claimant")
router.register("sources", views.SourceViewSet, basename="source")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("ratings", views.RatingViewSet, basename="rating")
router.register("webhooks", webhooks.WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("changes/", views.ChangeFeedView.as_view(), name="changes"),
    path("changes/head/", views.ChangeFeedHeadView.as_view(), name="changes-head"),
    path("claimreview/", views.ClaimReviewFeedView.as_view(), name="claimreview"),
    path("claimreview/datafeed.json", claimreview_datafeed, name="claimreview-datafeed"),
    path("auth/login/", views.LoginView.as_view(), name="login"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("auth/logoutall/", views.LogoutAllView.as_view(), name="logoutall"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]

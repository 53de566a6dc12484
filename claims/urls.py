"""Public, read-only pages. (Filled in by the public-pages work; the names are fixed here.)"""

from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant-detail"),
]

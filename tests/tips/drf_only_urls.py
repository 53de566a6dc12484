"""The site with `POST /api/v1/tips/` answered by the DRF view alone (no quick door): what the door's
answers are compared with in `test_tip_door.py`."""

from django.urls import include, path

from claims.api.urls import tip_list

urlpatterns = [
    path("api/v1/tips/", tip_list),
    path("", include("factcheck.urls")),
]

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "factcheck desk"
admin.site.site_title = "factcheck desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]
# MEDIA is never served as such, not even with DEBUG: evidence attachments are served only by the
# permission-checked view in claims/evidence_files.py (issue 11).

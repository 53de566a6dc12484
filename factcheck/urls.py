from django.contrib import admin
from django.urls import include, path

from claims.admin.language import desk_language_view
from factcheck.health import health

admin.site.site_header = "factcheck desk"
admin.site.site_title = "factcheck desk"

urlpatterns = [
    path("-/health/", health, name="health"),
    # Before the admin's catch-all: the desk user's own language (docs/i18n.md).
    path("admin/language/", admin.site.admin_view(desk_language_view), name="desk-language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.site.urls")),
]

# A database outage raised outside a view is answered 503 too (see factcheck.middleware).
handler500 = "factcheck.views.server_error"

# MEDIA is never served as such, not even with DEBUG: evidence attachments are served only by the
# permission-checked view in claims/intake/evidence_files.py (issue 11).

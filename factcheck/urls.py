from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from factcheck.health import health

admin.site.site_header = "factcheck desk"
admin.site.site_title = "factcheck desk"

urlpatterns = [
    path("-/health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]

# A database outage raised outside a view is answered 503 too (see factcheck.middleware).
handler500 = "factcheck.views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "factcheck desk"
admin.site.site_title = "factcheck desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

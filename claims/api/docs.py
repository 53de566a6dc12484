"""Swagger UI under the strict CSP: the initialiser is served as a script file (drf-spectacular's
split view) and the page's styles come from a static stylesheet, so the page has no inline code."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "claims/api/swagger_ui.html"

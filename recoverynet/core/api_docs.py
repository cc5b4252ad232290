"""The API documentation pages, served from this site only and working under
its strict Content Security Policy (no inline script or style)."""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """/api/docs/: Swagger UI from local static files, start-up script fetched
    from the same URL (?script), so nothing inline and nothing from other hosts."""

    url_name = "api-schema"
    template_name = "api/swagger_ui.html"


class RedocDocsView(SpectacularRedocView):
    """/api/redoc/: Redoc from local static files, without drf-spectacular's web
    fonts from Google or its inline style."""

    url_name = "api-schema"
    template_name = "api/redoc.html"

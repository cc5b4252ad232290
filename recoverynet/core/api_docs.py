"""The API documentation pages, served from this site only and working under
its strict Content Security Policy (no inline script or style)."""

from functools import cache

from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
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


# --- The API reference, as a page of the site ---------------------------------------

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@cache
def api_operations() -> tuple[dict, tuple]:
    """(info, groups) from the OpenAPI schema: each group a tag and its operations
    (method, path, summary, description, parameters, responses). Built once per
    process: the schema changes only with the code."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    groups: dict[str, list] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [
                {
                    "name": p.get("name", ""),
                    "where": {"query": "query", "path": "path", "header": "header"}.get(p.get("in"), p.get("in", "")),
                    "required": bool(p.get("required")),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            responses = [
                {"status": status, "description": response.get("description", "")}
                for status, response in sorted(operation.get("responses", {}).items())
            ]
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": responses,
                    "has_body": "requestBody" in operation,
                }
            )
    return schema.get("info", {}), tuple(sorted(groups.items()))


class ApiReferenceView(TemplateView):
    """/api/: the API's reference on the site's own accessible pages (GOV.UK
    design, no JavaScript), from the same OpenAPI schema as /api/schema/. Swagger
    UI and ReDoc stay for developers who want to try calls."""

    template_name = "core/api_reference.html"

    def get_context_data(self, **kwargs):
        info, groups = api_operations()
        return super().get_context_data(info=info, groups=groups, **kwargs)

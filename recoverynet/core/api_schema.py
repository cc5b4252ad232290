"""The OpenAPI schema says what the API does: the limits it enforces on query
parameters and the error responses every operation can give.

drf-spectacular documents a django-filter field by its type only; the
extension here adds the filter's own limits (max_length, min_value,
max_value). The postprocessing hook adds the errors that come from shared
machinery rather than from one view: 400 for bad parameters or a body that
is not JSON, 404 for a page past the end (page=0 included) or an object not
found, 403 for writes, 429 when over the rate."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension

UNSAFE_METHODS = {"post", "put", "patch", "delete"}


class FilterLimitsExtension(DjangoFilterExtension):
    """django-filter parameters with their form fields' limits."""

    priority = 1  # over drf-spectacular's own extension for the same backend

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        limits = {
            "maxLength": filter_field.extra.get("max_length"),
            "minimum": filter_field.extra.get("min_value"),
            "maximum": filter_field.extra.get("max_value"),
        }
        for parameter in parameters:
            schema = parameter["schema"]
            target = schema.get("items", schema) if schema.get("type") == "array" else schema
            for key, value in limits.items():
                applies = (key == "maxLength") == (target.get("type") == "string")
                if value is not None and applies:
                    target[key] = float(value) if key != "maxLength" else value
        return parameters


ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}
INVALID_INPUT = {
    "description": "Invalid input: a list of messages per field or parameter name (errors about the whole "
    "request are under non_field_errors), or a body that is not JSON (detail).",
    "content": {"application/json": {"schema": {"type": "object", "additionalProperties": {}}}},
}
RESPONSES = {
    "400": INVALID_INPUT,
    "403": {
        "description": "Not signed in, or not allowed to do this.",
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    },
    "404": {
        "description": "Not found, or not visible to you; for a list, a page that is not a whole number "
        "from 1 to the last page.",
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    },
    "429": {
        "description": "Too many requests: try again after Retry-After seconds.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
        "content": {"application/json": {"schema": ERROR_SCHEMA}},
    },
}


def error_codes_of(path, method, operation) -> set[str]:
    """The error statuses an operation can give because of shared machinery."""
    query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    codes = {"429"}
    if query or "requestBody" in operation:
        codes.add("400")
    if "page" in query or "{" in path:
        codes.add("404")
    if method in UNSAFE_METHODS:
        codes |= {"400", "403"}
    return codes


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation lists its errors (kept when a view describes them)."""
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(error_codes_of(path, method, operation)):
                responses.setdefault(code, RESPONSES[code])
    return result

"""The site's error handlers (config.urls handler400/403/404/500).

Under /api/ an error is REST framework's JSON ({"detail": "..."}) and under
/openreferral/ that API's own ({"code": 404, "message": "..."}), whatever
raised it, an unknown URL included: a client of the API never gets a page
of HTML. Everywhere else the site's own pages. None of them says what went
wrong beyond the status: no exception text, no traceback."""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"
OPENREFERRAL_PREFIX = "/openreferral/"

MESSAGES = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "A server error occurred.",
}


def json_error_for(request, status):
    """The JSON error response for `request`'s API, or None for the site's pages."""
    path = request.path
    message = MESSAGES[status]
    if path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    if path.startswith(OPENREFERRAL_PREFIX):
        response = JsonResponse({"code": status, "message": message}, status=status)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return None


def bad_request(request, exception):
    return json_error_for(request, 400) or defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return json_error_for(request, 403) or defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return json_error_for(request, 404) or defaults.page_not_found(request, exception)


def server_error(request):
    # No context and no request for the page: 500.html stands alone (the error may be in the templates).
    return json_error_for(request, 500) or defaults.server_error(request)

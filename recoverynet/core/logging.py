"""Error reports that carry no personal data.

Django's default filter hides settings and POST values that look like
secrets; ours hides every POST value, cookie and query string, and the
local variables of every frame, because any of them may hold a person's
health information."""

import logging

from django.db import DatabaseError
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter


class PersonalDataSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in ("HTTP_COOKIE", "QUERY_STRING", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"):
            if key in meta:
                meta[key] = self.cleansed_substitute
        # URLs with their query strings (the referring page, gunicorn's raw URI).
        for key in ("HTTP_REFERER", "RAW_URI", "REQUEST_URI"):
            if isinstance(meta.get(key), str) and "?" in meta[key]:
                meta[key] = meta[key].split("?", 1)[0] + "?" + self.cleansed_substitute
        return meta

    def get_safe_cookies(self, request):
        if not hasattr(request, "COOKIES"):
            return {}
        return dict.fromkeys(request.COOKIES, self.cleansed_substitute)


class PersonalDataSafeExceptionReporter(ExceptionReporter):
    """Django's reporter also shows the user (its __str__ is the display name),
    GET parameters, uploaded file names and the full URL: not ours."""

    def _get_raw_insecure_uri(self):
        return f"{self.request.scheme}://{self.request._get_raw_host()}{self.request.path}"

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            user = getattr(self.request, "user", None)
            data["user_str"] = f"Person #{user.pk}" if getattr(user, "is_authenticated", False) else None
            data["request_GET_items"] = [(key, self.filter.cleansed_substitute) for key in self.request.GET]
            data["request_FILES_items"] = [(key, self.filter.cleansed_substitute) for key in self.request.FILES]
        if isinstance(self.exc_value, DatabaseError):
            data["exception_value"] = WITHHELD
            for frame in data.get("frames", []):
                if frame.get("exc_cause") is not None:
                    frame["exc_cause"] = WITHHELD
        return data


WITHHELD = "(details withheld: database messages may quote personal data)"


def _withhold_database_details(exc_info):
    exc_type, exc_value, tb = exc_info
    if exc_value is None or not isinstance(exc_value, DatabaseError):
        return exc_info
    # A fresh exception: no message and no chained driver error (whose text has the values).
    try:
        safe = exc_type(WITHHELD)
    except TypeError:
        safe = DatabaseError(WITHHELD)
    return (type(safe), safe.with_traceback(tb), tb)


class WithholdDatabaseErrorDetails(logging.Filter):
    """PostgreSQL's messages quote the values that broke a constraint
    ("Key (email)=(...) already exists"): log the error's type and traceback,
    never its message."""

    def filter(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_info = _withhold_database_details(record.exc_info)
            record.exc_text = None
        return True

"""Error reports that carry no personal data.

Django's default filter hides settings and POST values that look like
secrets; ours hides every POST value, cookie and query string, and the
local variables of every frame, because any of them may hold a person's
health information."""

from django.views.debug import SafeExceptionReporterFilter


class PersonalDataSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in ("HTTP_COOKIE", "QUERY_STRING", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR"):
            if key in meta:
                meta[key] = self.cleansed_substitute
        return meta

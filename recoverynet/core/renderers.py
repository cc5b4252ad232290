"""The API's JSON renderer: REST framework's default (REST_FRAMEWORK settings), so
this module imports nothing that reads those settings at import time."""

from rest_framework import renderers


class SafeJSONRenderer(renderers.JSONRenderer):
    """JSON with <, > and & written as \\u escapes (as Django's json_script does):
    the data is unchanged for every JSON parser, but a response body never
    contains markup, even if it is sniffed or pasted into a page."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        content = super().render(data, accepted_media_type, renderer_context)
        # In JSON these characters can only occur inside strings, where the escapes mean the same.
        return content.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")

"""Audited downloads are POSTs.

A download that writes an audit entry ("exported") changes state, so it must
not happen on a GET: a link or an <img> on any page could otherwise add entries
in a coordinator's name. The GET of a download's address shows a short page
saying what the file holds, with a "Download CSV" button: a form that POSTs
(with its CSRF token) to the same address, query string and all, so it works
without JavaScript.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class DownloadOnPostMixin:
    """For a View: `get` shows the button page, `post` calls `download(request)`.

    Checks that refuse (sign in, permission, bad parameters) belong in `dispatch`
    or a mixin before this one, so the page and the download refuse alike."""

    download_title = "Download"
    download_description = ""

    def download(self, request):
        raise NotImplementedError

    def download_context(self, request) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        context = {
            "title": self.download_title,
            "description": self.download_description,
            "action": request.get_full_path(),
            **self.download_context(request),
        }
        response = render(request, "core/download.html", context)
        add_never_cache_headers(response)
        return response

    def post(self, request, *args, **kwargs):
        return self.download(request)

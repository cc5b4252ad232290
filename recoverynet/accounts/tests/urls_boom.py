"""A URLconf for test_logging: a view that fails after reading personal data."""

from django.urls import include, path


def boom(request):
    request.POST.get("display_name")  # the view touched personal data...
    raise RuntimeError("Something broke")  # ...and then failed


urlpatterns = [
    path("boom/", boom),
    path("accounts/", include("allauth.urls")),
    path("me/", include("recoverynet.accounts.urls")),
]

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from recoverynet.core.api_docs import RedocDocsView, SwaggerDocsView

urlpatterns = [
    path("", include("recoverynet.core.urls")),
    path("", include("recoverynet.federation.urls")),
    path("", include("recoverynet.directory.urls")),
    path("", include("recoverynet.timebank.urls")),
    path("", include("recoverynet.outcomes.urls")),
    path("", include("recoverynet.recoverycapital.urls")),
    path("", include("recoverynet.volunteering.urls")),
    path("", include("recoverynet.initiatives.urls")),
    path("", include("recoverynet.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerDocsView.as_view(), name="api-docs"),
    path("api/redoc/", RedocDocsView.as_view(), name="api-redoc"),
    path("admin/", admin.site.urls),
]

# JSON under /api/ and /openreferral/, the site's pages elsewhere (recoverynet.core.error_views).
handler400 = "recoverynet.core.error_views.bad_request"
handler403 = "recoverynet.core.error_views.permission_denied"
handler404 = "recoverynet.core.error_views.page_not_found"
handler500 = "recoverynet.core.error_views.server_error"

"""Open Referral UK 3.0 API, mounted at /openreferral/ (paths exactly as the standard's openapi.json)."""

from django.urls import path

from . import views

app_name = "openreferral"

urlpatterns = [
    path("", views.ApiDetails.as_view(), name="api_details"),
    path("services", views.ServiceList.as_view(), name="service_list"),
    path("services/<str:id>", views.ServiceDetail.as_view(), name="service_detail"),
    path("organizations", views.OrganizationList.as_view(), name="organization_list"),
    path("organizations/<str:id>", views.OrganizationDetail.as_view(), name="organization_detail"),
    path("service_at_locations", views.ServiceAtLocationList.as_view(), name="service_at_location_list"),
    path("service_at_locations/<str:id>", views.ServiceAtLocationDetail.as_view(), name="service_at_location_detail"),
    path("taxonomies", views.TaxonomyList.as_view(), name="taxonomy_list"),
    path("taxonomies/<str:id>", views.TaxonomyDetail.as_view(), name="taxonomy_detail"),
    path("taxonomy_terms", views.TaxonomyTermList.as_view(), name="taxonomy_term_list"),
    path("taxonomy_terms/<str:id>", views.TaxonomyTermDetail.as_view(), name="taxonomy_term_detail"),
]

"""The bases every app's API viewsets are declared on."""

from rest_framework import mixins, permissions, viewsets

from .api import SLUG_PATTERN, RulesObjectPermission


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list and detail anyone may read, by slug (override lookup_field and
    lookup_value_regex for another key). Renderers, parsers, pagination and
    errors come from REST_FRAMEWORK's defaults."""

    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN


class ReadWriteQuerysetMixin:
    """Reads list what anyone may see, prefetched (`read_queryset`); writes find
    plain rows (`write_queryset`), so services see fresh relations."""

    def read_queryset(self):
        raise NotImplementedError

    def write_queryset(self):
        return self.read_queryset()

    def get_queryset(self):
        if self.request is not None and self.request.method not in permissions.SAFE_METHODS:
            return self.write_queryset()
        return self.read_queryset()


class PublicWritableViewSet(
    ReadWriteQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Anyone reads, by slug; people the rules allow create (POST) and change (PATCH)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, RulesObjectPermission]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

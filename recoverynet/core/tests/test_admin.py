import pytest
from django.urls import reverse

from recoverynet.core import audit
from recoverynet.core.models import AuditEntry
from recoverynet.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(view, *args):
    return reverse(f"admin:core_auditentry_{view}", args=args)


@pytest.fixture
def entries(world):
    own = audit.record(
        actor=world.users["network_coordinator"], action=AuditEntry.Action.UPDATE, instance=world.own_settlement,
        network=world.own_network, changes={"town": ["Preston", "Carlisle"]},
    )  # fmt: skip
    other = audit.record(
        actor=None, action=AuditEntry.Action.CREATE, instance=world.other_settlement, network=world.other_network
    )
    return own, other


def test_network_coordinator_sees_only_their_networks_entries(world, staff_client, entries):
    own, other = entries
    client = staff_client("network_coordinator")
    response = client.get(url("changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]
    assert client.get(url("change", own.pk)).status_code == 200
    assert client.get(url("change", other.pk)).status_code == 404


def test_federation_coordinator_sees_every_entry(world, staff_client, entries):
    response = staff_client("federation_coordinator").get(url("changelist"))
    assert set(response.context["cl"].result_list) == set(entries)


def test_entries_cannot_be_added_changed_or_deleted_even_by_a_superuser(world, staff_client, entries):
    own, _ = entries
    client = staff_client("admin")
    assert client.get(url("add")).status_code == 403
    assert client.post(url("add"), {"action": "create", "object_repr": "Forged"}).status_code == 403
    assert client.post(url("change", own.pk), {"object_repr": "Rewritten", "summary": "x"}).status_code == 403
    assert client.get(url("delete", own.pk)).status_code == 403
    assert client.post(url("delete", own.pk), {"post": "yes"}).status_code == 403
    response = client.post(url("changelist"), {"action": "delete_selected", "_selected_action": [own.pk]})
    assert response.status_code in (200, 302)
    own.refresh_from_db()
    assert own.object_repr == "Settlement Carlisle Hub"
    assert AuditEntry.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(object_repr="Forged").exists()


def test_the_change_page_is_read_only_and_shows_the_changes(world, staff_client, entries):
    own, _ = entries
    response = staff_client("admin").get(url("change", own.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Carlisle" in content
    assert 'name="object_repr"' not in content  # no inputs
    assert "Coordinator" in content  # the actor's display name


def test_search_by_object_repr_and_filter_by_action_and_network(world, staff_client, entries):
    own, other = entries
    client = staff_client("federation_coordinator")
    assert list(client.get(url("changelist"), {"q": "Bootle"}).context["cl"].result_list) == [other]
    assert list(client.get(url("changelist"), {"action__exact": "update"}).context["cl"].result_list) == [own]
    response = client.get(url("changelist"), {"network__id__exact": world.other_network.pk})
    assert list(response.context["cl"].result_list) == [other]


def test_the_list_takes_the_same_queries_for_3_or_30_entries(world, staff_client):
    client = staff_client("federation_coordinator")

    def add(n):
        for _ in range(n):
            audit.record(actor=world.users["member"], action="update", instance=world.own_settlement,
                         network=world.own_network)  # fmt: skip

    client.get(url("changelist"))  # warm caches (content types, sessions)
    response = assert_constant_queries(lambda: client.get(url("changelist")), add)
    assert response.context["cl"].result_count >= 30


def test_every_apps_admin_form_works_without_javascript_and_assumes_https(rf, world):
    """Walks the admin registry, so a new app's admin is covered without being listed:
    many-to-many fields are checkboxes, and a web address without a scheme is https."""
    from django import forms
    from django.contrib import admin as django_admin

    from recoverynet.core.admin_base import ScopedModelAdmin

    request = rf.get("/")
    request.user = world.users["federation_coordinator"]
    seen = set()
    for model, model_admin in django_admin.site._registry.items():
        if not isinstance(model_admin, ScopedModelAdmin):
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not field.concrete and not field.many_to_many:
                continue
            formfield = model_admin.formfield_for_dbfield(field, request=request)
            if formfield is None:
                continue
            if field.many_to_many and field.remote_field.through._meta.auto_created:
                widget = getattr(formfield.widget, "widget", formfield.widget)  # inside the related-object wrapper
                assert isinstance(widget, forms.CheckboxSelectMultiple), f"{model.__name__}.{field.name}"
                seen.add("checkboxes")
            if isinstance(formfield, forms.URLField):
                assert formfield.assume_scheme == "https", f"{model.__name__}.{field.name}"
                seen.add("https")
    assert seen == {"checkboxes", "https"}


def test_an_admin_that_chooses_another_widget_for_a_field_keeps_it(rf, world):
    from django.contrib import admin as django_admin
    from django.contrib.admin.widgets import ManyToManyRawIdWidget

    from recoverynet.core.admin_base import ScopedModelAdmin
    from recoverynet.federation.models import Organisation

    class RawIds(ScopedModelAdmin):
        raw_id_fields = ("networks",)

    request = rf.get("/")
    request.user = world.users["federation_coordinator"]
    field = Organisation._meta.get_field("networks")
    formfield = RawIds(Organisation, django_admin.site).formfield_for_dbfield(field, request=request)
    assert isinstance(formfield.widget, ManyToManyRawIdWidget)

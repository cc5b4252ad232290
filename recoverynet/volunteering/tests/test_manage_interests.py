"""The shared list of interests, looked after by the federation's coordinators on
/volunteering/manage/interests/: adding, renaming, removing one nobody uses; names
unique whatever their case; any text sent, never a 500 and nothing written when refused."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.core.models import AuditEntry
from recoverynet.testing import assert_constant_queries
from recoverynet.volunteering import services
from recoverynet.volunteering.factories import RoleFactory
from recoverynet.volunteering.models import Interest, MemberInterest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_interests")]

URL = "/volunteering/manage/interests/"
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture
def coordinator(world):
    return world.users["federation_coordinator"]


@pytest.fixture
def birds(coordinator):
    return services.add_interest(actor=coordinator, name="Bird watching")


def rename_url(interest):
    return reverse("volunteering:manage:interest_rename", kwargs={"pk": interest.pk})


def remove_url(interest):
    return reverse("volunteering:manage:interest_remove", kwargs={"pk": interest.pk})


def written():
    return sorted(Interest.objects.values_list("pk", "name")), AuditEntry.objects.count()


def tag(world, interest, **fields):
    role = RoleFactory(network=world.own_network, settlement=world.own_settlement, **fields)
    role.interests.add(interest)
    return role


# --- Services ------------------------------------------------------------------------


def test_a_federation_coordinator_adds_one_and_it_is_audited(coordinator):
    interest = services.add_interest(actor=coordinator, name="  Bird \t watching\n ")
    assert Interest.objects.get(pk=interest.pk).name == "Bird watching"  # trimmed, one space between words
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.actor, entry.network) == (AuditEntry.Action.CREATE, coordinator, None)
    assert entry.object_repr == "Volunteering interest Bird watching"
    assert entry.changes["name"] == [None, "Bird watching"]


@pytest.mark.parametrize("role", ["member", "settlement_host", "network_coordinator", "commissioner"])
def test_nobody_else_changes_the_list(world, birds, role):
    actor = world.users[role]
    before = written()
    with pytest.raises(PermissionDenied):
        services.add_interest(actor=actor, name="Knitting")
    with pytest.raises(PermissionDenied):
        services.rename_interest(actor=actor, interest=birds, name="Birding")
    with pytest.raises(PermissionDenied):
        services.remove_interest(actor=actor, interest=birds)
    assert written() == before


@pytest.mark.parametrize("name", ["events", "EVENTS", " Events ", "Cooking  and FOOD"])
def test_a_name_the_list_has_in_any_case_is_refused(coordinator, name):
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.add_interest(actor=coordinator, name=name)
    assert caught.value.message_dict["name"][0].startswith("There is already an interest called ")
    assert written() == before


def test_names_differing_only_in_accented_capitals_are_one(coordinator):
    """Compared in Python, so SQLite (whose LOWER knows only ASCII) refuses them too."""
    services.add_interest(actor=coordinator, name="Café mornings")
    with pytest.raises(ValidationError):
        services.add_interest(actor=coordinator, name="CAFÉ MORNINGS")
    with pytest.raises(ValidationError):  # "é" typed as "e" and a combining accent: the same name
        services.add_interest(actor=coordinator, name="Cafe\u0301 mornings")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the interest."),
        (" \n\t ", "Enter a name for the interest."),
        ("x" * 61, "Keep the name to 60 characters or fewer."),
        ("Bell\x00ringing", "Use letters, numbers, spaces and punctuation only."),
        ("Events\u200b", "Use letters, numbers, spaces and punctuation only."),  # invisible: a look-alike
        ("\u202eEvents", "Use letters, numbers, spaces and punctuation only."),  # right-to-left override
        ("Events \ue000", "Use letters, numbers, spaces and punctuation only."),  # private use
        (None, "Enter a name for the interest."),
    ],
)
def test_a_name_must_be_1_to_60_characters_of_text(coordinator, name, message):
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.add_interest(actor=coordinator, name=name)
    assert caught.value.message_dict == {"name": [message]}
    assert written() == before
    assert services.add_interest(actor=coordinator, name="y" * 60).name == "y" * 60


@pytest.mark.parametrize("other_request_wins_at", ["validation", "insert"])
def test_an_add_that_loses_a_race_gets_the_same_clear_error(coordinator, monkeypatch, other_request_wins_at):
    """Another coordinator adds the same name (in another case) between this one's check and its
    insert: the unique check or the database constraint notices, and the message is the same."""
    real_create_instance = services.create_instance

    def other_request_commits_first(*, instance, **kwargs):
        Interest.objects.create(name="bird WATCHING")
        if other_request_wins_at == "insert":
            instance.full_clean = lambda **_: None  # this request validated before the other committed
        return real_create_instance(instance=instance, **kwargs)

    monkeypatch.setattr(services, "create_instance", other_request_commits_first)
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.add_interest(actor=coordinator, name="Bird watching")
    assert caught.value.message_dict == {
        "name": ["There is already an interest called Bird watching: choose another name."]
    }
    assert not Interest.objects.filter(name="Bird watching").exists()
    assert AuditEntry.objects.count() == audited


def test_renaming_keeps_the_roles_and_members_that_chose_it(world, coordinator, birds):
    role = tag(world, birds)
    MemberInterest.objects.create(user=world.users["member"], interest=birds)
    changes = services.rename_interest(actor=coordinator, interest=birds, name="Birdwatching ")
    assert changes == {"name": ["Bird watching", "Birdwatching"]} and birds.name == "Birdwatching"
    assert list(role.interests.values_list("name", flat=True)) == ["Birdwatching"]
    assert MemberInterest.objects.get(user=world.users["member"]).interest.name == "Birdwatching"
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.actor, entry.network, entry.summary) == (
        AuditEntry.Action.UPDATE,
        coordinator,
        None,
        "Interest renamed",
    )
    # Its own name in another case is no clash; nothing changed, nothing audited.
    assert services.rename_interest(actor=coordinator, interest=birds, name="BIRDWATCHING") == {
        "name": ["Birdwatching", "BIRDWATCHING"]
    }
    audited = AuditEntry.objects.count()
    assert services.rename_interest(actor=coordinator, interest=birds, name="BIRDWATCHING") == {}
    assert AuditEntry.objects.count() == audited


def test_renaming_to_another_interests_name_is_refused(coordinator, birds):
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.rename_interest(actor=coordinator, interest=birds, name="peer SUPPORT")
    assert caught.value.message_dict == {
        "name": ["There is already an interest called Peer support: choose another name."]
    }
    assert written() == before
    assert Interest.objects.get(pk=birds.pk).name == "Bird watching"


def test_removing_one_in_use_is_refused_saying_by_how_many(world, coordinator, birds):
    tag(world, birds)
    hidden = tag(world, birds, is_published=False)  # unpublished, still tagged: counted
    MemberInterest.objects.create(user=world.users["member"], interest=birds)
    before = written()
    with pytest.raises(ValidationError) as caught:
        services.remove_interest(actor=coordinator, interest=birds)
    assert caught.value.messages == [
        "You cannot remove Bird watching: 2 roles are tagged with it and members have chosen it. "
        "Removing it would take it away from them. Rename it instead if its name is wrong."
    ]
    assert written() == before
    MemberInterest.objects.all().delete()
    hidden.interests.clear()
    with pytest.raises(ValidationError, match="1 role is tagged with it\\. Removing"):
        services.remove_interest(actor=coordinator, interest=birds)


def test_removing_one_only_members_chose_is_refused(world, coordinator, birds):
    for role in ("member", "settlement_host"):
        MemberInterest.objects.create(user=world.users[role], interest=birds)
    with pytest.raises(ValidationError, match="Bird watching: members have chosen it\\."):
        services.remove_interest(actor=coordinator, interest=birds)
    assert Interest.objects.filter(pk=birds.pk).exists()


def test_removing_one_nobody_uses(coordinator, birds):
    services.remove_interest(actor=coordinator, interest=birds)
    assert not Interest.objects.filter(pk=birds.pk).exists()
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.actor, entry.network, entry.object_repr) == (
        AuditEntry.Action.DELETE,
        coordinator,
        None,
        "Volunteering interest Bird watching",
    )
    with pytest.raises(ValidationError, match="already been removed"):
        services.remove_interest(actor=coordinator, interest=birds)
    with pytest.raises(ValidationError, match="has been removed"):
        services.rename_interest(actor=coordinator, interest=birds, name="Birding")


# --- Pages ---------------------------------------------------------------------------


def test_the_page_lists_each_interest_with_its_published_roles(world, client_for, coordinator, birds):
    tag(world, birds)
    tag(world, birds)
    tag(world, birds, is_published=False)
    response = client_for(coordinator).get(URL)
    assert response.status_code == 200
    counts = {i.name: i.published_roles for i in response.context["interests"]}
    assert counts["Bird watching"] == 2 and counts["Events"] == 0
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Volunteering interests</h1>' in page
    assert f'action="{rename_url(birds)}"' in page and f'action="{remove_url(birds)}"' in page
    assert f'id="id_interest-{birds.pk}-name"' in page and 'value="Bird watching"' in page


def test_the_manage_home_links_to_it_for_federation_coordinators_only(world, client_for):
    assert URL in client_for(world.users["federation_coordinator"]).get("/volunteering/manage/").content.decode()
    assert URL not in client_for(world.users["network_coordinator"]).get("/volunteering/manage/").content.decode()


def test_adding_through_the_page(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(URL, {"add-name": " Knitting "}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Knitting has been added to the list." in response.content.decode()
    assert Interest.objects.filter(name="Knitting").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter a name for the interest."),
        ("gardening AND outdoors", "There is already an interest called Gardening and outdoors: choose another name."),
        ("z" * 61, "Keep the name to 60 characters or fewer."),
    ],
)
def test_add_errors_are_in_the_error_summary(client_for, coordinator, name, message):
    before = written()
    response = client_for(coordinator).post(URL, {"add-name": name})
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    assert f'<a href="#id_add-name">{message}</a>' in summary
    assert "<title>Error: " in page
    assert written() == before


def test_renaming_through_the_page(client_for, coordinator, birds):
    response = client_for(coordinator).post(rename_url(birds), {f"interest-{birds.pk}-name": "Birding"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Bird watching is now called Birding." in response.content.decode()
    assert Interest.objects.get(pk=birds.pk).name == "Birding"


def test_rename_errors_are_in_the_error_summary_and_its_row(client_for, coordinator, birds):
    before = written()
    response = client_for(coordinator).post(rename_url(birds), {f"interest-{birds.pk}-name": "EVENTS"})
    assert response.status_code == 200
    page = response.content.decode()
    message = "There is already an interest called Events: choose another name."
    assert f'<a href="#id_interest-{birds.pk}-name">{message}</a>' in page
    row = page[page.index(f'id="interest-{birds.pk}"') :]
    assert row.index('<details class="govuk-details govuk-!-margin-bottom-0" open>') < row.index(message)
    assert 'value="EVENTS"' in row  # what they typed, to put right
    assert written() == before


def test_removing_through_the_page(world, client_for, coordinator, birds):
    client = client_for(coordinator)
    tag(world, birds)
    response = client.post(remove_url(birds), follow=True)
    assert response.redirect_chain == [(URL, 302)]
    page = response.content.decode()
    assert "There is a problem" in page and "You cannot remove Bird watching: 1 role is tagged with it." in page
    assert Interest.objects.filter(pk=birds.pk).exists()
    birds.roles.clear()
    response = client.post(remove_url(birds), follow=True)
    assert "Bird watching has been removed from the list." in response.content.decode()
    assert not Interest.objects.filter(pk=birds.pk).exists()
    assert client.post(remove_url(birds)).status_code == 404


def test_only_posts_rename_and_remove(client_for, coordinator, birds):
    client = client_for(coordinator)
    assert client.get(rename_url(birds)).status_code == 405
    assert client.get(remove_url(birds)).status_code == 405


def test_the_page_runs_a_constant_number_of_queries(world, client_for, coordinator):
    client = client_for(coordinator)
    client.get(URL)  # warm caches (content types, the session) before counting
    numbers = itertools.count()

    def add_rows(n):
        for _ in range(n):
            interest = Interest.objects.create(name=f"Interest {next(numbers)}")
            tag(world, interest)

    response = assert_constant_queries(lambda: client.get(URL), add_rows)
    assert sum(1 for i in response.context["interests"] if i.name.startswith("Interest ")) == 30
    assert all(i.published_roles == 1 for i in response.context["interests"] if i.name.startswith("Interest "))


# --- Any text -----------------------------------------------------------------------

any_name = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["Events", "events ", "  ", "x" * 60, "x" * 61, "Bird\x00", "Peer\nsupport", "ÉVÉNEMENTS"]),
)


@EXAMPLES
@given(name=any_name)
def test_any_name_to_add(client_for, coordinator, name):
    client = client_for(coordinator)
    before_rows, before_audit = written()
    response = client.post(URL, {"add-name": name})
    assert response.status_code in (200, 302)
    after_rows, after_audit = written()
    if response.status_code == 200:
        assert (after_rows, after_audit) == (before_rows, before_audit)  # refused: nothing written
        assert "govuk-error-summary" in response.content.decode()
    else:
        assert len(after_rows) == len(before_rows) + 1 and after_audit == before_audit + 1


@EXAMPLES
@given(name=any_name)
def test_any_name_to_rename(client_for, coordinator, birds, name):
    client = client_for(coordinator)
    before_rows, before_audit = written()
    response = client.post(rename_url(birds), {f"interest-{birds.pk}-name": name})
    assert response.status_code in (200, 302)
    after_rows, after_audit = written()
    if response.status_code == 200:
        assert (after_rows, after_audit) == (before_rows, before_audit)
        assert "govuk-error-summary" in response.content.decode()
    else:
        assert [pk for pk, _ in after_rows] == [pk for pk, _ in before_rows]
        assert after_audit - before_audit in (0, 1)  # 0: the same name sent again


def test_the_default_list_made_again_respects_a_rename_in_another_case(coordinator):
    """The demo and the tests make the default list again where it was flushed: "events" is "Events"."""
    from recoverynet.volunteering.demo import ensure_default_interests

    services.rename_interest(actor=coordinator, interest=Interest.objects.get(name="Events"), name="events")
    ensure_default_interests()
    assert list(Interest.objects.filter(name__iexact="events").values_list("name", flat=True)) == ["events"]

"""The offers and requests pages: the journey, the browse page's filters and
query count, the coordinators' pages, and any input in any form or query
string (a clear error, never a 500, nothing written)."""

import itertools

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoverynet.testing import assert_constant_queries
from recoverynet.timebank import services
from recoverynet.timebank.factories import MemberAccountFactory
from recoverynet.timebank.models import Block, Category, Exchange, Post, Report, Response, Vetting

pytestmark = pytest.mark.django_db

ANY_TEXT = st.one_of(st.text(max_size=40), st.text(max_size=2100), st.sampled_from(["", " ", "\x00", "0", "-1"]))
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture
def offers(world, accounts):
    services.ensure_default_categories()
    categories = {c.slug: c for c in Category.objects.all()}
    neighbour = accounts["neighbour"]
    offer = services.create_post(
        actor=neighbour.user,
        account=neighbour,
        data={
            "kind": "offer",
            "category": categories["gardening"],
            "title": "Help in your garden",
            "description": "Saturday mornings",
            "visibility": "network",
        },
    )
    return {"categories": categories, "offer": offer, **accounts}


def test_post_find_answer_and_agree(world, accounts, client_for):
    services.ensure_default_categories()
    member = world.users["member"]
    poster = client_for(member)
    page = poster.get(reverse("timebank:post_list")).content.decode()
    new_url = reverse("timebank:post_new", kwargs={"pk": accounts["own"].pk})
    assert f'href="{new_url}"' in page
    cooking = Category.objects.get(slug="cooking")
    response = poster.post(
        new_url,
        {
            "kind": "offer",
            "category": cooking.pk,
            "title": "Batch cooking for the week",
            "description": "I can cook for two",
            "visibility": "network",
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()

    neighbour = accounts["neighbour"]
    finder = client_for(neighbour.user)
    found = finder.get(reverse("timebank:post_list"), {"q": "batch", "kind": "offer", "category": "cooking"})
    assert list(found.context["posts"]) == [post]
    missed = finder.get(reverse("timebank:post_list"), {"q": "batch", "kind": "request"})
    assert list(missed.context["posts"]) == []
    detail = reverse("timebank:post_detail", kwargs={"pk": post.pk})
    assert "Send your answer" in finder.get(detail).content.decode()
    error = finder.post(detail, {"action": "respond", "message": ""})
    assert error.status_code == 200 and "Write a short message" in error.content.decode()
    assert finder.post(detail, {"action": "respond", "message": "Yes please, Thursday?"}).status_code == 302
    answer = Response.objects.get()

    page = poster.get(detail).content.decode()
    agree_url = reverse("timebank:response_agree", kwargs={"pk": answer.pk})
    assert "Yes please, Thursday?" in page and f'href="{agree_url}"' in page
    assert "Enter how long it will take" in poster.post(agree_url, {"hours": "", "minutes": ""}).content.decode()
    assert poster.post(agree_url, {"hours": "2", "minutes": "0", "description": "Cooking"}).status_code == 302
    exchange = Exchange.objects.get()
    assert (exchange.giver, exchange.receiver, exchange.minutes) == (accounts["own"], neighbour, 120)
    assert exchange.status == Exchange.Status.RECORDED
    # The receiver confirms it from their time bank page, as for any exchange.
    assert (
        reverse("timebank:exchange_decide", kwargs={"pk": exchange.pk})
        in finder.get(reverse("timebank:home")).content.decode()
    )
    # The poster closes the post: it leaves the list.
    assert poster.post(detail, {"action": "close"}).status_code == 302
    assert list(finder.get(reverse("timebank:post_list")).context["posts"]) == []


def test_editing_shows_errors_and_saves(world, offers, client_for):
    offer = offers["offer"]
    client = client_for(offers["neighbour"].user)
    url = reverse("timebank:post_edit", kwargs={"pk": offer.pk})
    assert 'value="Help in your garden"' in client.get(url).content.decode()
    data = {"kind": "offer", "category": offer.category_id, "title": "", "visibility": "network"}
    assert "Enter a title" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "title": "Hedges trimmed"}).status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Hedges trimmed"


def test_an_unvetted_member_is_told_why_and_what_to_do(world, accounts, client_for):
    services.ensure_default_categories()
    client = client_for(world.users["member"])
    visits = Category.objects.get(slug="home-visits")
    response = client.post(
        reverse("timebank:post_new", kwargs={"pk": accounts["own"].pk}),
        {"kind": "offer", "category": visits.pk, "title": "Visits", "visibility": "network"},
    )
    assert response.status_code == 200
    assert "Ask a coordinator of Cumbria about being vetted" in response.content.decode()
    assert not Post.objects.exists()


def test_block_and_unblock_from_the_pages(world, offers, client_for):
    client = client_for(world.users["member"])
    offer = offers["offer"]
    block_url = reverse("timebank:post_block", kwargs={"pk": offer.pk})
    assert "neither of you can answer" in client.get(block_url).content.decode()
    assert client.post(block_url).status_code == 302
    block = Block.objects.get()
    assert (block.blocker, block.blocked) == (world.users["member"], offers["neighbour"].user)
    assert client.get(reverse("timebank:post_detail", kwargs={"pk": offer.pk})).status_code == 404
    # The blocked member no longer sees the blocker's posts either.
    mine = services.create_post(
        actor=world.users["member"],
        account=offers["own"],
        data={
            "kind": "request",
            "category": offers["categories"]["diy"],
            "title": "Shelves",
            "visibility": "network",
        },
    )
    other = client_for(offers["neighbour"].user)
    assert other.get(reverse("timebank:post_detail", kwargs={"pk": mine.pk})).status_code == 404
    page = client.get(reverse("timebank:blocks")).content.decode()
    assert offers["neighbour"].user.display_name in page
    assert client.post(reverse("timebank:blocks"), {"block": block.pk}).status_code == 302
    assert not Block.objects.exists()


def test_report_a_post_and_a_coordinator_closes_it(world, offers, client_for):
    offer = offers["offer"]
    member = client_for(world.users["member"])
    url = reverse("timebank:post_report", kwargs={"pk": offer.pk})
    assert "Choose why you are reporting this" in member.post(url, {"about": "post"}).content.decode()
    assert member.post(url, {"about": "post", "reason": "scam", "details": "Asked for money"}).status_code == 302
    report = Report.objects.get()
    assert (report.post, report.reported_member, report.reporter) == (offer, offer.poster.user, world.users["member"])

    coordinator = client_for(world.users["network_coordinator"])
    listing = coordinator.get(reverse("timebank:manage:reports", kwargs={"slug": world.own_network.slug}))
    assert list(listing.context["reports"]) == [report]
    detail = reverse("timebank:manage:report_detail", kwargs={"pk": report.pk})
    assert "Asked for money" in coordinator.get(detail).content.decode()
    assert coordinator.post(detail, {"action": "hide"}).status_code == 302
    offer.refresh_from_db()
    assert offer.hidden
    assert member.get(reverse("timebank:post_detail", kwargs={"pk": offer.pk})).status_code == 404
    assert "Choose what was done" in coordinator.post(detail, {"action": "close"}).content.decode()
    assert coordinator.post(detail, {"action": "close", "outcome": "post_hidden", "note": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED
    closed = coordinator.get(reverse("timebank:manage:reports", kwargs={"slug": world.own_network.slug}))
    assert list(closed.context["reports"]) == []


def test_report_a_member_who_answered(world, offers, client_for):
    answer = services.respond_to_post(actor=world.users["member"], post=offers["offer"], message="Hi")
    poster = client_for(offers["neighbour"].user)
    url = reverse("timebank:response_report", kwargs={"pk": answer.pk})
    assert poster.post(url, {"reason": "harassment", "details": ""}).status_code == 302
    report = Report.objects.get()
    assert report.reported_member == world.users["member"] and report.post is None


def test_coordinators_mark_members_vetted_on_a_page(world, offers, client_for):
    coordinator = client_for(world.users["network_coordinator"])
    url = reverse("timebank:manage:vetting", kwargs={"slug": world.own_network.slug})
    assert "Not vetted" in coordinator.get(url).content.decode()
    assert coordinator.post(url, {"account": offers["own"].pk, "action": "vet"}).status_code == 302
    assert Vetting.objects.filter(user=world.users["member"], network=world.own_network).exists()
    # Another network's account is not on this page.
    coordinator.post(url, {"account": offers["elsewhere"].pk, "action": "vet"})
    assert Vetting.objects.count() == 1
    assert coordinator.post(url, {"account": offers["own"].pk, "action": "unvet"}).status_code == 302
    assert not Vetting.objects.exists()


def test_the_network_dashboard_links_reports_and_vetting(world, client_for):
    page = client_for(world.users["network_coordinator"]).get(
        reverse("federation:manage:network_dashboard", kwargs={"slug": world.own_network.slug})
    )
    html = page.content.decode()
    assert reverse("timebank:manage:reports", kwargs={"slug": world.own_network.slug}) in html
    assert reverse("timebank:manage:vetting", kwargs={"slug": world.own_network.slug}) in html


# --- Query counts -------------------------------------------------------------------


def test_the_browse_page_runs_a_constant_number_of_queries(world, accounts, client_for):
    services.ensure_default_categories()
    categories = list(Category.objects.all())
    client = client_for(world.users["member"])
    client.get(reverse("timebank:post_list"))
    counter = itertools.count()

    def add_rows(n):
        for _ in range(n):
            i = next(counter)
            network = world.own_network if i % 3 else world.other_network
            poster = MemberAccountFactory(network=network)
            Post.objects.create(
                network=network,
                poster=poster,
                kind="offer" if i % 2 else "request",
                category=categories[i % len(categories)],
                title=f"Post {i}",
                visibility="federation",
            )
            # The member's own posts, with answers, are listed too.
            mine = Post.objects.create(
                network=world.own_network,
                poster=accounts["own"],
                kind="request",
                category=categories[0],
                title=f"Mine {i}",
            )
            Response.objects.create(post=mine, responder=poster, message="Hello")

    def fetch():
        return client.get(reverse("timebank:post_list"), {"page": "1"})

    response = assert_constant_queries(fetch, add_rows)
    assert len(response.context["posts"]) == 20 and response.context["page_obj"].paginator.count == 60
    assert len(response.context["mine"]) == 20


def test_the_post_page_and_the_manage_lists_run_a_constant_number_of_queries(world, offers, client_for):
    offer = offers["offer"]
    poster = client_for(offers["neighbour"].user)
    coordinator = client_for(world.users["network_coordinator"])
    slug = world.own_network.slug

    def add_rows(n):
        for _ in range(n):
            someone = MemberAccountFactory(network=world.own_network)
            Response.objects.create(post=offer, responder=someone, message="Me too")
            Report.objects.create(network=world.own_network, reporter=someone.user, post=offer, reason="other")

    def fetch():
        coordinator.get(reverse("timebank:manage:reports", kwargs={"slug": slug}))
        coordinator.get(reverse("timebank:manage:vetting", kwargs={"slug": slug}))
        return poster.get(reverse("timebank:post_detail", kwargs={"pk": offer.pk}))

    response = assert_constant_queries(fetch, add_rows)
    assert len(response.context["responses"]) == 30


# --- Any input ----------------------------------------------------------------------


@FUZZ
@given(
    kind=ANY_TEXT | st.sampled_from(["offer", "request"]),
    category=ANY_TEXT | st.integers(-5, 10**12).map(str),
    title=ANY_TEXT,
    description=ANY_TEXT,
    visibility=ANY_TEXT | st.sampled_from(["network", "federation"]),
)
def test_any_values_in_the_post_form_never_500(fuzz, kind, category, title, description, visibility):
    client, accounts, _ = fuzz
    before = Post.objects.count()
    data = {"kind": kind, "category": category, "title": title, "description": description, "visibility": visibility}
    response = client.post(reverse("timebank:post_new", kwargs={"pk": accounts["own"].pk}), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Post.objects.count() == before


@FUZZ
@given(
    kind=ANY_TEXT | st.sampled_from(["offer", "request"]),
    category=ANY_TEXT | st.integers(-5, 10**12).map(str),
    title=ANY_TEXT,
    description=ANY_TEXT,
    visibility=ANY_TEXT | st.sampled_from(["network", "federation"]),
)
def test_any_values_in_the_edit_form_never_500(fuzz_poster, kind, category, title, description, visibility):
    client, offer = fuzz_poster
    data = {"kind": kind, "category": category, "title": title, "description": description, "visibility": visibility}
    response = client.post(reverse("timebank:post_edit", kwargs={"pk": offer.pk}), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        offer.refresh_from_db()
        assert offer.title == "Help in your garden"
    Post.objects.filter(pk=offer.pk).update(title="Help in your garden")


@FUZZ
@given(reason=ANY_TEXT | st.just("harassment"), details=ANY_TEXT)
def test_any_values_in_the_member_report_form_never_500(fuzz_agree, reason, details):
    client, answer = fuzz_agree
    response = client.post(
        reverse("timebank:response_report", kwargs={"pk": answer.pk}), {"reason": reason, "details": details}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Report.objects.exists()
    Report.objects.all().delete()


@FUZZ
@given(action=ANY_TEXT | st.sampled_from(["respond", "close"]), message=ANY_TEXT)
def test_any_values_in_the_answer_form_never_500(fuzz, action, message):
    client, _, offer = fuzz
    before = Response.objects.count()
    response = client.post(
        reverse("timebank:post_detail", kwargs={"pk": offer.pk}), {"action": action, "message": message}
    )
    assert response.status_code in (200, 302, 403)  # 403: only its poster closes a post
    if response.status_code != 302:
        assert Response.objects.count() == before
    Response.objects.all().delete()


@FUZZ
@given(hours=ANY_TEXT | st.integers(-(10**6), 10**6).map(str), minutes=ANY_TEXT, description=ANY_TEXT)
def test_any_values_in_the_agree_form_never_500(fuzz_agree, hours, minutes, description):
    client, answer = fuzz_agree
    response = client.post(
        reverse("timebank:response_agree", kwargs={"pk": answer.pk}),
        {"hours": hours, "minutes": minutes, "description": description},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Exchange.objects.exists()
    Exchange.objects.all().delete()
    Response.objects.filter(pk=answer.pk).update(status="waiting", exchange=None)


@FUZZ
@given(about=ANY_TEXT | st.sampled_from(["post", "member"]), reason=ANY_TEXT | st.just("other"), details=ANY_TEXT)
def test_any_values_in_the_report_form_never_500(fuzz, about, reason, details):
    client, _, offer = fuzz
    response = client.post(
        reverse("timebank:post_report", kwargs={"pk": offer.pk}), {"about": about, "reason": reason, "details": details}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not Report.objects.exists()
    Report.objects.all().delete()


@FUZZ
@given(action=ANY_TEXT | st.sampled_from(["close", "hide", "show"]), outcome=ANY_TEXT, note=ANY_TEXT)
def test_any_values_in_the_close_report_form_never_500(fuzz_report, action, outcome, note):
    client, report = fuzz_report
    response = client.post(
        reverse("timebank:manage:report_detail", kwargs={"pk": report.pk}),
        {"action": action, "outcome": outcome, "note": note},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        report.refresh_from_db()
        assert report.status == Report.Status.OPEN
    Report.objects.filter(pk=report.pk).update(status="open", outcome="", outcome_note="", closed_by=None)


@FUZZ
@given(
    account=ANY_TEXT | st.integers(-5, 10**30).map(str) | st.just("²"), action=ANY_TEXT | st.just("vet"), page=ANY_TEXT
)
def test_any_values_on_the_vetting_page_never_500(fuzz_coordinator, account, action, page):
    client, slug = fuzz_coordinator
    url = reverse("timebank:manage:vetting", kwargs={"slug": slug})
    assert client.post(url, {"account": account, "action": action}).status_code == 302
    assert client.get(url, {"page": page}).status_code == 200
    assert (
        client.get(
            reverse("timebank:manage:reports", kwargs={"slug": slug}), {"status": action, "page": page}
        ).status_code
        == 200
    )


@FUZZ
@given(block=ANY_TEXT | st.integers(-5, 10**30).map(str) | st.sampled_from(["²", "٣"]))
def test_any_values_on_the_blocks_page_never_500(fuzz, block):
    client, _, _ = fuzz
    assert client.post(reverse("timebank:blocks"), {"block": block}).status_code == 302


@FUZZ
@given(
    q=ANY_TEXT,
    kind=ANY_TEXT | st.sampled_from(["offer", "request"]),
    category=ANY_TEXT | st.sampled_from(["cooking", "gardening"]),
    page=ANY_TEXT | st.integers(-5, 10**12).map(str),
    extra=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
)
def test_any_query_string_on_the_browse_page_never_500(fuzz, q, kind, category, page, extra):
    client, _, _ = fuzz
    response = client.get(
        reverse("timebank:post_list"), {**extra, "q": q, "kind": kind, "category": category, "page": page}
    )
    assert response.status_code == 200
    if response.context["filter"].form.errors:
        assert "There is a problem" in response.content.decode()


@pytest.fixture
def fuzz(world, offers, client_for):
    return client_for(world.users["member"]), offers, offers["offer"]


@pytest.fixture
def fuzz_poster(world, offers, client_for):
    return client_for(offers["neighbour"].user), offers["offer"]


@pytest.fixture
def fuzz_agree(world, offers, client_for):
    answer = services.respond_to_post(actor=world.users["member"], post=offers["offer"], message="Yes")
    return client_for(offers["neighbour"].user), answer


@pytest.fixture
def fuzz_report(world, offers, client_for):
    report = services.report_to_coordinators(
        actor=world.users["member"], network=world.own_network, reason="other", post=offers["offer"]
    )
    return client_for(world.users["network_coordinator"]), report


@pytest.fixture
def fuzz_coordinator(world, offers, client_for):
    return client_for(world.users["network_coordinator"]), world.own_network.slug

"""From a published pitch to an accountable initiative, on a phone (375 px), in
Chromium, through the real pages: the network coordinator sets the support
threshold, a member's support moves the pitch to review, the coordinator sets up
a review round whose panel members each declare lived experience themselves
(scoring cannot start until at least half say yes), two score the pitch, one
declares a conflict of interest and then cannot score, the round closes with its
scores published, the coordinator accepts the pitch with reasons and starts an
initiative from it, the lead adds the team, a milestone and a results tree, two
team members complete the co-production self-assessment, and the public page,
signed out, shows it all (at 375 px and 1280 px, with JavaScript on and off).
axe-clean and no sideways scrolling on every page visited."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from recoverynet.accounts.factories import UserFactory
from recoverynet.federation.factories import MembershipFactory
from recoverynet.initiatives import services
from recoverynet.initiatives.models import COMPONENT_NAMES, ConflictOfInterest, Initiative, Pitch, ReviewRound, Score

from .checks import PHONE, axe_violations, follow, open_page, signed_in_context

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SHOTS = Path("/tmp/init-e2e")  # noqa: S108 - screenshots to look at, asked for by name
LONDON = ZoneInfo("Europe/London")
CRITERIA = ["Meets a need people have told us about", "Led by people with lived experience"]
REASONS = "The panel liked that people in recovery run it, and the hall is free on Sundays."


RADAR_LABELS_OUTSIDE = """() => {
  const svg = document.querySelector("figure svg[role=img]");
  const box = svg.viewBox.baseVal;
  return [...svg.querySelectorAll("text")].map((text) => [text.textContent, text.getBBox()]).filter(
    ([, b]) => b.x < box.x || b.y < box.y || b.x + b.width > box.x + box.width || b.y + b.height > box.y + box.height
  ).map(([name]) => name);
}"""


def visit(page, name, *, javascript=True):
    """The page fits the screen (no sideways scrolling), is axe-clean, and is kept as a screenshot."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}{'' if javascript else '-nojs'}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"
    if javascript:  # axe runs in the page's JavaScript
        results = axe_violations(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def main_text(page):
    return page.locator("main").inner_text()


def as_user(new_context, live_server, user):
    return signed_in_context(new_context, live_server, user, PHONE).new_page()


def test_a_pitch_is_reviewed_accepted_and_becomes_a_public_initiative(
    new_context, live_server, url, world, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 3, 10, 0, tzinfo=LONDON))
    network = world.own_network
    author, supporter = world.users["member"], world.users["professional"]
    host, coordinator = world.users["settlement_host"], world.users["network_coordinator"]
    peer = UserFactory(display_name="Peer Reviewer")
    MembershipFactory(user=peer, network=network)
    # Pitching and publishing are the journey of test_initiatives.py; here they are the starting point.
    pitch = services.create_pitch(
        actor=author,
        network=network,
        data={
            "title": "Sunday recovery café",
            "theme": "food",
            "problem": "Sundays are the loneliest day.",
            "idea": "A café run by people in recovery.",
            "who_for": "Anyone in recovery, and their families.",
            "pitch_text": "We open at two, put the kettle on and see who comes.",
            "needs_hours": 40,
        },
    )
    services.publish_pitch(actor=author, pitch=pitch)

    # The coordinator, from the network's page, sets the support threshold to one supporter.
    boss = as_user(new_context, live_server, coordinator)
    open_page(boss, url, network.get_absolute_url())
    follow(boss, boss.get_by_role("link", name=f"Pitch settings for {network.name}").first)
    visit(boss, "01-pitch-settings")
    boss.fill("input[name=support_threshold]", "1")
    follow(boss, boss.get_by_role("button", name="Save"))
    assert "The support threshold is saved" in main_text(boss)

    # A member supports the pitch and pledges hours: the support reaches the threshold, so it goes to review.
    other = as_user(new_context, live_server, supporter)
    open_page(other, url, pitch.get_absolute_url())
    visit(other, "02-pitch-published")
    follow(other, other.get_by_role("button", name="Support this pitch"))
    assert "you support this pitch" in main_text(other)
    follow(other, other.get_by_role("link", name="Pledge time, a skill, a space or equipment"))
    other.get_by_label("Hours of time").check()
    other.fill("input[name=hours]", "15")
    follow(other, other.get_by_role("button", name="Pledge"))
    assert "40 needed, 15 pledged, 25 still needed" in main_text(other)
    pitch.refresh_from_db()
    assert pitch.state == Pitch.State.UNDER_REVIEW
    visit(other, "03-pitch-under-review")

    # The coordinator sets up a review round: a panel of three, each to declare lived experience.
    open_page(boss, url, network.get_absolute_url())
    follow(boss, boss.get_by_role("link", name=f"Start a review round in {network.name}").first)
    visit(boss, "04-round-new")
    follow(boss, boss.get_by_role("button", name="Set up the round"))  # no name, no panel: errors, named
    summary = boss.locator(".govuk-error-summary").inner_text()
    assert "Enter a name for the round" in summary and "Choose at least one panel member" in summary
    visit(boss, "04-round-new-errors")
    boss.fill("input[name=title]", "Autumn 2026 ideas")
    boss.fill("textarea[name=criteria]", "\n".join(CRITERIA))
    for person in (host, peer, supporter):
        boss.get_by_label(person.display_name, exact=True).check()
    follow(boss, boss.get_by_role("button", name="Set up the round"))
    assert "The round is set up" in main_text(boss)
    review_round = ReviewRound.objects.get()
    assert "have not answered yet" in main_text(boss)
    visit(boss, "05-round-forming")

    # Each panel member answers for themselves. After the first "no", scoring cannot start.
    other.goto(url(review_round.get_absolute_url()))
    follow(other, other.get_by_role("link", name="Answer one question about lived experience"))
    visit(other, "06-round-declare")
    other.get_by_label("No").check()
    follow(other, other.get_by_role("button", name="Save my answer"))
    assert "Nobody else sees your answer" in main_text(other)
    boss.goto(url(review_round.get_absolute_url()))
    follow(boss, boss.get_by_role("link", name="Start scoring"))
    visit(boss, "07-round-start-scoring")
    follow(boss, boss.get_by_role("button", name="Start scoring"))
    assert "Not yet balanced: 0 of 3" in main_text(boss)
    assert ReviewRound.objects.get().state == ReviewRound.State.FORMING
    panel = {}
    for person in (host, peer):
        panel[person] = as_user(new_context, live_server, person)
        open_page(panel[person], url, review_round.get_absolute_url())
        follow(panel[person], panel[person].get_by_role("link", name="Answer one question about lived experience"))
        panel[person].get_by_label("Yes").check()
        follow(panel[person], panel[person].get_by_role("button", name="Save my answer"))
        assert "Scoring has not started yet" in main_text(panel[person])
    boss.goto(url(review_round.get_absolute_url()))
    assert "The panel is balanced" in main_text(boss)
    follow(boss, boss.get_by_role("link", name="Start scoring"))
    follow(boss, boss.get_by_role("button", name="Start scoring"))
    assert "Scoring has started" in main_text(boss)

    # The supporter declares an interest in the pitch, and then cannot score it.
    other.goto(url(review_round.get_absolute_url()))
    follow(other, other.get_by_role("link", name="Score Sunday recovery café"))
    visit(other, "08-round-score")
    other.fill("input[name=description]", "I pledged hours to it.")
    follow(other, other.get_by_role("button", name="Declare an interest"))
    assert "You will not score this pitch" in main_text(other)
    follow(other, other.get_by_role("link", name="Score Sunday recovery café"))
    assert "You declared an interest in this pitch, so you do not score it" in main_text(other)
    assert other.locator("input[name=action][value=score]").count() == 0
    visit(other, "09-round-score-conflicted")
    token = other.locator("input[name=csrfmiddlewaretoken]").first.input_value()  # the sign-out form's
    answer = other.request.post(
        other.url,
        form={"csrfmiddlewaretoken": token, "action": "score", "criterion_0": "5", "criterion_1": "5"},
        headers={"Referer": other.url},
    )
    assert answer.status == 200 and "so you cannot score it" in answer.text()
    assert ConflictOfInterest.objects.filter(panel_member__user=supporter).count() == 1
    assert not Score.objects.filter(panel_member__user=supporter).exists()

    # The two others score it on both criteria; a score left out is named.
    for person, marks in ((host, ("4", "5")), (peer, ("3", "4"))):
        page = panel[person]
        page.goto(url(review_round.get_absolute_url()))
        follow(page, page.get_by_role("link", name="Score Sunday recovery café"))
        page.locator("input[name=criterion_0][value='1']").check()
        follow(page, page.get_by_role("button", name="Save my scores"))
        assert f"Score “{CRITERIA[1]}” from 1 to 5" in page.locator(".govuk-error-summary").inner_text()
        visit(page, f"10-round-score-errors-{person.pk}")
        for index, mark in enumerate(marks):
            page.locator(f"input[name=criterion_{index}][value='{mark}']").check()
        follow(page, page.get_by_role("button", name="Save my scores"))
        assert "Your scores are saved" in main_text(page)
    assert Score.objects.count() == 4

    # The coordinator closes the round: its mean scores are published.
    boss.goto(url(review_round.get_absolute_url()))
    follow(boss, boss.get_by_role("link", name="Close the round and publish its scores"))
    follow(boss, boss.get_by_role("button", name="Close the round"))
    assert "its scores are published" in main_text(boss)
    row = boss.locator("table tr", has=boss.get_by_role("link", name="Sunday recovery café"))
    assert row.locator("td").all_inner_texts() == ["3.5", "4.5", "4.0"]
    visit(boss, "11-round-closed")

    # The coordinator records the decision: accepted, with the panel's reasons.
    boss.goto(url(pitch.get_absolute_url()))
    follow(boss, boss.get_by_role("button", name="Change its stage"))  # a link styled as a button
    visit(boss, "12-pitch-decide")
    boss.get_by_label("Accept it").check()
    boss.fill("textarea[name=explanation]", REASONS)
    follow(boss, boss.get_by_role("button", name="Continue"))
    assert "The pitch is now accepted" in main_text(boss)
    assert REASONS in main_text(boss)
    visit(boss, "13-pitch-accepted")

    # ... and starts an initiative from it: a social enterprise, a CIC, with a partner.
    follow(boss, boss.get_by_role("link", name="Start an initiative from this pitch"))
    visit(boss, "14-initiative-start")
    boss.fill("textarea[name=summary]", "A Sunday café run by people in recovery, in the Carlisle hub.")
    boss.get_by_role("radio", name="Social enterprise").check()
    boss.select_option("select[name=legal_form]", value="cic")
    boss.select_option("select[name=settlement]", label=world.own_settlement.name)
    boss.fill("input[name=started_on]", "2026-11-01")
    boss.get_by_label(world.own_organisation.name).check()
    follow(boss, boss.get_by_role("button", name="Start the initiative"))
    assert "The initiative is started" in main_text(boss)
    initiative = Initiative.objects.get()
    assert initiative.pitch == pitch and initiative.team.get().user == author

    # The lead manages it: the team, a milestone, a results tree of two weighted parts.
    lead = as_user(new_context, live_server, author)
    open_page(lead, url, initiative.get_absolute_url())
    follow(lead, lead.get_by_role("link", name="Manage the team, milestones and results"))
    visit(lead, "15-initiative-manage")

    def save(action):
        follow(
            lead, lead.locator("form", has=lead.locator(f"input[name=action][value={action}]")).get_by_role("button")
        )
        assert "Saved." in main_text(lead), lead.locator(".govuk-error-summary").all_inner_texts()

    for person, role in ((peer, "member"), (supporter, "professional")):
        lead.select_option("select[name=team-user]", label=person.display_name)
        lead.select_option("select[name=team-role]", value=role)
        save("team")
    lead.fill("input[name=milestone-title]", "First Sunday opening")
    lead.fill("input[name=milestone-due_on]", "2026-12-06")
    save("milestone")
    lead.fill("input[name=result-title]", "The café runs for a year")
    save("result")
    for title, weight in (("52 Sunday sessions", "3"), ("Ten volunteers trained in food hygiene", "1")):
        lead.fill("input[name=result-title]", title)
        lead.fill("input[name=result-weight]", weight)
        lead.select_option("select[name=result-parent]", label="The café runs for a year")
        save("result")
    for title, progress in (("52 Sunday sessions", "40"), ("Ten volunteers trained in food hygiene", "80")):
        lead.select_option("select[name=progress-result]", label=title)
        lead.fill("input[name=progress-progress]", progress)
        save("progress")
    visit(lead, "16-initiative-managed")

    # Two team members each complete the co-production self-assessment on their own.
    for person, page, levels in ((author, lead, (2, 3, 3, 2, 4, 1)), (peer, panel[peer], (3, 3, 4, 2, 2, 3))):
        page.goto(url(initiative.get_absolute_url()))
        follow(page, page.get_by_role("link", name="Score the initiative's co-production"))
        follow(page, page.get_by_role("button", name="Save my scores"))
        assert "Choose a level for assets" in page.locator(".govuk-error-summary").inner_text()
        visit(page, f"17-coproduction-errors-{person.pk}")
        for name, level in zip(COMPONENT_NAMES, levels, strict=True):
            page.locator(f"input[name={name}][value='{level}']").check()
        follow(page, page.get_by_role("button", name="Save my scores"))
        assert "your scores are added to the team's" in main_text(page)
    assert initiative.assessments.count() == 2

    # Signed out, on a phone and on a desktop, with and without JavaScript: the public page.
    for size, javascript in ((PHONE, True), (DESKTOP, True), (PHONE, False)):
        public = new_context(**size, java_script_enabled=javascript).new_page()
        open_page(public, url, "/initiatives/projects/")
        follow(public, public.get_by_role("link", name="Sunday recovery café"))
        main = main_text(public)
        assert "Social enterprise: Community interest company (CIC)" in main
        team = public.locator("h2:text-is('Team') + ul").inner_text()
        assert team.splitlines() == ["Member: lead", "Peer Reviewer: member", "Professional: professional"]
        milestones = public.locator("table", has=public.locator("caption", has_text="Milestones"))
        assert milestones.locator("tbody tr").first.inner_text().split("\t") == [
            "6 Dec 2026",
            "First Sunday opening",
            "Planned",
        ]
        results = public.locator("table", has=public.locator("caption", has_text="Results"))
        rows = [r.split("\t") for r in results.locator("tbody tr").all_inner_texts()]
        # (3 × 40 + 1 × 80) / 4 = 50: the parent's progress is the weighted mean of its two parts.
        assert [(row[0].replace("part, level 1: ", "").strip(), row[1], row[2]) for row in rows] == [
            ("The café runs for a year", "1", "50%"),
            ("– 52 Sunday sessions", "3", "40%"),
            ("– Ten volunteers trained in food hygiene", "1", "80%"),
        ]
        scores = public.locator("table", has=public.locator("caption", has_text="Team scores"))
        assert "November 2026" in scores.locator("caption").inner_text()
        lines = [r.split("\t") for r in scores.locator("tbody tr").all_inner_texts()]
        assert lines[0] == ["Assets", "2.5", "2 to 3"] and lines[5] == ["Catalysts", "2.0", "1 to 3"]
        assert public.locator("figure svg[role=img] polygon").count() == 5  # four rings and the team now
        if javascript:  # every component's name is drawn inside the chart, none cut off at its edge
            assert public.evaluate(RADAR_LABELS_OUTSIDE) == []
        # The decision, published with its reasons, on the initiative's own page.
        decision = public.locator(".govuk-inset-text", has=public.locator("h2")).inner_text()
        assert "The decision: accepted on 3 November 2026" in decision and REASONS in decision
        assert "no decisions recorded yet." in main and "None%" not in main  # no decisions on the ladder yet
        visit(public, "18-initiative-public", javascript=javascript)
        # ... and on the pitch it started from.
        follow(public, public.get_by_role("link", name="The pitch it started from"))
        decision = public.locator(".govuk-inset-text", has=public.locator("h2")).inner_text()
        assert "The decision: accepted" in decision and REASONS in decision
        visit(public, "19-pitch-decision-public", javascript=javascript)
        # The closed round publishes the panel's mean scores to everyone.
        open_page(public, url, review_round.get_absolute_url())
        row = public.locator("table tr", has=public.get_by_role("link", name="Sunday recovery café"))
        assert row.locator("td").all_inner_texts() == ["3.5", "4.5", "4.0"]
        assert "The panel" not in public.locator("h2").all_inner_texts()  # its balance is for coordinators
        visit(public, "20-round-public", javascript=javascript)
        public.context.close()

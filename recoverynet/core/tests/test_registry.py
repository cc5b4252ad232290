"""What apps declare on their AppConfig, collected by core.registry."""

import pytest
from django.apps import apps
from django.test import RequestFactory

from recoverynet.core import registry


def test_demo_loaders_run_the_federation_first_then_what_builds_on_it():
    labels = [label for label, _ in registry.demo_loaders()]
    assert labels.index("federation") < labels.index("directory")


def test_a_demo_loader_naming_an_app_without_one_is_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("directory"), "demo_after", ("events",), raising=False)
    with pytest.raises(ValueError, match="events"):
        registry.demo_loaders()


def test_demo_loaders_in_a_circle_are_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("federation"), "demo_after", ("directory",), raising=False)
    with pytest.raises(ValueError, match="circle"):
        registry.demo_loaders()


def test_a_network_page_gets_the_panels_apps_declare(world):
    """The directory's meetings appear on a network page through its declared panel, not an import."""
    sections = registry.render_panels("network", RequestFactory().get("/"), world.own_network)
    assert len([section for section in sections if 'id="meetings"' in section]) == 1
    assert registry.render_panels("no such page", RequestFactory().get("/"), world.own_network) == []


TWO_INDICATORS = (
    registry.Indicator(
        key="directory.example",
        outcomes=(5,),
        name="Example",
        definition="An example",
        unit="meetings",
        period="snapshot",
        source="The directory",
        measure=lambda networks, period: {network.pk: 0 for network in networks},
    ),
)


def test_indicators_are_collected_from_what_apps_declare(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("directory"), "indicators", __name__ + ".TWO_INDICATORS", raising=False)
    registry.indicators.cache_clear()
    try:
        assert "directory.example" in [indicator.key for indicator in registry.indicators()]
        monkeypatch.setattr(
            apps.get_app_config("federation"), "indicators", __name__ + ".TWO_INDICATORS", raising=False
        )
        registry.indicators.cache_clear()
        with pytest.raises(ValueError, match="directory.example"):
            registry.indicators()
    finally:
        monkeypatch.undo()
        registry.indicators.cache_clear()


def test_every_figure_over_people_names_the_people_it_rests_on():
    """A figure that is not a count (a sum of hours, an average, a share) is shown only beside
    the count of the people it is over, so it needs that count as its denominator: a registered
    count. One that rests on no group of people (meetings per 100,000 residents) says why."""
    found = {indicator.key: indicator for indicator in registry.indicators()}
    problems = []
    for indicator in found.values():
        if indicator.count:
            if indicator.denominator or indicator.no_denominator:
                problems.append(f"{indicator.key}: a count needs no denominator")
            continue
        if indicator.denominator and indicator.no_denominator:
            problems.append(f"{indicator.key}: both a denominator and a reason to need none")
        elif indicator.denominator:
            group = found.get(indicator.denominator)
            if group is None or not group.count or group.unit != "people":
                problems.append(f"{indicator.key}: {indicator.denominator} is not a registered count of people")
        elif not indicator.no_denominator.strip():
            problems.append(f"{indicator.key}: name the count of people it is over, or say in no_denominator why none")
        if indicator.unit == "hours" and not indicator.denominator:
            problems.append(f"{indicator.key}: hours are given by people, so they need a denominator")
    assert not problems, problems
    # The hours each rest on their givers.
    assert found["volunteering.hours_volunteered"].denominator == "volunteering.volunteers_active"
    assert found["timebank.hours_exchanged"].denominator == "timebank.active_givers"
    assert found["timebank.coproduction_hours"].denominator == "timebank.coproduction_givers"


def test_a_figure_over_people_without_a_denominator_is_refused(monkeypatch):
    """The check above fails for a new sum over people that forgets its denominator."""
    hours = registry.Indicator(
        key="test.hours", outcomes=(2,), name="Hours", definition="", unit="hours", period="quarter",
        source="", measure=lambda networks, period: {}, count=False,
    )  # fmt: skip
    monkeypatch.setattr(registry, "indicators", lambda: (hours,))
    with pytest.raises(AssertionError, match="test.hours"):
        test_every_figure_over_people_names_the_people_it_rests_on()

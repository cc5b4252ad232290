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

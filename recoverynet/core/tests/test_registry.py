"""What apps declare on their AppConfig, collected by core.registry."""

import pytest
from django.apps import apps
from django.test import RequestFactory

from recoverynet.core import registry


def test_demo_loaders_run_the_federation_first_then_what_builds_on_it():
    labels = [label for label, _ in registry.demo_loaders()]
    assert labels.index("federation") < labels.index("directory")


def test_a_demo_loader_naming_an_app_without_one_is_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("directory"), "demo_after", ("timebank",), raising=False)
    with pytest.raises(ValueError, match="timebank"):
        registry.demo_loaders()


def test_demo_loaders_in_a_circle_are_refused(monkeypatch):
    monkeypatch.setattr(apps.get_app_config("federation"), "demo_after", ("directory",), raising=False)
    with pytest.raises(ValueError, match="circle"):
        registry.demo_loaders()


def test_a_network_page_gets_the_panels_apps_declare(world):
    """The directory's meetings appear on a network page through its declared panel, not an import."""
    sections = registry.render_panels("network", RequestFactory().get("/"), world.own_network)
    assert len(sections) == 1
    assert 'id="meetings"' in sections[0]
    assert registry.render_panels("no such page", RequestFactory().get("/"), world.own_network) == []

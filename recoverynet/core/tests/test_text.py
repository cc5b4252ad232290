"""One full stop at the end of a sentence, whatever the name or time before it."""

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from recoverynet.core.text import sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You declined Morgan T.", "You declined Morgan T."),
        ("Meetings from 6:00 p.m.", "Meetings from 6:00 p.m."),
        ("You have left Cumbria", "You have left Cumbria."),
        ("Are you sure?", "Are you sure?"),
        ("Trailing space ", "Trailing space."),
    ],
)
def test_sentence_ends_with_one_full_stop(text, expected):
    assert sentence(text) == expected


@given(st.text())
def test_sentence_never_ends_with_two_full_stops(text):
    assert not sentence(text).endswith("..") or text.rstrip().endswith("..")


def test_full_stop_filter():
    template = Template("{% load govuk %}{{ summary|full_stop }}")
    assert template.render(Context({"summary": "Near Preston, from 6 p.m."})) == "Near Preston, from 6 p.m."
    assert template.render(Context({"summary": "Near Preston"})) == "Near Preston."

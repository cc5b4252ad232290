"""Each instrument's scoring against examples worked out by hand."""

import json
from pathlib import Path

import pytest

from recoverynet.recoverycapital import scoring
from recoverynet.recoverycapital.services import instrument_errors

SHIPPED = Path(__file__).resolve().parent.parent / "instruments"


def definition(slug):
    return json.loads((SHIPPED / f"{slug}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("slug", ["barc-10", "mirc-28", "ons4"])
def test_every_shipped_instrument_is_valid_against_the_published_schema(slug):
    assert instrument_errors(definition(slug)) == []


def test_barc10_sums_ten_answers_and_bands_at_47():
    barc = definition("barc-10")
    assert len(barc["items"]) == 10
    assert scoring.scale_ranges(barc) == {"total": (10, 60)}
    # 6+5+4+5+6+3+4+5+5+4 = 47: exactly the cut-off
    answers = dict(enumerate([6, 5, 4, 5, 6, 3, 4, 5, 5, 4], start=1))
    result = scoring.score(barc, answers)
    assert result.total == 47
    assert result.bands["total"]["label"] == "At or above the cut-off"
    # one point lower on item 1: 46, below
    result = scoring.score(barc, {**answers, 1: 5})
    assert result.total == 46
    assert result.bands["total"]["label"] == "Below the cut-off"
    assert scoring.score(barc, dict.fromkeys(range(1, 11), 1)).total == 10
    assert scoring.score(barc, dict.fromkeys(range(1, 11), 6)).total == 60


def test_mirc28_subscales_of_seven_each_scored_7_to_28():
    mirc = definition("mirc-28")
    assert len(mirc["items"]) == 28
    ranges = scoring.scale_ranges(mirc)
    assert ranges == {"total": (28, 112), "social": (7, 28), "physical": (7, 28), "human": (7, 28), "cultural": (7, 28)}
    # social all 4s = 28; physical 1,2,3,4,1,2,3 = 16; human all 2s = 14; cultural 3,3,3,3,3,3,1 = 19
    values = [4] * 7 + [1, 2, 3, 4, 1, 2, 3] + [2] * 7 + [3, 3, 3, 3, 3, 3, 1]
    result = scoring.score(mirc, dict(enumerate(values, start=1)))
    assert result.domains == {"social": 28, "physical": 16, "human": 14, "cultural": 19}
    assert result.total == 28 + 16 + 14 + 19 == 77


def test_reverse_scored_items_count_from_the_other_end_in_their_subscale_and_the_total():
    """On a 1-4 scale a reversed answer v counts 5 - v."""
    mirc = definition("mirc-28")
    for number in (2, 8):  # one in social, one in physical
        mirc["items"][number - 1]["reverse_scored"] = True
    values = [4] * 7 + [1, 2, 3, 4, 1, 2, 3] + [2] * 7 + [3, 3, 3, 3, 3, 3, 1]
    result = scoring.score(mirc, dict(enumerate(values, start=1)))
    # social: item 2 answered 4 counts 1: 28 - 4 + 1 = 25; physical: item 8 answered 1 counts 4: 16 - 1 + 4 = 19
    assert result.domains == {"social": 25, "physical": 19, "human": 14, "cultural": 19}
    assert result.total == 25 + 19 + 14 + 19 == 77


def test_reverse_scoring_on_a_six_point_scale():
    barc = definition("barc-10")
    barc["items"][0]["reverse_scored"] = True
    answers = dict(enumerate([6, 5, 4, 5, 6, 3, 4, 5, 5, 4], start=1))
    # item 1 answered 6 counts 1 + 6 - 6 = 1: 47 - 6 + 1 = 42
    assert scoring.score(barc, answers).total == 42


def test_ons4_has_no_total_and_bands_each_question_with_anxiety_reversed_in_meaning():
    ons = definition("ons4")
    result = scoring.score(ons, {1: 4, 2: 7, 3: 9, 4: 6})
    assert result.total is None
    assert result.domains == {"life_satisfaction": 4, "worthwhile": 7, "happiness": 9, "anxiety": 6}
    labels = {key: band["label"] for key, band in result.bands.items()}
    assert labels == {"life_satisfaction": "Low", "worthwhile": "High", "happiness": "Very high", "anxiety": "High"}
    result = scoring.score(ons, {1: 5, 2: 6, 3: 0, 4: 1})
    labels = {key: band["label"] for key, band in result.bands.items()}
    assert labels == {"life_satisfaction": "Medium", "worthwhile": "Medium", "happiness": "Low", "anxiety": "Very low"}
    assert scoring.score(ons, {1: 10, 2: 10, 3: 10, 4: 3}).bands["anxiety"]["label"] == "Low"
    assert scoring.score(ons, {1: 10, 2: 10, 3: 10, 4: 5}).bands["anxiety"]["label"] == "Medium"


def test_scoring_refuses_an_incomplete_set_of_answers():
    with pytest.raises(ValueError, match="not answered"):
        scoring.score(definition("barc-10"), {1: 3})

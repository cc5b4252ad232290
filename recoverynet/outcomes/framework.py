"""The nine outcomes the North-West Recovery Networks promised (the seed's pitch),
which indicators evidence each, and the quarters they are measured over.

Which indicator evidences which outcome is declared by the app that owns the
figure (``Indicator.outcomes``); this module only groups them. Figures the
framework needs but no installed app measures yet are listed by key in
``EXPECTED`` and shown as "not yet measured", never as zero."""

import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from recoverynet.core.registry import Indicator, Period, indicators

OUTCOMES = {
    1: "A significant increase in the numbers of people that address their substance use issues and savings within "
    "the current treatment budget in the North-West.",
    2: "The mobilisation of people in recovery who wish to give back to their communities and the creation of "
    "Recovery Activists (people in recovery drawn from diverse communities, in every North-West region).",
    3: "The formation of a strong bridge between recovery-oriented treatment services and recovery communities and "
    "the establishment of coherent recovery-oriented quality standards for treatment services.",
    4: "The skilling-up of recovering people and people in recovery which will enable them to access education, "
    "employment and mainstream community services.",
    5: "The expansion and promotion of a wide range of mutual aid support structures in every North-West region.",
    6: "The establishment of strong recovery-focused partnerships between the public, voluntary, social enterprise "
    "and private sector.",
    7: "The wide promotion across the North-West region of the recovery achievements of individuals, groups, "
    "communities and organisations.",
    8: "Community members generating their own creative solutions to substance use issues within their communities.",
    9: "The core message of the UKRF (Recovery is a Reality) embedded within all regions of the North-West.",
}


@dataclass(frozen=True)
class Expected:
    """A figure the framework needs whose source is not (yet) installed."""

    key: str
    outcomes: tuple[int, ...]
    name: str
    why: str


EXPECTED = (
    Expected(
        "recoverycapital.assessments_completed",
        (1, 4, 9),
        "Recovery capital assessments completed",
        "Recorded by the recovery capital app (BARC-10, MIRC-28) once it is installed.",
    ),
    Expected(
        "recoverycapital.recovery_capital_change",
        (1, 4),
        "Change in recovery capital between first and latest assessment",
        "Recorded by the recovery capital app once it is installed.",
    ),
)

# Outcome 9's coverage: a network is covered when each of these has something in it.
COVERAGE = (
    ("Settlements", ("federation.settlements",)),
    ("Mutual-aid meetings", ("directory.meetings",)),
    ("Members who give back", ("federation.people_giving_back",)),
    ("Recovery capital assessments", ("recoverycapital.assessments_completed",)),
)


def registered() -> dict[str, Indicator]:
    return {indicator.key: indicator for indicator in indicators()}


def not_yet_measured() -> list[Expected]:
    found = registered()
    return [expected for expected in EXPECTED if expected.key not in found]


def by_outcome() -> dict[int, dict]:
    """{outcome: {"text", "indicators": [Indicator], "missing": [Expected]}} for all nine, in order."""
    found = registered()
    framework = {
        number: {"number": number, "text": text, "indicators": [], "missing": []} for number, text in OUTCOMES.items()
    }
    for indicator in found.values():
        for number in indicator.outcomes:
            if number in framework:
                framework[number]["indicators"].append(indicator)
    for expected in not_yet_measured():
        for number in expected.outcomes:
            framework[number]["missing"].append(expected)
    return framework


# --- Quarters -----------------------------------------------------------------------

QUARTER_CODE = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, code: str) -> "Quarter":
        match = QUARTER_CODE.match((code or "").strip().upper())
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError("Enter a quarter like 2026Q3.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.number}"

    @cached_property
    def period(self) -> Period:
        start = datetime.date(self.year, 3 * self.number - 2, 1)
        end = (
            datetime.date(self.year + 1, 1, 1) if self.number == 4 else datetime.date(self.year, 3 * self.number + 1, 1)
        )
        return Period(start, end)

    def previous(self, count: int = 1) -> "Quarter":
        index = self.year * 4 + self.number - 1 - count
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self):
        return self.label


def quarters_ending(last: Quarter, count: int) -> list[Quarter]:
    """`count` quarters, oldest first, ending with `last`."""
    return [last.previous(n) for n in range(count - 1, -1, -1)]


def last_complete_quarter(today: datetime.date) -> Quarter:
    return Quarter.containing(today).previous()

"""Scores from an instrument's scoring rules (its validated JSON definition),
pure functions so the worked examples in the tests need no database.

A reverse-scored item counts as (lowest option + highest option - answer):
on a 1-4 scale an answer of 1 counts 4. Domains (subscales) sum their items
after reversal; the total sums every item when the rules say so."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scores:
    total: int | None
    domains: dict = field(default_factory=dict)  # key -> int
    bands: dict = field(default_factory=dict)  # "total" or a domain key -> the band dict


def option_range(definition) -> tuple[int, int]:
    values = [option["value"] for option in definition["response_options"]]
    return min(values), max(values)


def scale_ranges(definition) -> dict:
    """{"total" or domain key: (lowest possible score, highest)}."""
    low, high = option_range(definition)
    ranges = {}
    if definition["scoring"]["total"]:
        n = len(definition["items"])
        ranges["total"] = (n * low, n * high)
    for domain in definition["scoring"].get("domains", []):
        n = len(domain["items"])
        ranges[domain["key"]] = (n * low, n * high)
    return ranges


def counted(definition, answers: dict) -> dict:
    """{item number: the value it counts for}, reverse-scored items reversed."""
    low, high = option_range(definition)
    reverse = {item["number"] for item in definition["items"] if item.get("reverse_scored")}
    return {number: (low + high - value if number in reverse else value) for number, value in answers.items()}


def band_for(definition, scale: str, score: int) -> dict | None:
    for band in definition["scoring"].get("bands", []):
        if band["scale"] == scale and band["min"] <= score <= band["max"]:
            return band
    return None


def score(definition, answers: dict) -> Scores:
    """`answers`: {item number: answer value} for every item of the instrument."""
    numbers = {item["number"] for item in definition["items"]}
    missing = numbers - set(answers)
    if missing:
        raise ValueError(f"Items not answered: {sorted(missing)}")
    values = counted(definition, answers)
    total = sum(values[n] for n in numbers) if definition["scoring"]["total"] else None
    domains = {d["key"]: sum(values[n] for n in d["items"]) for d in definition["scoring"].get("domains", [])}
    bands = {}
    if total is not None and (band := band_for(definition, "total", total)):
        bands["total"] = band
    for key, value in domains.items():
        if band := band_for(definition, key, value):
            bands[key] = band
    return Scores(total=total, domains=domains, bands=bands)

"""Every indicator for every network and quarter, suppressed once, for the
dashboard, the report, the CSV, the PDF and the API alike.

Each indicator is measured for all active networks together, over all the
quarters at once where its app gives ``measure_periods`` and once per quarter
otherwise (``Indicator.measure_over``), so the number of queries depends on the
number of indicators and quarters, never on the number of networks or rows. Suppression
(core.suppression) is decided over the whole table of networks by quarter,
with the federation's total for each quarter as the column total, so every
page shows the same figure hidden whoever reads it and whatever it filters:
a network's own page cannot be set against the federation's to undo it.
Rates and averages are shown only beside a group of 5 or more whose count is
shown; hours (sums over people) likewise, and where they add up to the
federation's total, another is withheld so no hidden one can be worked out."""

from dataclasses import dataclass, field

from recoverynet.core.registry import Indicator, measuring
from recoverynet.core.suppression import NOT_SHOWN, Figure, Status, protect_rate, protect_sums, protect_table
from recoverynet.federation.models import Network, Settlement

from .framework import COVERAGE, EXPECTED, OUTCOMES, Quarter, registered

NOT_YET_MEASURED = "not yet measured"


@dataclass
class IndicatorFigures:
    indicator: Indicator
    quarters: list[Quarter]
    rows: dict[int, list[Figure]]  # network id -> one Figure per quarter
    totals: list[Figure] | None  # the federation's, per quarter; None where figures do not add up

    def for_network(self, network_id) -> list[Figure]:
        return self.rows[network_id]

    @property
    def adds_up(self) -> bool:
        return self.totals is not None


@dataclass
class Figures:
    networks: list[Network]
    quarters: list[Quarter]
    indicators: dict[str, IndicatorFigures] = field(default_factory=dict)

    def outcomes(self) -> list[dict]:
        """The nine outcomes, each with its measured indicators and those not yet measured."""
        result = []
        for number, text in OUTCOMES.items():
            measured = [f for f in self.indicators.values() if number in f.indicator.outcomes]
            missing = [e for e in EXPECTED if number in e.outcomes and e.key not in self.indicators]
            result.append({"number": number, "text": text, "indicators": measured, "missing": missing})
        return result

    def coverage(self) -> list[dict]:
        """Outcome 9: for each network, in the latest quarter, whether each kind of activity is there."""
        latest = len(self.quarters) - 1
        rows = []
        for network in self.networks:
            cells = []
            for label, keys in COVERAGE:
                measured = [self.indicators[key] for key in keys if key in self.indicators]
                if not measured:
                    cells.append({"label": label, "answer": NOT_YET_MEASURED, "covered": None})
                    continue
                covered = any((f.rows[network.pk][latest].value or 0) > 0 for f in measured)
                cells.append({"label": label, "answer": "Yes" if covered else "No", "covered": covered})
            rows.append({"network": network, "cells": cells})
        return rows


def _measure_all(indicator_list, networks, quarters):
    periods = [quarter.period for quarter in quarters]
    with measuring():  # indicators reading one query (core.registry.shared_measurement) share it
        return {indicator.key: indicator.measure_over(networks, periods) for indicator in indicator_list}


def compute(quarters: list[Quarter], *, networks=None) -> Figures:
    """Every registered indicator for every active network (or `networks`) over `quarters`."""
    networks = list(networks if networks is not None else Network.objects.active().order_by("name"))
    found = registered()
    raw = _measure_all(found.values(), networks, quarters)
    figures = Figures(networks=networks, quarters=quarters)
    # Counts first: rates are shown only beside their group's size.
    for indicator in sorted(found.values(), key=lambda i: not i.count):
        values = raw[indicator.key]
        if indicator.count:
            matrix = [[int(values[q][network.pk] or 0) for q in range(len(quarters))] for network in networks]
            table = protect_table(matrix, row_totals=False, column_totals=True) if networks else None
            rows = {network.pk: [table.cell(r, q) for q in range(len(quarters))] for r, network in enumerate(networks)}
            totals = [table.column_total(q) for q in range(len(quarters))] if table else []
        elif indicator.unit == "hours":  # sums over people: they add up across networks
            rows, totals = _sums(indicator, values, networks, quarters, figures)
        else:
            group = figures.indicators.get(indicator.denominator) if indicator.denominator else None
            rows = {}
            for network in networks:
                cells = []
                for q in range(len(quarters)):
                    value = values[q][network.pk]
                    if value is None:
                        cells.append(Figure(None, Status.WITHHELD, NOT_YET_MEASURED))
                    elif indicator.denominator:
                        # A rate over a group not measured here is not shown at all.
                        cells.append(protect_rate(value, group.rows[network.pk][q] if group else Figure(0)))
                    else:
                        cells.append(Figure(value))
                rows[network.pk] = cells
            totals = None  # rates and averages do not add up
        figures.indicators[indicator.key] = IndicatorFigures(indicator, quarters, rows, totals)
    return figures


def _sums(indicator, values, networks, quarters, figures):
    """Hours given by people, per network and quarter, with the federation's total: each
    withheld where the people who gave them (the denominator's count) are under 5 or hidden,
    and another withheld where the total would give a hidden one away (core.suppression.protect_sums).
    Without a measured denominator nothing is shown: no sum over people goes unprotected."""
    group = figures.indicators.get(indicator.denominator) if indicator.denominator else None
    rows = {network.pk: [] for network in networks}
    totals = []
    for q in range(len(quarters)):
        cells = [round(values[q][network.pk] or 0, 2) for network in networks]
        whole = round(sum(cells), 2)
        if group is None:
            shown = [Figure(value, Status.WITHHELD, NOT_SHOWN) for value in cells]
            total = Figure(whole, Status.WITHHELD, NOT_SHOWN)
        else:
            groups = [group.rows[network.pk][q] for network in networks]
            group_total = group.totals[q] if group.totals else Figure(0)
            shown, total = protect_sums(cells, whole, groups, group_total)
        for network, figure in zip(networks, shown, strict=True):
            rows[network.pk].append(figure)
        totals.append(total)
    return rows, totals


def by_settlement(figures: Figures, network, settlement) -> dict[str, list[Figure]]:
    """{indicator key: one Figure per quarter} for `settlement`, for the counts whose app
    measures them by settlement (Indicator.measure_settlements): one query per indicator
    and quarter. Suppressed over a table of all the network's settlements and the people
    or things at none, adding up to the network's figure; where the network's own table
    hid that figure, it is hidden here too, so the settlements cannot be added up to it."""
    settlements = list(Settlement.objects.filter(network=network, is_active=True).order_by("name", "pk"))
    if settlement not in settlements:
        return {}
    index = settlements.index(settlement)
    quarters = range(len(figures.quarters))
    result = {}
    for key, found in figures.indicators.items():
        indicator = found.indicator
        if not (indicator.count and indicator.measure_settlements):
            continue
        values = [indicator.measure_settlements(settlements, quarter.period) for quarter in figures.quarters]
        network_figures = found.rows[network.pk]
        matrix = [[int(values[q][s.pk] or 0) for q in quarters] for s in settlements]
        # The people or things at no settlement: what the network's figure leaves over.
        matrix.append([max(0, int(network_figures[q].value or 0) - sum(row[q] for row in matrix)) for q in quarters])
        hidden = [(len(matrix), q) for q in quarters if not network_figures[q].shown]
        table = protect_table(matrix, row_totals=False, column_totals=True, hidden=hidden)
        result[key] = [table.cell(index, q) for q in quarters]
    return result

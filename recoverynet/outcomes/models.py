"""The outcomes app keeps no figures of its own (it reads every app's through
core.registry.indicators()); it keeps only the assumptions behind each
network's illustrative treatment-savings figure, which the federation
coordinator sets and every report prints beside the number."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

PHE_RETURN = Decimal("2.50")
PHE_SOURCE = (
    "Public Health England's estimate that every £1 spent on drug treatment saves £2.50 in costs to society "
    "(PHE, 2017)."
)


class SavingsAssumptions(models.Model):
    """What the illustrative treatment-savings figure for one network assumes."""

    network = models.OneToOneField("federation.Network", on_delete=models.CASCADE, related_name="savings_assumptions")
    people_sustaining_recovery = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(1_000_000)],
        help_text="How many people the network supports in sustained recovery in a year, as you estimate it.",
    )
    cost_per_episode = models.DecimalField(
        "cost per treatment episode (£)",
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000"))],
        help_text="The average cost of one structured treatment episode, in pounds.",
    )
    return_per_pound = models.DecimalField(
        "saving per £1 spent on treatment (£)",
        max_digits=5,
        decimal_places=2,
        default=PHE_RETURN,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="£2.50 is Public Health England's estimate for drug treatment.",
    )
    basis = models.CharField(
        "where these figures come from",
        max_length=300,
        blank=True,
        help_text="For example: local commissioning data, 2025-26.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "savings assumptions"

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self):
        return f"Savings assumptions for {self.network.name}"

    @property
    def is_set(self) -> bool:
        return bool(self.people_sustaining_recovery and self.cost_per_episode)

    @property
    def treatment_cost(self) -> Decimal:
        return self.people_sustaining_recovery * self.cost_per_episode

    @property
    def illustrative_saving(self) -> Decimal:
        return (self.treatment_cost * self.return_per_pound).quantize(Decimal("1"))

    def explanation(self) -> str:
        if not self.is_set:
            return "Not yet estimated: the federation coordinator has not set the assumptions for this network."
        return (
            f"£{self.illustrative_saving:,} = {self.people_sustaining_recovery:,} people sustaining recovery "
            f"× £{self.cost_per_episode:,} per treatment episode × £{self.return_per_pound} saved per £1 "
            f"({PHE_SOURCE}) Illustrative only, not a measured saving."
            + (f" Basis: {self.basis}" if self.basis else "")
        )

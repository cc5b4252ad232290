"""The time bank's ledger: double entry, append-only, in whole minutes.

Every Transaction has Postings that sum to zero, per network as well as in
total; an Account's balance is the sum of its postings (never a stored
number); nothing posted is changed or deleted: a correction is a reversing
transaction with a reason. Each transaction keeps a digest of its postings,
so `manage.py timebank_audit` can prove no posted row was changed.

Transfers between networks pass through clearing accounts: network A's
clearing account for B and B's for A, so each network's books balance on
their own and the federation can see what each network owes the others.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from recoverynet.core.moderation import ReportBase
from recoverynet.core.personal_data import ANONYMISE, DELETE, KEEP, PersonalData

MAX_TRANSFER_MINUTES = 100 * 60  # no single exchange records more than 100 hours
DEFAULT_FLOOR_MINUTES = -10 * 60  # members may give back later: up to 10 hours in debt
DEFAULT_CEILING_MINUTES = 200 * 60


def format_minutes(minutes: int) -> str:
    """150 → "2 h 30 min", -45 → "−45 min", 0 → "0 min"."""
    sign = "−" if minutes < 0 else ""
    hours, rest = divmod(abs(int(minutes)), 60)
    if hours and rest:
        return f"{sign}{hours} h {rest} min"
    if hours:
        return f"{sign}{hours} h"
    return f"{sign}{rest} min"


class AppendOnly(models.Model):
    """Rows that are written once: a second save or a delete is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Posted ledger entries never change: record a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Posted ledger entries are never deleted: record a reversal instead.")


class AccountQuerySet(models.QuerySet):
    def with_balance(self):
        return self.annotate(balance=models.functions.Coalesce(Sum("postings__amount"), 0))


class Account(models.Model):
    """Who holds hours in one network's time bank: a member, an organisation, a
    settlement, or the network's clearing account with another network."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        ORGANISATION = "organisation", "Organisation"
        SETTLEMENT = "settlement", "Recovery settlement"
        CLEARING = "clearing", "Clearing with another network"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="timebank_accounts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="timebank_accounts"
    )
    organisation = models.ForeignKey(
        "federation.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="timebank_accounts"
    )
    settlement = models.ForeignKey(
        "federation.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="timebank_accounts"
    )
    counterpart = models.ForeignKey(
        "federation.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Limits set by the network; clearing accounts have none (they mirror what members moved).
    floor = models.IntegerField(null=True, blank=True, default=DEFAULT_FLOOR_MINUTES)
    ceiling = models.IntegerField(null=True, blank=True, default=DEFAULT_CEILING_MINUTES)
    is_open = models.BooleanField(default=True)
    opened_at = models.DateTimeField(auto_now_add=True)

    objects = AccountQuerySet.as_manager()

    personal_data = PersonalData(
        owner="user",
        on_erase=KEEP,
        reason="The ledger must balance: an erased member's account stays, linked to an anonymised person.",
        export=("network", "kind", "floor", "ceiling", "is_open", "opened_at"),
        section="timebank_accounts",
        description="your time bank accounts",
    )

    class Meta:
        ordering = ["network", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="timebank_one_member_account_per_network"),
            models.UniqueConstraint(
                fields=["network", "organisation"], name="timebank_one_organisation_account_per_network"
            ),
            models.UniqueConstraint(fields=["network", "settlement"], name="timebank_one_settlement_account"),
            models.UniqueConstraint(fields=["network", "counterpart"], name="timebank_one_clearing_account_per_pair"),
            models.CheckConstraint(
                condition=(
                    Q(kind="member", user__isnull=False, organisation__isnull=True, settlement__isnull=True)
                    | Q(kind="organisation", organisation__isnull=False, user__isnull=True, settlement__isnull=True)
                    | Q(kind="settlement", settlement__isnull=False, user__isnull=True, organisation__isnull=True)
                    | Q(kind="clearing", counterpart__isnull=False, user__isnull=True, organisation__isnull=True)
                ),
                name="timebank_account_holder_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(ceiling__isnull=True) | Q(floor__lte=0, ceiling__gte=0),
                name="timebank_limits_around_zero",
            ),
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        if self.kind == self.Kind.CLEARING:
            return f"Time bank clearing account #{self.pk} ({self.network_id}↔{self.counterpart_id})"
        return f"Time bank account #{self.pk}"

    def balance(self) -> int:
        return self.postings.aggregate(total=Sum("amount"))["total"] or 0

    def allows(self, balance: int) -> bool:
        return (self.floor is None or balance >= self.floor) and (self.ceiling is None or balance <= self.ceiling)


class Transaction(AppendOnly):
    """One movement of time, between accounts of one network or through clearing accounts."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "Transfer"
        EXCHANGE = "exchange", "Exchange"
        GROUP_ACTIVITY = "group_activity", "Group activity"
        REVERSAL = "reversal", "Reversal"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TRANSFER)
    description = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300, blank=True)  # why, for a reversal
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    # One per submitted form or API call: the same key twice is the same transfer, applied once.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    digest = models.CharField(max_length=64, blank=True)  # of its postings, set once they are written
    # What the time was for (an exchange's category, or a group activity's): reports group hours by it.
    category = models.ForeignKey(
        "timebank.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )

    personal_data = PersonalData(
        owner="created_by",
        # The amounts stay (the books must balance); the words the person typed go.
        on_erase="recoverynet.timebank.models.erase_transaction_text",
        fields=("description", "reason"),
        export=("kind", "description", "created_at"),
        section="timebank_transactions_recorded",
        description="time bank transactions you recorded",
        free_text=("description", "reason"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Time bank transaction #{self.pk}"

    @staticmethod
    def digest_of(transaction_id, postings) -> str:
        """A fingerprint of what was posted: the account and amount of each posting."""
        lines = [str(transaction_id)] + sorted(f"{account_id}:{amount}" for account_id, amount in postings)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def erase_transaction_text(*, actor, user, rows) -> None:
    """Erasure empties what the person wrote on the transactions they recorded.
    The only change ever made to a posted transaction: its amounts and digest stay."""
    Transaction.objects.filter(pk__in=[row.pk for row in rows]).update(description="", reason="")


class Posting(AppendOnly):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.IntegerField()  # minutes: positive credits the account, negative debits it

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["account", "transaction"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="timebank_posting_not_zero")]

    def __str__(self):
        return f"Posting #{self.pk}"


class Exchange(models.Model):
    """Time one member gave another: recorded by the giver, then confirmed (the
    receiver's account pays the giver's, in one transaction) or disputed."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        DISPUTED = "disputed", "Disputed"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="timebank_exchanges")
    giver = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="exchanges_given")
    receiver = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="exchanges_received")
    minutes = models.PositiveIntegerField()
    description = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECORDED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(max_length=300, blank=True)
    # A coordinator recording for members without internet access says how they know.
    coordinator_note = models.CharField(max_length=300, blank=True)
    # When the receiver was reminded that it will confirm itself (sent once, never again).
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    auto_confirmed = models.BooleanField(default=False)
    # One per submitted form or API call: the same key twice records one exchange.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="exchange"
    )
    # What kind of help it was (from the agreed post, or chosen when recorded); optional.
    category = models.ForeignKey(
        "timebank.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="exchanges"
    )

    personal_data = PersonalData(
        owner="recorded_by",
        on_erase=ANONYMISE,  # the record stays for the ledger; what they wrote goes
        fields=("description", "dispute_reason", "coordinator_note"),
        export=("minutes", "description", "status", "recorded_at"),
        section="timebank_exchanges",
        description="time bank exchanges you recorded",
        free_text=("description", "dispute_reason", "coordinator_note"),
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0), name="timebank_exchange_minutes_positive")]
        indexes = [models.Index(fields=["status", "recorded_at"], name="timebank_exchange_waiting")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Time bank exchange #{self.pk}"

    @property
    def shown_minutes(self) -> str:
        return format_minutes(self.minutes)


# --- Offers and requests: what members can give and what they need ---------------

# The categories every time bank starts with (timebank.services.ensure_default_categories).
# (slug, name, requires_vetting, co_production)
DEFAULT_CATEGORIES = (
    ("lifts-to-meetings", "Lifts to meetings", False, False),
    ("cooking", "Cooking", False, False),
    ("befriending", "Befriending", False, False),
    ("cv-help", "CV help", False, False),
    ("diy", "DIY", False, False),
    ("gardening", "Gardening", False, False),
    ("peer-support", "Peer support", False, False),
    ("digital-help", "Digital help", False, False),
    ("home-visits", "Home visits", True, False),
    ("with-children", "Anything with children", True, False),
    ("co-production", "Co-production with services", False, True),
)


class Category(models.Model):
    """What kind of help an offer or request is about. Some need a member whom a
    coordinator has marked vetted; co-production hours are counted apart in reports."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    requires_vetting = models.BooleanField(
        default=False, help_text="Only members a coordinator has marked vetted can give this help."
    )
    co_production = models.BooleanField(
        default=False, help_text="Time given to shape or run services with them: counted as co-production."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def audit_repr(self) -> str:
        return f"Time bank category {self.name}"


class Post(models.Model):
    """An offer (what a member can give) or a request (what they need), posted
    with their time bank account in one network."""

    class Kind(models.TextChoices):
        OFFER = "offer", "Offer"
        REQUEST = "request", "Request"

    class Visibility(models.TextChoices):
        NETWORK = "network", "My network only"
        FEDERATION = "federation", "Every network in the federation"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="timebank_posts")
    poster = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.NETWORK)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # A coordinator hides a reported post: only its poster and the network's coordinators still see it.
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        owner="poster__user",
        fields=("title", "description"),
        on_erase=DELETE,
        export=("kind", "category", "title", "description", "visibility", "status", "created_at"),
        section="timebank_posts",
        description="your time bank offers and requests",
        free_text=("title", "description"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "status", "kind"]), models.Index(fields=["visibility", "status"])]

    def __str__(self):
        return self.audit_repr()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("timebank:post_detail", kwargs={"pk": self.pk})

    def audit_repr(self) -> str:
        return f"Time bank {self.kind} #{self.pk}"

    @property
    def poster_gives(self) -> bool:
        return self.kind == self.Kind.OFFER


class Response(models.Model):
    """A member answers an offer or a request with a short message; the poster may agree it."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        AGREED = "agreed", "Agreed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="responses")
    message = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    exchange = models.OneToOneField(
        Exchange, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreed_response"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        owner="responder__user",
        fields=("message",),
        on_erase=DELETE,  # an agreed exchange keeps its own record
        export=("post", "message", "status", "created_at"),
        section="timebank_responses",
        description="your answers to time bank offers and requests",
        free_text=("message",),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "responder"], name="timebank_one_response_per_member"),
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Time bank response #{self.pk}"


class Vetting(models.Model):
    """A coordinator has checked this member (references, a DBS check) for the
    categories that need it, in one network."""

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="timebank_vettings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timebank_vettings")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timebank_vettings_marked",
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    personal_data = [
        PersonalData(
            owner="user",
            on_erase=DELETE,
            export=("network", "marked_at"),
            section="timebank_vetting",
            description="the networks whose coordinators marked you vetted for the time bank",
        ),
        PersonalData(
            owner="marked_by",
            fields=("marked_by",),
            on_erase=ANONYMISE,  # the member stays vetted; who marked them goes
            export=("network", "marked_at"),
            section="timebank_vetting_marked",
            description="time bank members you marked vetted",
        ),
    ]

    class Meta:
        ordering = ["network", "pk"]
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="timebank_vetted_once_per_network")]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Time bank vetting #{self.pk}"


class Block(models.Model):
    """A member no longer wants to see or hear from another: neither sees the
    other's posts, and neither can answer the other's."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timebank_blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timebank_blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = [
        PersonalData(
            owner="blocker",
            on_erase=DELETE,
            export=("blocked", "created_at"),
            section="timebank_blocks",
            description="members you blocked in the time bank",
        ),
        PersonalData(
            owner="blocked",
            on_erase=DELETE,
            export=None,
            reason="Who blocked a person is the blocker's own data, and telling could put them at risk.",
        ),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="timebank_block_once"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="timebank_block_not_self"),
        ]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Time bank block #{self.pk}"


class Report(ReportBase):
    """A member tells the network's coordinators about another member or a post (core.moderation)."""

    class Reason(models.TextChoices):
        UNSAFE = "unsafe", "I felt unsafe, or someone else could be at risk"
        HARASSMENT = "harassment", "Harassment or unwanted contact"
        OFFENSIVE = "offensive", "Offensive or discriminatory"
        SCAM = "scam", "Asking for money, or selling something"
        NO_SHOW = "no_show", "Did not turn up, or did not do what was agreed"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        NO_ACTION = "no_action", "No action needed"
        ADVICE = "advice", "Spoke to the people involved"
        POST_HIDDEN = "post_hidden", "The post was hidden"
        SAFEGUARDING = "safeguarding", "Passed to the safeguarding lead"

    network = models.ForeignKey("federation.Network", on_delete=models.PROTECT, related_name="timebank_reports")
    reported_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="timebank_reports_about",
    )
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    target_fields = ("post", "reported_member")
    network_lookups = ("network",)
    moderate_permission = "timebank.moderate"
    area = "Time bank"
    queue_related = ("network", "post", "reported_member")

    personal_data = [
        PersonalData(
            owner="reporter",
            fields=("reporter", "details"),
            on_erase=ANONYMISE,  # the coordinators' record stays, without who made it or what they wrote
            export=("reason", "details", "status", "created_at"),
            section="timebank_reports",
            description="reports you made to time bank coordinators",
            free_text=("details", "outcome_note"),
        ),
        PersonalData(
            owner="reported_member",
            fields=("reported_member", "details"),
            on_erase=ANONYMISE,  # kept as a record that something was reported and decided, about nobody
            export=None,
            reason="Reports about a person are kept from them to protect whoever reported; coordinators can tell "
            "them what was reported on request.",
        ),
        PersonalData(
            owner="closed_by",
            fields=("closed_by",),
            on_erase=ANONYMISE,
            export=("reason", "outcome", "closed_at"),
            section="timebank_reports_closed",
            description="time bank reports you closed as a coordinator",
        ),
    ]

    class Meta(ReportBase.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self) -> str:
        return f"Time bank report #{self.pk}"

    def get_network(self):
        return self.network

    def target_label(self) -> str:
        if self.post_id and self.post:
            return f"Post: {self.post.title}"
        if self.reported_member_id and self.reported_member:
            return self.reported_member.display_name
        return "A former member"

    def get_review_url(self) -> str:
        return reverse("timebank:manage:report_detail", kwargs={"pk": self.pk})

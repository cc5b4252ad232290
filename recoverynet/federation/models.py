"""The federation's structure: networks, recovery settlements, organisations,
partnerships and people's memberships."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from recoverynet.core.personal_data import DELETE, KEEP, NoPersonalData, PersonalData

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class Federation(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    coordinators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_federations")

    personal_data = PersonalData(
        owner="coordinators",
        on_erase="recoverynet.federation.personal_data.stop_coordinating",
        export=("name",),
        section="coordinator_roles",
        description="the federations you coordinate",
        public_text=("description",),
    )

    def __str__(self):
        return self.name

    def audit_repr(self):
        return f"Federation {self.name}"


class NetworkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Network(models.Model):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="networks")
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=300, blank=True, help_text="One sentence shown in lists.")
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=LATITUDE)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=LONGITUDE)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    requires_approval = models.BooleanField(
        default=True, help_text="New members wait for a coordinator's approval before they join."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = NoPersonalData(
        reason="The network's public contact address, published for everyone.", fields=("contact_email",)
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("federation:network_detail", kwargs={"slug": self.slug})

    def audit_repr(self):
        return f"Network {self.name}"

    @property
    def network_id(self):
        return self.pk


class SettlementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, network__is_active=True)


class Settlement(models.Model):
    """A recovery settlement: a community hub where people in recovery, allies,
    groups and organisations link up to plan and deliver projects."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="settlements")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    activities = models.TextField(blank=True, help_text="What happens here: groups, projects, cafés, training.")
    address_line_1 = models.CharField(max_length=150, blank=True)
    address_line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=LATITUDE)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True, validators=LONGITUDE)
    opening_times = models.TextField(blank=True, help_text="For example: Monday to Friday, 10am to 4pm.")
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loop, toilets, parking.")
    contact_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="The hub's public number, not a person's.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = NoPersonalData(
        reason="The hub's public contact address, published for everyone.", fields=("contact_email",)
    )

    objects = SettlementQuerySet.as_manager()

    class Meta:
        ordering = ["network__name", "name"]
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="unique_settlement_name_per_network")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("federation:settlement_detail", kwargs={"slug": self.slug})

    def audit_repr(self):
        return f"Settlement {self.name}"

    @property
    def address_lines(self):
        return [p for p in (self.address_line_1, self.address_line_2, self.town, self.postcode) if p]


class Sector(models.TextChoices):
    PUBLIC = "public", "Public sector"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    PRIVATE = "private", "Private sector"
    MUTUAL_AID = "mutual_aid", "Mutual-aid group"


class Organisation(models.Model):
    # The stable public identifier open standards need (Open Referral UK ids are UUIDs).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    networks = models.ManyToManyField(Network, related_name="organisations", blank=True)
    description = models.TextField(blank=True)
    town = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = NoPersonalData(
        reason="The organisation's public contact address, published for everyone.", fields=("email",)
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("federation:organisation_detail", kwargs={"slug": self.slug})

    def audit_repr(self):
        return f"Organisation {self.name}"


class Partnership(models.Model):
    """Organisations (and networks) working together for a purpose: the
    evidence for outcome 6, recovery-focused partnerships across sectors."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    purpose = models.TextField()
    lead_network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="led_partnerships", help_text="The network that looks after it."
    )
    networks = models.ManyToManyField(Network, related_name="partnerships", blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="partnerships", blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("federation:partnership_detail", kwargs={"slug": self.slug})

    def audit_repr(self):
        return f"Partnership {self.name}"

    @property
    def network_id(self):
        return self.lead_network_id

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})


class Membership(models.Model):
    """A person's place in a network (and optionally one of its settlements),
    with the role that decides what they may see and do there."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        PROFESSIONAL = "professional", "Professional"
        SETTLEMENT_HOST = "settlement_host", "Settlement host"
        NETWORK_COORDINATOR = "network_coordinator", "Network coordinator"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        LEFT = "left", "Left"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    settlement = models.ForeignKey(
        Settlement, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        help_text="For professionals: the organisation they work for.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    joined_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)

    personal_data = PersonalData(
        owner="user",
        on_erase="recoverynet.federation.personal_data.leave_networks",
        export="recoverynet.federation.personal_data.export_memberships",
        section="memberships",
        description="the networks and settlements you joined or asked to join",
        # A coordinator's words about a person: that it changed is logged, never what it says.
        free_text=("decision_reason",),
    )

    class Meta:
        ordering = ["network__name", "-joined_at"]
        constraints = [models.UniqueConstraint(fields=["user", "network"], name="one_membership_per_network")]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self):
        # No display name: audit entries outlive a person's erasure.
        return f"Membership #{self.pk} of {self.network.name}"

    def clean(self):
        errors = {}
        if self.settlement_id and self.network_id and self.settlement.network_id != self.network_id:
            errors["settlement"] = "Choose a settlement in this network."
        if self.role == self.Role.SETTLEMENT_HOST and not self.settlement_id:
            errors["settlement"] = "A settlement host needs a settlement to host."
        if self.role == self.Role.PROFESSIONAL and not self.organisation_id:
            errors["organisation"] = "A professional needs the organisation they work for."
        if (
            self.organisation_id
            and self.network_id
            and not self.organisation.networks.filter(pk=self.network_id).exists()
        ):
            errors["organisation"] = "Choose an organisation that belongs to this network."
        if errors:
            raise ValidationError(errors)


class CommissionerAccessQuerySet(models.QuerySet):
    def current(self, today=None):
        """Access in force today: not revoked, and not past its end date."""
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today)
        )


class CommissionerAccess(models.Model):
    """Read access to the aggregated outcomes of one network (or, with no network,
    of the whole federation) for someone from a commissioning body, such as a
    local authority's public health team. Granted and revoked by the federation
    coordinator. A commissioner reads the outcomes dashboard, its report and the
    outcomes API, and nothing that shows a person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commissioner_accesses")
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioner_accesses",
        help_text="Leave empty for the whole federation.",
    )
    body = models.CharField(
        "Commissioning body", max_length=150, help_text="For example, Cumbria County Council public health team."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    ends_on = models.DateField(null=True, blank=True, help_text="The last day of access. Leave empty for no end date.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    personal_data = [
        PersonalData(
            owner="user",
            # Erasing the account ends the access; the audit log keeps that it was granted and revoked.
            on_erase=DELETE,
            export=("network", "body", "granted_at", "ends_on", "revoked_at"),
            section="commissioner_access",
            description="your access to aggregated outcomes as a commissioner",
        ),
        PersonalData(
            owner="granted_by",
            on_erase=KEEP,
            export=("network", "body", "granted_at"),
            section="commissioner_access_granted",
            description="the commissioners you gave access to, as the federation coordinator",
            reason="The federation's record of who gave a commissioner access; it points at 'Former member'.",
        ),
        PersonalData(
            owner="revoked_by",
            on_erase=KEEP,
            export=("network", "body", "revoked_at"),
            section="commissioner_access_revoked",
            description="the commissioners' access you ended, as the federation coordinator",
            reason="The federation's record of who ended a commissioner's access; it points at 'Former member'.",
        ),
    ]

    objects = CommissionerAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name_plural = "commissioner access"
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return self.audit_repr()

    def audit_repr(self):
        # No name: audit entries outlive a person's erasure.
        scope = self.network.name if self.network_id else "the whole federation"
        return f"Commissioner access #{self.pk} to {scope}"

    @property
    def scope_name(self):
        return self.network.name if self.network_id else "The whole federation"

    @property
    def scope_name_in_text(self):
        return self.network.name if self.network_id else "the whole federation"

    def is_current(self, today=None):
        today = today or timezone.localdate()
        return self.revoked_at is None and (self.ends_on is None or self.ends_on >= today)

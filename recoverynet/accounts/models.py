"""People: the custom user model and their consent records."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from encrypted_fields.fields import EncryptedCharField, EncryptedDateField, EncryptedJSONField

from recoverynet.core.personal_data import PersonalData


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        extra_fields.setdefault("display_name", email.split("@")[0][:60])
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class SelfDescription(models.TextChoices):
    """Which roles describe a person, in their own words (health-related, so encrypted)."""

    IN_RECOVERY = "in_recovery", "I am in recovery"
    RECOVERING = "recovering", "I am recovering"
    FAMILY = "family", "I am a family member or friend of someone in recovery"
    ALLY = "ally", "I am a recovery ally"
    PROFESSIONAL = "professional", "I work in a service or organisation"


class User(AbstractBaseUser, PermissionsMixin):
    """A person. `display_name` is what everyone else sees and may be a
    pseudonym; everything else personal is encrypted at rest."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=60, help_text="The name other people see. It can be a first name, initials or a pseudonym."
    )
    legal_name = EncryptedCharField(max_length=150, blank=True, null=True)
    phone = EncryptedCharField(max_length=30, blank=True, null=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    # The encrypted-fields library stores empty values as NULL.
    self_descriptions = EncryptedJSONField(default=list, blank=True, null=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    # Every field here is never written to the audit log, even those not encrypted.
    personal_data = PersonalData(
        owner="pk",
        fields=(
            *("email", "display_name", "legal_name", "phone", "date_of_birth", "self_descriptions"),
            *("password", "last_login"),
        ),
        on_erase="recoverynet.accounts.personal_data.erase_profile",
        export="recoverynet.accounts.personal_data.export_profile",
        section="profile",
        description="your account and the optional details you gave us",
        erase_last=True,  # the email finds the person's other rows until then
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name", "id"]

    def __str__(self):
        return self.display_name

    def audit_repr(self):
        return f"Person #{self.pk}"

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @property
    def is_erased(self):
        return self.erased_at is not None

    def get_self_descriptions_display(self):
        labels = dict(SelfDescription.choices)
        return [labels[v] for v in self.self_descriptions or [] if v in labels]


class ConsentPurpose(models.TextChoices):
    CONTACT = "contact", "Contact"
    OUTCOME_MEASUREMENT = "outcome_measurement", "Outcome measurement"
    RESEARCH = "research", "Research"
    STORY_PUBLICATION = "story_publication", "Story publication"
    REFERRAL_SHARING = "referral_sharing", "Referral sharing"
    TIME_BANK = "time_bank", "Time bank"


class ConsentRecord(models.Model):
    """One decision a person made about one purpose, with the exact wording
    version they saw. Append-only: the latest record per purpose is in force."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consent_records")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    wording_version = models.CharField(max_length=20)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    personal_data = PersonalData(
        owner="user",
        on_erase="recoverynet.accounts.personal_data.withdraw_consents",
        export="recoverynet.accounts.personal_data.export_consents",
        section="consents",
        description="every consent decision you made, with the wording version you saw",
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-recorded_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()}: {'given' if self.granted else 'withdrawn'}"

    def audit_repr(self):
        return f"Consent #{self.pk} ({self.purpose})"

"""Serializers for the time bank API. They check the *shape* of input; the
services (timebank.services) decide and write, as for the pages. Accounts are
named by their id; people by their display name only, never an email."""

from rest_framework import serializers

from recoverynet.core.api import StrictCharField

from ..models import MAX_TRANSFER_MINUTES, Account, Exchange, Post, Posting, Response, format_minutes

MAX_ID = 2**31 - 1


def holder_name(account) -> str:
    if account.kind == Account.Kind.MEMBER:
        return account.user.display_name
    if account.kind == Account.Kind.ORGANISATION:
        return account.organisation.name
    if account.kind == Account.Kind.SETTLEMENT:
        return account.settlement.name
    return f"Clearing with {account.counterpart.name}"


class AccountSerializer(serializers.ModelSerializer):
    """A time bank account you hold, or, for coordinators, one of their network's."""

    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    holder = serializers.SerializerMethodField(help_text="The member's display name, or the organisation's name.")
    balance_minutes = serializers.IntegerField(source="balance", read_only=True, help_text="Whole minutes.")
    balance = serializers.SerializerMethodField(help_text="The balance in hours and minutes, for people.")

    class Meta:
        model = Account
        fields = ["id", "network", "kind", "holder", "balance_minutes", "balance", "floor", "ceiling", "is_open"]
        read_only_fields = fields

    def get_holder(self, account) -> str:
        return holder_name(account)

    def get_balance(self, account) -> str:
        return format_minutes(account.balance)


class PostingSerializer(serializers.ModelSerializer):
    """One line of a statement: time in (positive) or out (negative), and the balance after it."""

    transaction = serializers.IntegerField(source="transaction_id", read_only=True)
    date = serializers.DateTimeField(source="transaction.created_at", read_only=True)
    kind = serializers.CharField(source="transaction.kind", read_only=True)
    description = serializers.CharField(source="transaction.description", read_only=True)
    minutes = serializers.IntegerField(source="amount", read_only=True)
    balance_after = serializers.IntegerField(read_only=True, help_text="Whole minutes, after this line.")

    class Meta:
        model = Posting
        fields = ["id", "transaction", "date", "kind", "description", "minutes", "balance_after"]
        read_only_fields = fields


class ExchangeSerializer(serializers.ModelSerializer):
    """Time one member gave another: recorded by the giver, confirmed or disputed by the receiver."""

    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    giver = serializers.IntegerField(source="giver_id", read_only=True, help_text="The giver's account id.")
    giver_name = serializers.CharField(source="giver.user.display_name", read_only=True)
    receiver = serializers.IntegerField(source="receiver_id", read_only=True, help_text="The receiver's account id.")
    receiver_name = serializers.CharField(source="receiver.user.display_name", read_only=True)
    time = serializers.CharField(source="shown_minutes", read_only=True, help_text="In hours and minutes.")
    category = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The category's slug, if one was chosen."
    )

    class Meta:
        model = Exchange
        fields = [
            "id",
            "network",
            "giver",
            "giver_name",
            "receiver",
            "receiver_name",
            "minutes",
            "time",
            "description",
            "category",
            "status",
            "dispute_reason",
            "auto_confirmed",
            "recorded_at",
            "decided_at",
        ]
        read_only_fields = fields


class RecordExchangeSerializer(serializers.Serializer):
    """Record time you gave (from your account, or, as a coordinator, a member's)."""

    giver = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The account the time is given from.")
    receiver = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The member account it was given to.")
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_TRANSFER_MINUTES, help_text="Whole minutes.")
    description = StrictCharField(max_length=200, help_text="What the time was for.")
    category = StrictCharField(
        max_length=80, required=False, allow_blank=True, default="", help_text="Optional: a category's slug."
    )
    idempotency_key = StrictCharField(
        max_length=80, help_text="Unique for this request: sending the same key again records nothing new."
    )

    def validate_description(self, value):
        if "\x00" in value:
            raise serializers.ValidationError("Enter text without control characters.")
        return value


class DisputeSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=300, help_text="What is wrong with it. The giver and coordinators see this.")


# --- Offers and requests ----------------------------------------------------------


class PostSerializer(serializers.ModelSerializer):
    """An offer of help or a request for it; the poster by display name only."""

    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    poster_name = serializers.CharField(source="poster.user.display_name", read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "network",
            "kind",
            "category",
            "category_name",
            "title",
            "description",
            "visibility",
            "status",
            "poster_name",
            "created_at",
        ]
        read_only_fields = fields


class CreatePostSerializer(serializers.Serializer):
    """Post an offer or a request with one of your time bank accounts."""

    account = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Your member account to post with.")
    kind = serializers.ChoiceField(choices=Post.Kind.choices)
    category = StrictCharField(max_length=80, help_text="A category's slug, for example “gardening”.")
    title = StrictCharField(max_length=120)
    description = StrictCharField(max_length=2000, required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Post.Visibility.choices, default=Post.Visibility.NETWORK)

    def validate_title(self, value):
        return _no_control(value)

    def validate_description(self, value):
        return _no_control(value)


class ResponseSerializer(serializers.ModelSerializer):
    """An answer to an offer or a request; the responder by display name only."""

    post = serializers.IntegerField(source="post_id", read_only=True)
    responder_name = serializers.CharField(source="responder.user.display_name", read_only=True)

    class Meta:
        model = Response
        fields = ["id", "post", "responder_name", "message", "status", "created_at"]
        read_only_fields = fields


class RespondSerializer(serializers.Serializer):
    message = StrictCharField(
        max_length=500, help_text="When you could help, or what you need. The poster sees it and your display name."
    )

    def validate_message(self, value):
        return _no_control(value)


def _no_control(value):
    if "\x00" in value:
        raise serializers.ValidationError("Enter text without control characters.")
    return value

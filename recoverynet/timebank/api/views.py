"""The time bank API (/api/v1/timebank-…): your accounts, their statements,
your exchanges, and offers and requests (list, detail, post, answer), with
the same rules and services as the pages: a member sees their own; a
coordinator their network's; anyone else's is "not found".

Writes carry an idempotency key (recording an exchange), or are idempotent by
nature (confirming an exchange already confirmed, or disputing one already
disputed, by someone allowed to, answers with it as it stands)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from recoverynet.core.api import error_responses
from recoverynet.core.viewsets import ReadWriteQuerysetMixin

from .. import selectors, services
from ..models import Account, Category, Exchange, Post
from ..models import Response as ResponseModel
from . import serializers

_ACCOUNTS = Account.objects.select_related("network", "user", "organisation", "settlement", "counterpart")


def visible_accounts(user):
    return selectors.accounts_visible_to(user, _ACCOUNTS)


@extend_schema_view(
    list=extend_schema(
        summary="Your time bank accounts",
        description="Yours; coordinators also see their network's.",
        responses={200: serializers.AccountSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="A time bank account", responses={200: serializers.AccountSerializer, **error_responses(403, 404)}
    ),
)
class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    """Time bank accounts, with their balance in minutes."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.AccountSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Account.objects.none()
        return visible_accounts(self.request.user).with_balance().order_by("network__name", "kind", "pk")

    @extend_schema(
        summary="An account's statement",
        description="Every movement of time in or out of the account, newest first, with the balance after each.",
        responses={200: serializers.PostingSerializer(many=True), **error_responses(403, 404)},
    )
    @action(detail=True, methods=["get"])
    def statement(self, request, pk=None):
        account = self.get_object()
        page = self.paginate_queryset(selectors.statement(account))
        return self.get_paginated_response(serializers.PostingSerializer(page, many=True).data)


_DECIDE_ERRORS = error_responses(400, 403, 404)


@extend_schema_view(
    list=extend_schema(
        summary="Your exchanges",
        description="Given or received; coordinators see their network's.",
        responses={200: serializers.ExchangeSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="An exchange", responses={200: serializers.ExchangeSerializer, **error_responses(403, 404)}
    ),
    create=extend_schema(
        summary="Record time you gave",
        description="Nothing moves until the receiver confirms. The same idempotency_key again answers with the "
        "exchange it recorded (other details with a used key are refused).",
        request=serializers.RecordExchangeSerializer,
        responses={201: serializers.ExchangeSerializer, **error_responses(400, 403)},
    ),
)
class ExchangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Exchanges of time between members of a network's time bank."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.ExchangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Exchange.objects.none()
        visible = selectors.accounts_visible_to(self.request.user).values("pk")
        return (
            Exchange.objects.filter(Q(giver__in=visible) | Q(receiver__in=visible))
            .select_related("network", "giver__user", "receiver__user", "category")
            .order_by("-recorded_at", "-pk")
        )

    def _respond(self, exchange, status_code=status.HTTP_200_OK):
        exchange = self.get_queryset().filter(pk=exchange.pk).first() or exchange
        return Response(self.get_serializer(exchange).data, status=status_code)

    def create(self, request, *args, **kwargs):
        body = serializers.RecordExchangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        giver = visible_accounts(request.user).filter(pk=data["giver"]).first()
        if giver is None:  # in the body, not the address: a 400 naming the field
            return Response({"giver": ["Choose one of your time bank accounts."]}, status=status.HTTP_400_BAD_REQUEST)
        receiver = Account.objects.filter(pk=data["receiver"], network_id=giver.network_id).first()
        if receiver is None:
            return Response(
                {"receiver": ["Choose a member of the same network's time bank."]}, status=status.HTTP_400_BAD_REQUEST
            )
        category = None
        if data["category"]:
            category = Category.objects.filter(slug=data["category"], is_active=True).first()
            if category is None:
                return Response({"category": ["Choose a category from the list."]}, status=status.HTTP_400_BAD_REQUEST)
        exchange = services.record_exchange(
            actor=request.user,
            giver=giver,
            receiver=receiver,
            minutes=data["minutes"],
            description=data["description"],
            idempotency_key=data["idempotency_key"],
            category=category,
        )
        return self._respond(exchange, status.HTTP_201_CREATED)

    def _decide(self, decide, settled_status):
        exchange = self.get_object()
        try:
            decide(exchange)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "decided" and exchange.status == settled_status:
                return self._respond(exchange)  # asked again: it stands as asked
            raise
        return self._respond(exchange)

    @extend_schema(
        summary="Confirm time you received",
        description="The receiver (or their coordinator) confirms: the time moves, in one transaction.",
        request=None,
        responses={200: serializers.ExchangeSerializer, **_DECIDE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(
            lambda exchange: services.confirm_exchange(actor=request.user, exchange=exchange),
            Exchange.Status.CONFIRMED,
        )

    @extend_schema(
        summary="Dispute time recorded for you",
        description="Nothing moves; the giver and the network's coordinators are told.",
        request=serializers.DisputeSerializer,
        responses={200: serializers.ExchangeSerializer, **_DECIDE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        body = serializers.DisputeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._decide(
            lambda exchange: services.dispute_exchange(
                actor=request.user, exchange=exchange, reason=body.validated_data["reason"]
            ),
            Exchange.Status.DISPUTED,
        )


# --- Offers and requests ----------------------------------------------------------

_POSTS = Post.objects.select_related("category", "network", "poster__user")


@extend_schema_view(
    list=extend_schema(
        summary="Offers and requests",
        description="Open offers and requests you may see, newest first: your networks' and federation-wide ones, "
        "never a hidden post nor one by someone you blocked or who blocked you (as on the browse page).",
        responses={200: serializers.PostSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="An offer or request", responses={200: serializers.PostSerializer, **error_responses(403, 404)}
    ),
    create=extend_schema(
        summary="Post an offer or a request",
        description="With one of your time bank member accounts. Categories that need vetting can be offered by "
        "members a coordinator marked vetted only.",
        request=serializers.CreatePostSerializer,
        responses={201: serializers.PostSerializer, **error_responses(400, 403)},
    ),
)
class PostViewSet(ReadWriteQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Offers of help and requests for it, with the same rules and services as the pages."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.PostSerializer

    def read_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Post.objects.none()
        posts = _POSTS
        if self.action == "list":
            posts = posts.filter(status=Post.Status.OPEN, hidden=False)
        return selectors.posts_visible_to(self.request.user, posts).order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        body = serializers.CreatePostSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        account = visible_accounts(request.user).filter(pk=data.pop("account"), user=request.user).first()
        if account is None:
            return Response({"account": ["Choose one of your time bank accounts."]}, status=status.HTTP_400_BAD_REQUEST)
        category = Category.objects.filter(slug=data["category"], is_active=True).first()
        if category is None:
            return Response({"category": ["Choose a category from the list."]}, status=status.HTTP_400_BAD_REQUEST)
        post = services.create_post(actor=request.user, account=account, data=data | {"category": category})
        post = _POSTS.get(pk=post.pk)
        return Response(self.get_serializer(post).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer an offer or a request",
        description="A short message for its poster. Answering again with the same message answers with the "
        "answer you gave (one answer per member and post).",
        request=serializers.RespondSerializer,
        responses={
            201: serializers.ResponseSerializer,
            200: serializers.ResponseSerializer,
            **error_responses(400, 403, 404),
        },
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        post = self.get_object()
        body = serializers.RespondSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = body.validated_data["message"]
        try:
            answer = services.respond_to_post(actor=request.user, post=post, message=message)
        except ValidationError as exc:
            mine = ResponseModel.objects.filter(post=post, responder__user=request.user).select_related(
                "responder__user"
            )
            existing = mine.first() if getattr(exc, "code", None) == "duplicate" else None
            if existing is not None and existing.message == message.strip():
                return Response(serializers.ResponseSerializer(existing).data)  # sent again: it stands
            raise
        answer = ResponseModel.objects.select_related("responder__user").get(pk=answer.pk)
        return Response(serializers.ResponseSerializer(answer).data, status=status.HTTP_201_CREATED)


def register(router):
    """Register this app's viewsets on the /api/v1/ router."""
    router.register("timebank-accounts", AccountViewSet, basename="timebank-account")
    router.register("timebank-exchanges", ExchangeViewSet, basename="timebank-exchange")
    router.register("timebank-posts", PostViewSet, basename="timebank-post")

"""The organisers' volunteering API (/api/v1/volunteering/organised-…), with the same
services and rules as the organisers' pages (views/manage.py): the roles someone
organises (list, add in a network they coordinate, change), a role's shifts (list, add at
fixed times or as a flexible window; change; cancel), commendations, a shift's places
(list, confirm, decline with a reason, set the time of a place on a flexible shift),
walk-ins, attendance and hours in one batch (one transaction) and crediting them to the
time bank.

As on the pages, a role or shift someone may see but not organise is "forbidden"; a place
someone may not see is "not found". People appear by display name only: DBS records and
recovery dates never appear here (DBS records stay on the network coordinators' page).

Writes that make something new carry an idempotency key (see idempotency.py); the others
are idempotent by nature: confirming a place already confirmed, declining one already
declined, or recording a walk-in already recorded answers with the place as it stands,
and recording hours again (before the member confirms them) records the same hours."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from recoverynet.core.api import SLUG_PATTERN, error_responses
from recoverynet.federation.models import Membership, Network, Organisation, Settlement

from .. import services
from ..models import Commendation, Interest, Role, Shift, SignUp
from ..selectors import organised_roles, roles_with_next_shifts, signups_visible_to
from . import manage_serializers as shapes
from .idempotency import once
from .serializers import ChooseTimeSerializer

ID_PATTERN = r"[0-9]+"


def _require(user, perm, obj, message="Only the role's organisers can do this."):
    """The rules themselves, as on the pages (not user.has_perm, which lets a superuser through)."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied(message)


def _bad(field, message):
    return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)


def _roles():
    return roles_with_next_shifts(Role.objects.for_lists())


def _member(network, membership_id):
    """The person behind an active membership of `network`, or None."""
    membership = (
        Membership.objects.filter(pk=membership_id, network=network, status=Membership.Status.ACTIVE)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _role_data(network, data: dict) -> tuple[dict, list | None, Response | None]:
    """(the role's fields, its skills or None, a 400 response or None) from a valid body; the interests,
    when sent, go back as data["interests"] (Interest rows)."""
    data = dict(data)
    data.pop("network", None)
    data.pop("idempotency_key", None)
    skills = data.pop("skills", None)
    if skills is not None:
        if not all("name" in skill and "level" in skill for skill in skills):  # a PATCH does not require them
            return data, skills, _bad("skills", "Give each skill a name and a level.")
        skills = [(skill["name"], skill["level"]) for skill in skills]
    if data.get("interests") is not None:
        names = set(data["interests"])
        found = list(Interest.objects.filter(name__in=names))
        if len(found) != len(names):
            return data, skills, _bad("interests", "Choose interests by their names, from the list.")
        data["interests"] = found
    for name, model, lookup in (
        ("organisation", Organisation, {"networks": network}),
        ("settlement", Settlement, {"network": network}),
    ):
        if name in data:
            if not data[name]:
                data[name] = None
                continue
            found = model.objects.filter(slug=data[name], is_active=True, **lookup).first()
            if found is None:
                return data, skills, _bad(name, f"Choose an active {name} of {network.name} by its slug.")
            data[name] = found
    return data, skills, None


ROLE_LIST_DESCRIPTION = (
    "Roles you organise: your networks' (coordinators), your settlement's (hosts), your organisation's "
    "(its professionals), published or not, with their shifts still to come."
)


@extend_schema_view(
    list=extend_schema(
        summary="Roles you organise",
        description=ROLE_LIST_DESCRIPTION,
        responses={200: shapes.ManagedRoleSerializer(many=True), **error_responses(403)},
    ),
    retrieve=extend_schema(
        summary="A role you organise", responses={200: shapes.ManagedRoleSerializer, **error_responses(403, 404)}
    ),
    create=extend_schema(
        summary="Add a role",
        description="In a network you coordinate, offered by one of its organisations or settlements. The same "
        "idempotency_key again answers with the role it added.",
        request=shapes.RoleCreateSerializer,
        responses={201: shapes.ManagedRoleSerializer, **error_responses(400, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a role",
        description="Only the fields sent change; skills, when sent, replace the role's skills.",
        request=shapes.RoleWriteSerializer,
        responses={200: shapes.ManagedRoleSerializer, **error_responses(400, 403, 404)},
    ),
)
class OrganisedRoleViewSet(viewsets.GenericViewSet):
    """Roles, as their organisers see and change them, by slug."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = shapes.ManagedRoleSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Role.objects.none()
        return organised_roles(self.request.user, _roles()).order_by("title", "pk")

    def get_object(self):
        """Any role, then the rule: "forbidden" to those who may not organise it (as the pages)."""
        role = get_object_or_404(Role.objects.select_related("network"), slug=self.kwargs["slug"])
        _require(self.request.user, "volunteering.manage_role", role)
        return role

    def _respond(self, role, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(_roles().get(pk=role.pk)).data, status=status_code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, slug=None):
        return self._respond(self.get_object())

    def create(self, request):
        body = shapes.RoleCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        network = Network.objects.filter(slug=body.validated_data["network"]).first()
        if network is None:
            return _bad("network", "Choose a network by its slug.")
        _require(request.user, "volunteering.add_role", network, "Only the network's coordinators add its roles.")
        data, skills, refused = _role_data(network, body.validated_data)
        interests = data.pop("interests", None)
        if refused:
            return refused
        role, _ = once(
            user=request.user,
            kind="role",
            key=body.validated_data["idempotency_key"],
            body=body.validated_data,
            make=lambda: services.create_role(
                actor=request.user,
                network=network,
                data=data,
                skills=skills or (),
                interests=interests or (),
                idempotency_key=body.validated_data["idempotency_key"],
            ),
            find=lambda pk: Role.objects.filter(pk=pk).first(),
        )
        return self._respond(role, status.HTTP_201_CREATED)

    def partial_update(self, request, slug=None):
        role = self.get_object()
        body = shapes.RoleWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data, skills, refused = _role_data(role.network, body.validated_data)
        interests = data.pop("interests", None)
        if refused:
            return refused
        services.update_role(actor=request.user, role=role, data=data, skills=skills, interests=interests)
        return self._respond(role)

    @extend_schema(
        methods=["GET"],
        summary="A role's shifts",
        description="Every shift of the role, past and to come, soonest first, with the places taken.",
        responses={200: shapes.OrganisedShiftSerializer(many=True), **error_responses(403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a shift",
        description="At fixed times, starting in the future; or (kind flexible) a window from starts_at to ends_at "
        "in which each volunteer gives expected_minutes in total or a week, optionally only between day_starts and "
        "day_ends each day, as on the shift pages. The same idempotency_key again answers with the shift it added.",
        request=shapes.ShiftCreateSerializer,
        responses={201: shapes.OrganisedShiftSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["get", "post"])
    def shifts(self, request, slug=None):
        role = self.get_object()
        if request.method == "GET":
            shifts = Shift.objects.filter(role=role).with_taken().select_related("role").order_by("starts_at", "pk")
            page = self.paginate_queryset(shifts)
            return self.get_paginated_response(shapes.OrganisedShiftSerializer(page, many=True).data)
        body = shapes.ShiftCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        shift, _ = once(
            user=request.user,
            kind=f"shift:{role.pk}",
            key=data["idempotency_key"],
            body=data,
            make=lambda: services.create_shift(
                actor=request.user,
                role=role,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                places=data["places"],
                kind=data["kind"],
                expected_minutes=data.get("expected_minutes"),
                expected_per=data.get("expected_per", ""),
                day_starts=data.get("day_starts"),
                day_ends=data.get("day_ends"),
            ),
            find=lambda pk: Shift.objects.filter(pk=pk, role=role).first(),
        )
        shift = Shift.objects.with_taken().select_related("role").get(pk=shift.pk)
        return Response(shapes.OrganisedShiftSerializer(shift).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Commend a member",
        description="Someone who has volunteered in the role. A commendation whose words may identify the "
        "member's recovery is kept for the member alone (`awaits_member`) until they approve it on their "
        "volunteering page: it may go in references they show employers. The same idempotency_key again "
        "answers with the commendation it added.",
        request=shapes.CommendationCreateSerializer,
        responses={201: shapes.CommendationSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def commendations(self, request, slug=None):
        role = self.get_object()
        body = shapes.CommendationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        person = _member(role.network, data["membership"])
        if person is None:
            return _bad("membership", "Choose an active membership of this role's network.")
        commendation = services.write_commendation(
            actor=request.user, role=role, user=person, text=data["text"], idempotency_key=data["idempotency_key"]
        )
        commendation = Commendation.objects.select_related("role", "user").get(pk=commendation.pk)
        return Response(shapes.CommendationSerializer(commendation).data, status=status.HTTP_201_CREATED)


def _places(shift):
    return shift.signups.select_related("user").order_by("status", "created_at", "pk")


@extend_schema_view(
    retrieve=extend_schema(
        summary="A shift you organise",
        responses={200: shapes.OrganisedShiftSerializer, **error_responses(403, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a shift",
        description="Its times, places (never fewer than the places taken) or, for a flexible window, the time "
        "each volunteer gives and the daily hours, as on the shift's edit page. Not once it has started (a "
        "window: closed) or is cancelled; a window keeps every time a member chose. Those with a place are "
        "emailed a new time (and, where it overlaps another place they hold, asked to cancel one of the two).",
        request=shapes.ShiftUpdateSerializer,
        responses={200: shapes.OrganisedShiftSerializer, **error_responses(400, 403, 404)},
    ),
)
class OrganisedShiftViewSet(viewsets.GenericViewSet):
    """A shift as its organisers manage it: its places, walk-ins, attendance and hours."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = shapes.OrganisedShiftSerializer
    lookup_value_regex = ID_PATTERN
    filter_backends = []

    def get_queryset(self):
        return Shift.objects.select_related("role__network", "role__organisation", "role__settlement").with_taken()

    def get_object(self):
        shift = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        _require(self.request.user, "volunteering.manage_role", shift)
        return shift

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request, pk=None):
        shift = self.get_object()
        body = shapes.ShiftUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.update_shift(actor=request.user, shift=shift, data=dict(body.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=shift.pk)).data)

    @extend_schema(
        summary="Cancel a shift",
        description="As on the shift's cancel page: with nobody ever signed up it is deleted (204); otherwise it "
        "is kept, marked cancelled with every place on it, and each person who held a place is emailed, with "
        "the reason. Not once hours are recorded. A shift already cancelled answers as it stands.",
        request=shapes.ShiftCancelSerializer,
        responses={200: shapes.OrganisedShiftSerializer, 204: None, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        shift = self.get_object()
        body = shapes.ShiftCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if shift.cancelled_at is None:
            outcome = services.cancel_shift(actor=request.user, shift=shift, reason=body.validated_data["reason"])
            if outcome == "deleted":
                return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(self.get_queryset().get(pk=shift.pk)).data)

    @extend_schema(
        summary="A shift's places",
        description="Everyone who asked for, holds, cancelled or was declined a place, with their hours once "
        "recorded: by display name only.",
        responses={200: shapes.OrganisedSignUpSerializer(many=True), **error_responses(403, 404)},
    )
    @action(detail=True, methods=["get"])
    def signups(self, request, pk=None):
        page = self.paginate_queryset(_places(self.get_object()))
        return self.get_paginated_response(shapes.OrganisedSignUpSerializer(page, many=True).data)

    @extend_schema(
        summary="Record a walk-in",
        description="A member of the network who came without signing up (during or after the shift too). "
        "Recording the same walk-in again answers with their place as it stands.",
        request=shapes.WalkInSerializer,
        responses={
            201: shapes.OrganisedSignUpSerializer,
            200: shapes.OrganisedSignUpSerializer,
            **error_responses(400, 403, 404),
        },
    )
    @action(detail=True, methods=["post"], url_path="walk-ins", url_name="walk-ins")
    def walk_ins(self, request, pk=None):
        shift = self.get_object()
        body = shapes.WalkInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = _member(shift.role.network, body.validated_data["membership"])
        if person is None:
            return _bad("membership", "Choose an active membership of this role's network.")
        try:
            signup = services.record_walk_in(actor=request.user, shift=shift, user=person)
        except ValidationError as exc:
            existing = SignUp.objects.filter(shift=shift, user=person, walk_in=True, status=SignUp.Status.CONFIRMED)
            if getattr(exc, "code", None) == "duplicate" and existing.exists():
                return Response(shapes.OrganisedSignUpSerializer(_places(shift).get(user=person)).data)
            raise
        signup = _places(shift).get(pk=signup.pk)
        return Response(shapes.OrganisedSignUpSerializer(signup).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record attendance and hours",
        description="For confirmed places on a shift that has started, in one batch: all or nothing. Each "
        "member then confirms their own hours; hours a member confirmed never change.",
        request=shapes.HoursSerializer,
        responses={200: shapes.OrganisedSignUpSerializer(many=True), **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def hours(self, request, pk=None):
        shift = self.get_object()
        body = shapes.HoursSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entries = {
            entry["signup"]: (entry["attended"], entry["minutes"] if entry["attended"] else 0)
            for entry in body.validated_data["entries"]
        }
        done = services.record_hours(actor=request.user, shift=shift, entries=entries)
        places = _places(shift).filter(pk__in=[s.pk for s in done])
        return Response(shapes.OrganisedSignUpSerializer(places, many=True).data)

    @extend_schema(
        summary="Credit hours to the time bank",
        description="Every confirmed, not yet credited hour, from the offering organisation's (or settlement's) "
        "account, in one transaction. Each place is credited at most once: sending it again credits nothing more.",
        request=None,
        responses={200: shapes.CreditSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def credit(self, request, pk=None):
        shift = self.get_object()
        result = services.credit_hours(actor=request.user, shift=shift)
        return Response({name: [s.pk for s in result[name]] for name in ("credited", "no_account")})


_DECIDE = {
    "request": None,
    "responses": {200: shapes.OrganisedSignUpSerializer, **error_responses(400, 403, 404)},
}


class OrganisedSignUpViewSet(viewsets.GenericViewSet):
    """Deciding a place on a shift you organise: "not found" when you may not see it."""

    http_method_names = ["post", "options"]
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = shapes.OrganisedSignUpSerializer
    lookup_value_regex = ID_PATTERN
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SignUp.objects.none()
        return signups_visible_to(self.request.user).select_related("shift__role__network", "user")

    def get_object(self):
        signup = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        _require(self.request.user, "volunteering.manage_role", signup)
        return signup

    def _decide(self, signup, decide, settled):
        try:
            decide(signup)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "decided" or signup.status != settled:
                raise
        signup = self.get_queryset().get(pk=signup.pk)
        return Response(self.get_serializer(signup).data)

    @extend_schema(
        summary="Confirm a place",
        description="A place someone asked for. A place already confirmed answers as it stands.",
        **_DECIDE,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(
            self.get_object(),
            lambda signup: services.confirm_signup(actor=request.user, signup=signup),
            SignUp.Status.CONFIRMED,
        )

    @extend_schema(
        summary="Decline a place",
        description="With a reason the member sees; not once hours are recorded. A place already declined "
        "answers as it stands.",
        request=shapes.DeclineSerializer,
        responses=_DECIDE["responses"],
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        body = shapes.DeclineSerializer(data=request.data)
        signup = self.get_object()  # "not found" or "forbidden" before the body's errors
        body.is_valid(raise_exception=True)
        return self._decide(
            signup,
            lambda s: services.decline_signup(actor=request.user, signup=s, reason=body.validated_data["reason"]),
            SignUp.Status.DECLINED,
        )

    @extend_schema(
        summary="Set a member's time",
        description="On a flexible shift: a day and times within the window (and its daily hours), in the future, "
        "overlapping none of the member's other places, as on the page. The member is emailed the time.",
        request=ChooseTimeSerializer,
        responses=_DECIDE["responses"],
    )
    @action(detail=True, methods=["post"])
    def time(self, request, pk=None):
        signup = self.get_object()
        body = ChooseTimeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.choose_time(actor=request.user, signup=signup, chosen=body.validated_data["chosen"])
        return Response(self.get_serializer(self.get_queryset().get(pk=signup.pk)).data)


def register(router):
    router.register("volunteering/organised-roles", OrganisedRoleViewSet, basename="volunteering-organised-role")
    router.register("volunteering/organised-shifts", OrganisedShiftViewSet, basename="volunteering-organised-shift")
    router.register("volunteering/organised-signups", OrganisedSignUpViewSet, basename="volunteering-organised-signup")

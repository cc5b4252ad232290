"""Organisers' and coordinators' volunteering pages (/volunteering/manage/):
the roles they organise, adding (fixed or flexible), changing and cancelling shifts, confirming or declining places,
walk-ins, hours in one batch, crediting hours to the time bank, commendations,
and (coordinators of the network only) DBS records; the federation's coordinators look after
the shared list of interests."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from recoverynet.core import scoping
from recoverynet.core.manage_pages import add_service_errors, editable_copy, saved_message
from recoverynet.federation.models import Network

from .. import services
from ..forms import (
    CommendationForm,
    DBSForm,
    DeclineForm,
    FlexibleShiftForm,
    InterestNameForm,
    JobForm,
    PersonForm,
    RoleForm,
    ShiftCancelForm,
    ShiftForm,
    SkillSearchForm,
    hours_entries,
    hours_form,
    shift_form_class,
    show_service_errors,
)
from ..models import Interest, Role, Shift, SignUp
from ..selectors import (
    dbs_checks_visible_to,
    interests_with_use,
    members_with_skill,
    organised_roles,
    signups_visible_to,
    upcoming_shifts,
)
from .public import choose_time_page


def _require(request, perm, obj):
    """The rules themselves, not user.has_perm (which lets a superuser through everything:
    DBS records are for the network's own coordinators only)."""
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


@login_required
def manage_home(request):
    roles = list(organised_roles(request.user, Role.objects.for_lists()).order_by("title", "pk"))
    shifts = list(upcoming_shifts().filter(role__in=[r.pk for r in roles]).select_related("role")[:50])
    recent = list(
        Shift.objects.open()
        .filter(role__in=[r.pk for r in roles], starts_at__lte=timezone.now())
        .select_related("role")
        .order_by("-starts_at")[:20]
    )
    networks = Network.objects.filter(pk__in=scoping.coordinated_network_ids(request.user)).order_by("name")
    return render(
        request,
        "volunteering/manage/home.html",
        {
            "roles": roles,
            "shifts": shifts,
            "recent": recent,
            "networks": list(networks),
            "manages_interests": rules.has_perm("volunteering.manage_interests", request.user),
        },
    )


def _shift_new(request, slug, kind):
    role = get_object_or_404(Role.objects.select_related("network"), slug=slug)
    _require(request, "volunteering.manage_role", role)
    form_class = FlexibleShiftForm if kind == Shift.Kind.FLEXIBLE else ShiftForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.create_shift(actor=request.user, role=role, kind=kind, **form.shift_data())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The shift has been added.")
            return redirect("volunteering:manage:shift", pk=shift.pk)
    return render(
        request, "volunteering/manage/shift_form.html", {"form": form, "role": role, "kind": kind, "shift": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_new(request, slug):
    return _shift_new(request, slug, Shift.Kind.FIXED)


@login_required
@require_http_methods(["GET", "POST"])
def shift_new_flexible(request, slug):
    return _shift_new(request, slug, Shift.Kind.FLEXIBLE)


def _people(count, who) -> str:
    return f"The person {who} has" if count == 1 else f"The {count} people {who} have"


def _organised_shift(request, pk) -> Shift:
    shift = get_object_or_404(
        Shift.objects.select_related("role__network", "role__organisation", "role__settlement", "role__initiative"),
        pk=pk,
    )
    _require(request, "volunteering.manage_role", shift)
    return shift


@login_required
@require_http_methods(["GET", "POST"])
def shift_edit(request, pk):
    """Change a shift's times or places: never below the places taken; the people on it are told."""
    shift = _organised_shift(request, pk)
    if shift.cancelled_at:
        messages.error(request, "This shift is cancelled: it can no longer change.")
        return redirect("volunteering:manage:shift", pk=shift.pk)
    form = shift_form_class(shift)(request.POST or None, shift=shift)
    taken = shift.signups.filter(status__in=SignUp.HOLDS_PLACE).count()
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.update_shift(actor=request.user, shift=shift, data=form.shift_data())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            text = saved_message(changes)
            if changes.keys() & set(services.SHIFT_TIME_FIELDS) and taken:
                text += f" {_people(taken, 'with a place')} been emailed the new time."
            messages.success(request, text)
            return redirect("volunteering:manage:shift", pk=shift.pk)
    return render(
        request,
        "volunteering/manage/shift_form.html",
        {"form": form, "role": shift.role, "kind": shift.kind, "shift": shift, "taken": taken},
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_cancel(request, pk):
    """Withdraw a shift: deleted when nobody signed up, otherwise cancelled and everyone on it emailed."""
    shift = _organised_shift(request, pk)
    if shift.cancelled_at:
        messages.error(request, "This shift is already cancelled.")
        return redirect("volunteering:manage:shift", pk=shift.pk)
    form = ShiftCancelForm(request.POST if request.method == "POST" else None)  # the reason is optional
    holding = list(shift.signups.filter(status__in=SignUp.HOLDS_PLACE).select_related("user").order_by("pk"))
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.cancel_shift(actor=request.user, shift=shift, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if outcome == "deleted":
                messages.success(request, "The shift has been deleted.")
                return redirect("volunteering:manage:home")
            text = "The shift is cancelled."
            if holding:
                text += f" {_people(len(holding), 'who had a place')} been emailed."
            messages.success(request, text)
            return redirect("volunteering:manage:shift", pk=shift.pk)
    return render(
        request,
        "volunteering/manage/shift_cancel.html",
        {"form": form, "shift": shift, "role": shift.role, "holding": holding},
    )


def _shift_context(shift, *, walk_in=None, hours=None):
    signups = list(shift.signups.select_related("user").order_by("status", "created_at", "pk"))
    confirmed = [s for s in signups if s.status == SignUp.Status.CONFIRMED]
    return {
        "shift": shift,
        "role": shift.role,
        "signups": signups,
        "taken": sum(1 for s in signups if s.status in SignUp.HOLDS_PLACE),
        "walk_in_form": walk_in or PersonForm(network=shift.role.network, prefix="walk_in"),
        "hours_form": hours or hours_form(shift, [s for s in confirmed if not s.hours_confirmed_at]),
        "started": shift.starts_at <= timezone.now(),
        "can_move": shift.cancelled_at is None and shift.closes_at > timezone.now(),
        "can_cancel": shift.cancelled_at is None and not any(s.hours_recorded_at for s in signups),
        "to_credit": [s for s in confirmed if s.hours_confirmed_at and s.attended and not s.credit_id and s.minutes],
        "paying_account": services.paying_account(shift.role),
    }


@login_required
@require_http_methods(["GET", "POST"])
def shift_manage(request, pk):
    shift = _organised_shift(request, pk)
    walk_in = hours = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                signup = shift.signups.select_related("user").filter(pk=_int(request.POST.get("signup"))).first()
                if signup is None:
                    raise ValidationError("Choose a place on this shift to confirm.")
                services.confirm_signup(actor=request.user, signup=signup)
                messages.success(request, f"You confirmed {signup.user.display_name}'s place.")
                return redirect("volunteering:manage:shift", pk=shift.pk)
            if action == "walk_in":
                walk_in = PersonForm(request.POST, network=shift.role.network, prefix="walk_in")
                if walk_in.is_valid():
                    person = walk_in.cleaned_data["person"].user
                    services.record_walk_in(actor=request.user, shift=shift, user=person)
                    messages.success(request, f"You recorded {person.display_name} as a walk-in.")
                    return redirect("volunteering:manage:shift", pk=shift.pk)
            elif action == "hours":
                open_places = shift.signups.filter(status=SignUp.Status.CONFIRMED, hours_confirmed_at__isnull=True)
                hours = hours_form(shift, open_places.select_related("user"), request.POST)
                if hours.is_valid():
                    done = services.record_hours(actor=request.user, shift=shift, entries=hours_entries(hours))
                    messages.success(request, f"Attendance recorded for {len(done)}. Each member confirms their hours.")
                    return redirect("volunteering:manage:shift", pk=shift.pk)
            elif action == "credit":
                result = services.credit_hours(actor=request.user, shift=shift)
                text = f"Credited hours to {len(result['credited'])} in the time bank."
                if result["no_account"]:
                    text += f" {len(result['no_account'])} not credited: they have not joined the time bank."
                messages.success(request, text)
                return redirect("volunteering:manage:shift", pk=shift.pk)
        except ValidationError as exc:
            form = walk_in if action == "walk_in" else hours if action == "hours" else None
            if form is not None:
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("volunteering:manage:shift", pk=shift.pk)
        except PermissionDenied:
            messages.error(request, "Only a coordinator of the network can move time from this time bank account.")
            return redirect("volunteering:manage:shift", pk=shift.pk)
    return render(request, "volunteering/manage/shift.html", _shift_context(shift, walk_in=walk_in, hours=hours))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@login_required
@require_http_methods(["GET", "POST"])
def signup_decline(request, pk):
    signup = get_object_or_404(signups_visible_to(request.user).select_related("shift__role__network", "user"), pk=pk)
    _require(request, "volunteering.manage_role", signup)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_signup(actor=request.user, signup=signup, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"You declined {signup.user.display_name}'s place.")
            return redirect("volunteering:manage:shift", pk=signup.shift_id)
    return render(request, "volunteering/manage/decline.html", {"form": form, "signup": signup})


@login_required
@require_http_methods(["GET", "POST"])
def signup_time(request, pk):
    """An organiser sets, or changes, the time of a member's place on a flexible shift."""
    signup = get_object_or_404(signups_visible_to(request.user).select_related("shift__role__network", "user"), pk=pk)
    _require(request, "volunteering.manage_role", signup)
    back = reverse("volunteering:manage:shift", args=[signup.shift_id])
    return choose_time_page(
        request,
        signup,
        done_url=back,
        template_context={"heading": f"Set {signup.user.display_name}'s time", "back": back, "organiser": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dbs_checks(request, slug):
    network = get_object_or_404(Network.objects.all(), slug=slug)
    _require(request, "volunteering.record_dbs", network)
    form = DBSForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dbs_check(
                actor=request.user,
                network=network,
                user=form.cleaned_data["person"].user,
                level=form.cleaned_data["level"],
                checked_on=form.cleaned_data["checked_on"],
                checker=form.cleaned_data["checker"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The DBS check has been recorded.")
            return redirect("volunteering:manage:dbs", slug=network.slug)
    checks = dbs_checks_visible_to(request.user).filter(network=network).select_related("user").order_by("pk")
    return render(request, "volunteering/manage/dbs.html", {"network": network, "form": form, "checks": list(checks)})


@login_required
@require_http_methods(["GET", "POST"])
def commend(request, slug):
    role = get_object_or_404(Role.objects.select_related("network"), slug=slug)
    _require(request, "volunteering.manage_role", role)
    form = CommendationForm(request.POST or None, network=role.network)
    if request.method == "POST" and form.is_valid():
        try:
            person = form.cleaned_data["person"].user
            commendation = services.write_commendation(
                actor=request.user,
                role=role,
                user=person,
                text=form.cleaned_data["text"],
                idempotency_key=form.idempotency_key(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if commendation.awaits_member:
                messages.success(
                    request,
                    f"It mentions their recovery, so nobody sees your commendation until {person.display_name} "
                    "approves it on their volunteering page.",
                )
            else:
                messages.success(request, "Your commendation has been added to their record.")
            return redirect("volunteering:manage:home")
    return render(request, "volunteering/manage/commend.html", {"form": form, "role": role})


@login_required
@require_http_methods(["GET", "POST"])
def role_new(request, slug):
    network = get_object_or_404(Network.objects.all(), slug=slug)
    _require(request, "volunteering.add_role", network)
    form = RoleForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.create_role(
                actor=request.user,
                network=network,
                data=form.role_data(),
                skills=form.skills(),
                idempotency_key=form.idempotency_key(),
                interests=form.cleaned_data["interests"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{role.title} has been added. Now add its shifts.")
            return redirect("volunteering:manage:shift_new", slug=role.slug)
    return render(request, "volunteering/manage/role_form.html", {"form": form, "network": network, "role": None})


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request, slug):
    role = get_object_or_404(Role.objects.select_related("network"), slug=slug)
    _require(request, "volunteering.manage_role", role)
    form = RoleForm(request.POST or None, instance=editable_copy(role), network=role.network, skills=role.skills.all())
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_role(
                actor=request.user,
                role=role,
                data=form.role_data(),
                skills=form.skills(),
                interests=form.cleaned_data["interests"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, saved_message(changed))
            return redirect(role.get_absolute_url())
    return render(request, "volunteering/manage/role_form.html", {"form": form, "network": role.network, "role": role})


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request, slug):
    network = get_object_or_404(Network.objects.all(), slug=slug)
    _require(request, "volunteering.add_job", network)
    form = JobForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.create_job(
                actor=request.user, network=network, data=form.job_data(), idempotency_key=form.idempotency_key()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{job.title} has been listed.")
            return redirect(job.get_absolute_url())
    return render(request, "volunteering/manage/job_form.html", {"form": form, "network": network})


@login_required
def skill_search(request, slug):
    """Members of the network who let its coordinators find them, by skill and minimum level:
    display names only, for the network's own coordinators."""
    network = get_object_or_404(Network.objects.all(), slug=slug)
    _require(request, "volunteering.find_by_skill", network)
    form = SkillSearchForm(request.GET if "skill" in request.GET else None)
    found = None
    if form.is_valid():
        found = list(members_with_skill(network, form.cleaned_data["skill"].strip(), form.cleaned_data["level"])[:200])
    return render(request, "volunteering/manage/skill_search.html", {"network": network, "form": form, "found": found})


# --- The shared list of interests (federation coordinators) --------------------------


def _rename_form(interest, data=None):
    return InterestNameForm(
        data,
        prefix=f"interest-{interest.pk}",
        label=f"New name for {interest.name}",
        initial={"name": interest.name},
    )


def _interests_page(request, *, add_form=None, failed=None):
    """The list with each interest's rename form; `failed`: a rename form sent with errors, shown in its row."""
    interests = list(interests_with_use())
    for interest in interests:
        sent_with_errors = failed is not None and failed.interest_pk == interest.pk
        interest.rename_form = failed if sent_with_errors else _rename_form(interest)
    return render(
        request,
        "volunteering/manage/interests.html",
        {
            "interests": interests,
            "add_form": add_form or InterestNameForm(prefix="add", label="Name of the new interest"),
            "failed": failed,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interests(request):
    """The interests every network's roles and members choose from: how many published roles use
    each, adding one, renaming one, removing one nobody uses."""
    _require(request, "volunteering.manage_interests", None)
    add_form = InterestNameForm(request.POST or None, prefix="add", label="Name of the new interest")
    if request.method == "POST" and add_form.is_valid():
        try:
            interest = services.add_interest(actor=request.user, name=add_form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, f"{interest.name} has been added to the list.")
            return redirect("volunteering:manage:interests")
    return _interests_page(request, add_form=add_form)


@login_required
@require_POST
def interest_rename(request, pk):
    _require(request, "volunteering.manage_interests", None)
    interest = get_object_or_404(Interest.objects.all(), pk=pk)
    old_name = interest.name
    form = _rename_form(interest, request.POST)
    form.interest_pk = interest.pk
    if form.is_valid():
        try:
            changed = services.rename_interest(actor=request.user, interest=interest, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = f"{old_name} is now called {interest.name}." if changed else "Nothing was changed."
            messages.success(request, text)
            return redirect("volunteering:manage:interests")
    return _interests_page(request, failed=form)


@login_required
@require_POST
def interest_remove(request, pk):
    _require(request, "volunteering.manage_interests", None)
    interest = get_object_or_404(Interest.objects.all(), pk=pk)
    try:
        services.remove_interest(actor=request.user, interest=interest)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{interest.name} has been removed from the list.")
    return redirect("volunteering:manage:interests")

"""Volunteering pages for everyone and for members (/volunteering/): the public
list and role pages, signing up, a member's shifts (and their calendar), hours
to confirm, the private profile, and the record with its CSV and PDF reference.
Thin: each write is a call to volunteering.services."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from recoverynet.core.manage_pages import add_service_errors
from recoverynet.core.spreadsheets import spreadsheet_safe

from .. import matching, services
from ..eligibility import eligibility, facts_for
from ..filters import RoleFilterSet
from ..formats.ics import shifts_calendar
from ..formats.reference_pdf import reference_pdf
from ..forms import (
    ChooseTimeForm,
    ChosenTimeForm,
    JobOutcomeForm,
    ProfileForm,
    ReferenceForm,
    RoleSortForm,
    show_service_errors,
)
from ..matching import for_you as rank_for_you
from ..models import (
    Commendation,
    Job,
    JobOutcome,
    MemberInterest,
    MemberSkill,
    Role,
    Shift,
    SignUp,
    VolunteerProfile,
    format_minutes,
    status_label,
)
from ..selectors import public_roles, roles_with_next_shifts, signups_visible_to, volunteering_record

PAGE_SIZE = 20


def _query_without_page(request, *forms) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for form in forms:
        for name in form.errors:
            params.pop(name, None)
    return params.urlencode()


ORDERS = {"title": ("title", "pk"), "newest": ("-created_at", "-pk")}


def role_list(request):
    """Every published role, searched and filtered; a member with skills or interests sees them best match
    first by default (matching.BestMatchOrder), anyone may order them by title or newest."""
    now, today = timezone.now(), timezone.localdate()
    member = matching.member_of(request.user) if request.user.is_authenticated else None
    sort_form = RoleSortForm(request.GET or None, best_match=bool(member and member.has_preferences))
    filterset = RoleFilterSet(request.GET or None, queryset=public_roles())
    order = sort_form.order()
    if order == "match":

        def fetch(pks):
            return roles_with_next_shifts(public_roles().filter(pk__in=pks), now)

        ordered = matching.BestMatchOrder(member, filterset.qs, today, fetch)
    else:
        ordered = roles_with_next_shifts(filterset.qs.order_by(*ORDERS[order]), now)
    page_obj = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    roles = list(page_obj.object_list)
    if member is not None:
        for role in roles:
            role.verdict = eligibility(role, member.facts, today)
            role.shared_interests = matching.shared_interests(role, member)
            role.shared_skills = matching.shared_skills(role.skills.all(), member.levels)[1]
    return render(
        request,
        "volunteering/role_list.html",
        {
            "form": filterset.form,
            "sort_form": sort_form,
            "page_obj": page_obj,
            "roles": roles,
            "query_string": _query_without_page(request, filterset.form, sort_form),
            "is_filtered": any(request.GET.get(name) for name in filterset.filters),
        },
    )


def role_detail(request, slug):
    role = get_object_or_404(roles_with_next_shifts(public_roles()), slug=slug)
    verdict = None
    mine = {}
    outside_network = False
    if request.user.is_authenticated:
        facts = facts_for(request.user)
        verdict = eligibility(role, facts, timezone.localdate())
        outside_network = role.network_id not in facts.network_ids
        mine = {
            s.shift_id: s
            for s in SignUp.objects.filter(user=request.user, shift__in=[shift.pk for shift in role.next_shifts])
        }
    for shift in role.next_shifts:
        shift.left = max(shift.places - shift.taken, 0)
        shift.mine = mine.get(shift.pk)
    return render(
        request,
        "volunteering/role_detail.html",
        {"role": role, "verdict": verdict, "outside_network": outside_network},
    )


@login_required
@require_http_methods(["GET", "POST"])
def shift_sign_up(request, pk):
    """Sign up for a shift; on a flexible shift, optionally with the time the member picks in the window."""
    shift = get_object_or_404(Shift.objects.select_related("role__network").filter(role__in=public_roles()), pk=pk)
    data = request.POST if request.method == "POST" else None  # an empty POST still binds: no time chosen
    form = ChosenTimeForm(data, shift=shift) if shift.is_flexible else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            signup = services.sign_up(
                actor=request.user, shift=shift, chosen=form.cleaned_data["chosen"] if form is not None else None
            )
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):  # the chosen time: show it on the form
                show_service_errors(form, exc)
                return render(request, "volunteering/sign_up.html", {"shift": shift, "role": shift.role, "form": form})
            messages.error(request, " ".join(exc.messages))
            if getattr(exc, "code", None) == "overlap":  # where the place in the way can be cancelled
                return redirect("volunteering:mine")
            return redirect(shift.role.get_absolute_url())
        if signup.status == SignUp.Status.CONFIRMED:
            when = signup.chosen_time or shift.when
            messages.success(request, f"You have a place on this shift: {when}.")
        else:
            messages.success(request, "You asked for a place. The organiser will confirm it.")
        return redirect("volunteering:mine")
    return render(request, "volunteering/sign_up.html", {"shift": shift, "role": shift.role, "form": form})


@login_required
def mine(request):
    now = timezone.now()
    signups = list(
        SignUp.objects.filter(user=request.user)
        .select_related(
            "shift__role__network", "shift__role__organisation", "shift__role__settlement", "shift__role__initiative"
        )
        .order_by("shift__starts_at", "pk")
    )
    upcoming = [s for s in signups if s.shift.ends_at > now and s.status in SignUp.HOLDS_PLACE]
    to_confirm = [s for s in signups if s.attended and s.hours_recorded_at and not s.hours_confirmed_at]
    past = [s for s in signups if s.shift.ends_at <= now or s.status not in SignUp.HOLDS_PLACE]
    total = sum(s.minutes or 0 for s in signups if s.hours_confirmed_at)
    awaiting = Commendation.objects.awaiting_member().filter(user=request.user).select_related("role")
    return render(
        request,
        "volunteering/mine.html",
        {
            "commendations_to_approve": list(awaiting.order_by("created_at", "pk")),
            "upcoming": upcoming,
            "to_confirm": to_confirm,
            "past": list(reversed(past)),
            "total": format_minutes(total),
        },
    )


def _own_signup(request, pk) -> SignUp:
    visible = signups_visible_to(request.user).filter(user=request.user)
    return get_object_or_404(visible.select_related("shift__role__network"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def signup_cancel(request, pk):
    signup = _own_signup(request, pk)
    if request.method == "POST":
        try:
            services.cancel_signup(actor=request.user, signup=signup)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "You cancelled your place. Thank you for letting the organiser know.")
        return redirect("volunteering:mine")
    return render(request, "volunteering/signup_cancel.html", {"signup": signup})


def choose_time_page(request, signup, *, done_url, template_context):
    """Set or change the time of a place on a flexible shift: the member's page and the organiser's."""
    if not signup.shift.is_flexible:
        messages.error(request, "This shift has fixed times: there is no time to choose.")
        return redirect(done_url)
    form = ChooseTimeForm(request.POST if request.method == "POST" else None, signup=signup)
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_time(actor=request.user, signup=signup, chosen=form.cleaned_data["chosen"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                show_service_errors(form, exc)
            else:
                form.add_error(None, exc)
        else:
            signup.refresh_from_db(fields=["chosen_starts_at", "chosen_ends_at"])
            messages.success(request, f"The time is saved: {signup.chosen_time}.")
            return redirect(done_url)
    return render(
        request,
        "volunteering/choose_time.html",
        {"form": form, "signup": signup, "shift": signup.shift, "role": signup.shift.role, **template_context},
    )


@login_required
@require_http_methods(["GET", "POST"])
def signup_time(request, pk):
    """A member chooses, or changes, their time on a flexible shift."""
    signup = _own_signup(request, pk)
    return choose_time_page(
        request,
        signup,
        done_url=reverse("volunteering:mine"),
        template_context={"heading": "Choose or change your time", "back": reverse("volunteering:mine")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hours_confirm(request, pk):
    signup = _own_signup(request, pk)
    if request.method == "POST":
        try:
            services.confirm_hours(actor=request.user, signup=signup)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"You confirmed {signup.shown_minutes} of volunteering.")
        return redirect("volunteering:mine")
    return render(request, "volunteering/hours_confirm.html", {"signup": signup})


@login_required
@require_http_methods(["GET", "POST"])
def commendation_review(request, pk):
    """The member reads a commendation that mentions their recovery, and approves it (then it may be
    shown and go in references) or removes it. Nobody else reaches it (404)."""
    commendation = get_object_or_404(
        Commendation.objects.awaiting_member().filter(user=request.user).select_related("role", "written_by"), pk=pk
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve_commendation(actor=request.user, commendation=commendation)
                messages.success(request, "You approved the commendation. You choose which references it goes in.")
            elif action == "remove":
                services.refuse_commendation(actor=request.user, commendation=commendation)
                messages.success(request, "The commendation has been removed. Nobody else saw it.")
            else:
                messages.error(request, "Choose whether to approve or remove the commendation.")
                return redirect("volunteering:commendation_review", pk=commendation.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("volunteering:mine")
    return render(
        request,
        "volunteering/commendation_review.html",
        {"commendation": commendation, "words": services.mentions_recovery(commendation.text)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    existing = VolunteerProfile.objects.filter(user=request.user).first()
    initial = (
        {
            "recovery_start": existing.recovery_start,
            "avoid_alcohol_venues": existing.avoid_alcohol_venues,
            "avoid_medication_roles": existing.avoid_medication_roles,
            "shift_reminders": existing.shift_reminders,
            "skills_findable": existing.skills_findable,
        }
        if existing
        else {"shift_reminders": True}
    )
    initial["interests"] = [
        m.interest for m in MemberInterest.objects.filter(user=request.user).select_related("interest")
    ]
    form = ProfileForm(
        request.POST or None, initial=initial, skills=MemberSkill.objects.filter(user=request.user).order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(
                actor=request.user,
                user=request.user,
                recovery_start=form.cleaned_data["recovery_start"],
                avoid_alcohol_venues=form.cleaned_data["avoid_alcohol_venues"],
                avoid_medication_roles=form.cleaned_data["avoid_medication_roles"],
                shift_reminders=form.cleaned_data["shift_reminders"],
                skills=form.skills(),
                skills_findable=form.cleaned_data["skills_findable"],
                interests=form.cleaned_data["interests"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your volunteering profile is saved.")
            return redirect("volunteering:role_list")
    return render(request, "volunteering/profile.html", {"form": form})


@login_required
def my_shifts_ics(request):
    signups = (
        SignUp.objects.filter(user=request.user, status__in=SignUp.HOLDS_PLACE)
        .select_related("shift__role__settlement", "shift__role__organisation", "shift__role__initiative")
        .order_by("shift__starts_at")
    )
    body = shifts_calendar(signups, host=request.get_host(), url=request.build_absolute_uri("/volunteering/mine/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-volunteering-shifts.ics"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def record_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-volunteering-record.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(["Date", "Role", "Offered by", "Network", "Status", "Minutes confirmed"])
    signups = (
        SignUp.objects.filter(user=request.user)
        .select_related(
            "shift__role__network", "shift__role__organisation", "shift__role__settlement", "shift__role__initiative"
        )
        .order_by("shift__starts_at", "pk")
    )
    for signup in signups.iterator(chunk_size=500):
        role: Role = signup.shift.role
        writer.writerow(
            [
                timezone.localtime(signup.shift.starts_at).date().isoformat(),
                spreadsheet_safe(role.title),
                spreadsheet_safe(role.offered_by_name),
                spreadsheet_safe(role.network.name),
                signup.get_status_display(),
                signup.minutes if signup.hours_confirmed_at else "",
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reference(request):
    """The member chooses what goes in their reference (roles, hours, commendations) and its format."""
    record = volunteering_record(request.user)
    form = ReferenceForm(
        request.POST or None,
        roles=[row["role"] for row in record],
        commendations=[c for row in record for c in row["commendations"]],
    )
    if request.method == "POST" and form.is_valid():
        commendation_ids = form.cleaned_data.get("commendations", [])
        chosen = volunteering_record(
            request.user, role_ids=form.cleaned_data["roles"], commendation_ids=commendation_ids
        )
        include_hours = form.cleaned_data["include_hours"]
        include_commendations = bool(commendation_ids)
        if form.cleaned_data["file_format"] == "pdf":
            body = reference_pdf(
                name=request.user.display_name,
                record=chosen,
                include_hours=include_hours,
                include_commendations=include_commendations,
            )
            response = HttpResponse(body, content_type="application/pdf")
            response["Content-Disposition"] = 'attachment; filename="volunteering-reference.pdf"'
        else:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="volunteering-reference.csv"'
            writer = csv.writer(response)
            writer.writerow(["Role", "Offered by", "Network", "Shifts", "Hours", "First", "Last", "Commendations"])
            for row in chosen:
                role = row["role"]
                writer.writerow(
                    [
                        spreadsheet_safe(role.title),
                        spreadsheet_safe(role.offered_by_name),
                        spreadsheet_safe(role.network.name),
                        row["shifts"] if include_hours else "",
                        round(row["minutes"] / 60, 2) if include_hours else "",
                        timezone.localtime(row["first"]).date().isoformat() if include_hours else "",
                        timezone.localtime(row["last"]).date().isoformat() if include_hours else "",
                        spreadsheet_safe(" | ".join(c.text for c in row["commendations"]))
                        if include_commendations
                        else "",
                    ]
                )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "volunteering/reference.html", {"form": form, "record": record})


@login_required
def for_you(request):
    """The roles this member can take, best fit first."""
    matches = rank_for_you(request.user, timezone.localdate())
    has_skills = (
        MemberSkill.objects.filter(user=request.user).exists()
        or MemberInterest.objects.filter(user=request.user).exists()
    )
    return render(request, "volunteering/for_you.html", {"matches": matches, "has_skills": has_skills})


def job_list(request):
    today = timezone.localdate()
    jobs = Job.objects.open_on(today).select_related("network", "organisation")
    query = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    if query:
        jobs = jobs.filter(title__icontains=query) | jobs.filter(employer__icontains=query)
    welcomed = request.GET.get("lived_experience") == "yes"
    if welcomed:
        jobs = jobs.filter(lived_experience_welcomed=True)
    page_obj = Paginator(jobs.order_by("closing_date", "title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            JobOutcome.objects.filter(user=request.user, job__in=[j.pk for j in page_obj.object_list]).values_list(
                "job_id", "status"
            )
        )
    jobs = list(page_obj.object_list)
    for job in jobs:
        job.my_status = status_label(mine[job.pk], job.kind) if job.pk in mine else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "volunteering/job_list.html",
        {"jobs": jobs, "page_obj": page_obj, "q": query, "welcomed": welcomed, "query_string": params.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def job_detail(request, slug):
    job = get_object_or_404(Job.objects.filter(is_published=True).select_related("network", "organisation"), slug=slug)
    outcome = JobOutcome.objects.filter(user=request.user, job=job).first() if request.user.is_authenticated else None
    form = JobOutcomeForm(request.POST or None, job=job, initial={"status": outcome.status if outcome else "saved"})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={job.get_absolute_url()}")
        if request.POST.get("action") == "unsave":
            try:
                removed = services.unsave_job(actor=request.user, job=job)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if removed:
                    messages.success(request, "Removed from your saved jobs.")
            return redirect(job.get_absolute_url())
        if form.is_valid():
            try:
                services.record_job_outcome(actor=request.user, job=job, status=form.cleaned_data["status"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Saved. Only you and your network's coordinators see this.")
                return redirect(job.get_absolute_url())
    return render(request, "volunteering/job_detail.html", {"job": job, "outcome": outcome, "form": form})

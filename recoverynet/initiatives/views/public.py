"""Pitch pages (/initiatives/): the public list and each pitch, and a member's
pages to pitch, change a draft and move a pitch through its states. Thin: each
write is a call to initiatives.services; who sees what comes from selectors."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from recoverynet.core.manage_pages import add_service_errors, editable_copy
from recoverynet.core.registry import render_panels
from recoverynet.federation.models import Network

from .. import services
from ..filters import PitchFilterSet
from ..forms import (
    ConflictForm,
    CoproductionForm,
    DecisionForm,
    InitiativeFilterForm,
    InitiativeForm,
    LivedExperienceForm,
    MilestoneForm,
    MilestoneStatusForm,
    ModerationForm,
    PeopleForm,
    PitchActionForm,
    PitchForm,
    PledgeForm,
    ProgressForm,
    ReportForm,
    ResultForm,
    ReviewRoundForm,
    ScoreForm,
    TeamMemberForm,
    ThresholdForm,
    UpdateForm,
)
from ..models import (
    OPEN_FOR_PLEDGES,
    OPEN_FOR_SUPPORT,
    PITCH_MAX_WORDS,
    READING_WORDS_PER_MINUTE,
    Initiative,
    Pitch,
    Pledge,
    Report,
    ReviewRound,
    Support,
    Update,
    panel_balance,
    support_threshold_of,
)
from ..selectors import decision_makers_share, pitches_visible_to, public_pitches, updates_visible_to

PAGE_SIZE = 20


def _posted(request):
    """The POST data (even empty: a form sent with nothing is checked, not shown afresh), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _query_without_page(request, form) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for name in form.errors:
        params.pop(name, None)
    return params.urlencode()


def _pitch_for(request, pk) -> Pitch:
    """A pitch the person may see, else "not found"."""
    visible = pitches_visible_to(request.user, Pitch.objects.select_related("network", "settlement", "author"))
    return get_object_or_404(visible, pk=pk)


def pitch_list(request):
    queryset = (
        public_pitches(Pitch.objects.select_related("network", "settlement"))
        .annotate(supporters=Count("supports", distinct=True))
        .order_by("-published_at", "-pk")
    )
    filterset = PitchFilterSet(request.GET or None, queryset=queryset)
    page_obj = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/pitch_list.html",
        {
            "form": filterset.form,
            "page_obj": page_obj,
            "pitches": page_obj.object_list,
            "query_string": _query_without_page(request, filterset.form),
            "is_filtered": any(request.GET.get(name) for name in filterset.filters),
        },
    )


def pitch_detail(request, pk):
    pitch = _pitch_for(request, pk)
    actions = services.available_actions(request.user, pitch)
    user = request.user
    pledges = list(pitch.pledges.select_related("organisation").order_by("kind", "created_at", "pk"))
    hours_pledged = sum(p.hours or 0 for p in pledges if p.kind == Pledge.Kind.HOURS)
    return render(
        request,
        "initiatives/pitch_detail.html",
        {
            "pitch": pitch,
            "actions": actions,
            "can_edit": pitch.state == Pitch.State.DRAFT and rules.has_perm("initiatives.change_pitch", user, pitch),
            "initiative": Initiative.objects.filter(pitch=pitch).first(),
            "can_start": pitch.state == Pitch.State.ACCEPTED
            and rules.has_perm("initiatives.start_initiative", user, pitch),
            "supporters": pitch.supports.count(),
            "threshold": support_threshold_of(pitch.network),
            "supports": user.is_authenticated and pitch.supports.filter(user=user).exists(),
            "can_support": pitch.state in OPEN_FOR_SUPPORT and rules.has_perm("initiatives.support_pitch", user, pitch),
            "can_pledge": pitch.state in OPEN_FOR_PLEDGES
            and rules.has_perm("initiatives.pledge_to_pitch", user, pitch),
            "pledges": [p for p in pledges if p.kind != Pledge.Kind.HOURS],
            "hours_pledged": hours_pledged,
            "hours_still_needed": max(pitch.needs_hours - hours_pledged, 0),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch_support(request, pk):
    """Support a pitch with one click, or take the support back."""
    pitch = _pitch_for(request, pk)
    supports = Support.objects.filter(pitch=pitch, user=request.user).exists()
    if not supports and not rules.has_perm("initiatives.support_pitch", request.user, pitch):
        raise PermissionDenied
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                services.withdraw_support(actor=request.user, pitch=pitch)
                messages.success(request, "You no longer support this pitch.")
            else:
                services.support_pitch(actor=request.user, pitch=pitch)
                messages.success(request, "Thank you: you support this pitch.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(pitch)
    return render(
        request,
        "initiatives/pitch_support.html",
        {"pitch": pitch, "supports": supports, "open": pitch.state in OPEN_FOR_SUPPORT},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch_pledge(request, pk):
    pitch = _pitch_for(request, pk)
    if not rules.has_perm("initiatives.pledge_to_pitch", request.user, pitch):
        raise PermissionDenied
    form = PledgeForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_to_pitch(
                actor=request.user,
                pitch=pitch,
                kind=form.cleaned_data["kind"],
                hours=form.cleaned_data.get("hours"),
                description=form.cleaned_data.get("description", ""),
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you: your pledge is on the pitch.")
            return redirect(pitch)
    mine = pitch.pledges.filter(pledged_by=request.user, kind=Pledge.Kind.HOURS).aggregate(total=Sum("hours"))
    return render(
        request,
        "initiatives/pitch_pledge.html",
        {"pitch": pitch, "form": form, "open": pitch.state in OPEN_FOR_PLEDGES, "my_hours": mine["total"] or 0},
    )


@login_required
def my_pitches(request):
    pitches = Pitch.objects.filter(author=request.user).select_related("network", "settlement").order_by("-pk")
    return render(request, "initiatives/my_pitches.html", {"pitches": list(pitches)})


def _form_context(form, **extra):
    return {"form": form, "max_words": PITCH_MAX_WORDS, "words_per_minute": READING_WORDS_PER_MINUTE, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def pitch_new(request):
    form = PitchForm(_posted(request), user=request.user, instance=Pitch())
    if request.method == "POST" and form.is_valid():
        try:
            pitch = services.create_pitch(
                actor=request.user, network=form.cleaned_data["network"], data=form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your pitch is saved as a draft. Only you can see it until you publish it.")
            return redirect(pitch)
    has_network = form.fields["network"].queryset.exists()
    return render(request, "initiatives/pitch_form.html", _form_context(form, has_network=has_network))


@login_required
@require_http_methods(["GET", "POST"])
def pitch_edit(request, pk):
    pitch = _pitch_for(request, pk)
    if not rules.has_perm("initiatives.change_pitch", request.user, pitch):
        raise PermissionDenied
    if pitch.state != Pitch.State.DRAFT:
        messages.error(request, "Only a draft can be changed: this pitch has been published.")
        return redirect(pitch)
    form = PitchForm(_posted(request), user=request.user, instance=editable_copy(pitch))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pitch(actor=request.user, pitch=pitch, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your draft is saved.")
            return redirect(pitch)
    return render(request, "initiatives/pitch_form.html", _form_context(form, pitch=pitch, has_network=True))


@login_required
@require_http_methods(["GET", "POST"])
def pitch_state(request, pk):
    pitch = _pitch_for(request, pk)
    actions = services.available_actions(request.user, pitch)
    if not actions:
        raise PermissionDenied
    form = PitchActionForm(_posted(request), actions=actions)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "publish":
                services.publish_pitch(actor=request.user, pitch=pitch)
            elif action == "start_review":
                services.start_review(actor=request.user, pitch=pitch)
            elif action == "accept":
                services.accept_pitch(
                    actor=request.user, pitch=pitch, explanation=form.cleaned_data.get("explanation", "")
                )
            elif action == "decline":
                services.decline_pitch(
                    actor=request.user,
                    pitch=pitch,
                    reason=form.cleaned_data.get("reason", ""),
                    explanation=form.cleaned_data.get("explanation", ""),
                )
            else:
                services.withdraw_pitch(actor=request.user, pitch=pitch)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The pitch is now {pitch.get_state_display().lower()}.")
            return redirect(pitch)
    return render(request, "initiatives/pitch_state.html", {"pitch": pitch, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def network_settings(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not rules.has_perm("initiatives.change_network_settings", request.user, network):
        raise PermissionDenied
    form = ThresholdForm(_posted(request), initial={"support_threshold": support_threshold_of(network)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_support_threshold(
                actor=request.user, network=network, threshold=form.cleaned_data["support_threshold"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The support threshold is saved.")
            return redirect("initiatives:network_settings", slug=network.slug)
    return render(request, "initiatives/network_settings.html", {"network": network, "form": form})


# --- Review rounds ------------------------------------------------------------------


def _round_for(pk) -> ReviewRound:
    return get_object_or_404(ReviewRound.objects.select_related("network"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request, slug):
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not rules.has_perm("initiatives.manage_review_round", request.user, network):
        raise PermissionDenied
    form = ReviewRoundForm(_posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        try:
            review_round = services.create_review_round(
                actor=request.user,
                network=network,
                title=form.cleaned_data["title"],
                criteria=form.cleaned_data["criteria"],
                members=form.cleaned_data["members"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The round is set up. Panel members are asked about lived experience.")
            return redirect(review_round)
    return render(request, "initiatives/round_form.html", {"network": network, "form": form})


def round_detail(request, pk):
    """Public: the round's criteria and, once it is closed, the panel's mean scores.
    Its coordinators also see whether the panel is balanced; a panel member, their tasks."""
    review_round = _round_for(pk)
    user = request.user
    can_manage = rules.has_perm("initiatives.manage_review_round", user, review_round)
    seat = review_round.panel.filter(user=user).first() if user.is_authenticated else None
    panel = list(review_round.panel.all())
    lived, size = panel_balance(panel)
    to_score = []
    if seat is not None or can_manage:
        to_score = list(
            Pitch.objects.filter(network=review_round.network, state=Pitch.State.UNDER_REVIEW).order_by("title", "pk")
        )
    show_results = can_manage or review_round.state == ReviewRound.State.CLOSED
    return render(
        request,
        "initiatives/round_detail.html",
        {
            "round": review_round,
            "can_manage": can_manage,
            "seat": seat,
            "panel_size": size,
            "lived": lived,
            "balanced": size > 0 and lived * 2 >= size,
            "undeclared": sum(1 for m in panel if m.lived_experience is None),
            "to_score": to_score,
            "results": services.round_results(review_round) if show_results else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_declare(request, pk):
    review_round = _round_for(pk)
    if not rules.has_perm("initiatives.sit_on_panel", request.user, review_round):
        raise PermissionDenied
    form = LivedExperienceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_lived_experience(
                actor=request.user, review_round=review_round, lived_experience=form.cleaned_data["lived_experience"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you. Nobody else sees your answer.")
            return redirect(review_round)
    return render(request, "initiatives/round_declare.html", {"round": review_round, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def round_state(request, pk):
    review_round = _round_for(pk)
    if not rules.has_perm("initiatives.manage_review_round", request.user, review_round):
        raise PermissionDenied
    if request.method == "POST":
        try:
            if review_round.state == ReviewRound.State.FORMING:
                services.open_scoring(actor=request.user, review_round=review_round)
                messages.success(request, "Scoring has started.")
            else:
                services.close_round(actor=request.user, review_round=review_round)
                messages.success(request, "The round is closed and its scores are published.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(review_round)
    return render(request, "initiatives/round_state.html", {"round": review_round})


@login_required
@require_http_methods(["GET", "POST"])
def round_score(request, pk, pitch_pk):
    review_round = _round_for(pk)
    if not rules.has_perm("initiatives.sit_on_panel", request.user, review_round):
        raise PermissionDenied
    pitch = get_object_or_404(public_pitches(), pk=pitch_pk, network=review_round.network)
    seat = review_round.panel.get(user=request.user)
    conflicted = seat.conflicts.filter(pitch=pitch).exists()
    action = request.POST.get("action")
    score_form = ScoreForm(request.POST if action == "score" else None, criteria=review_round.criteria)
    conflict_form = ConflictForm(request.POST if action == "conflict" else None)
    form = conflict_form if action == "conflict" else score_form
    if request.method == "POST" and form.is_valid():
        try:
            if action == "conflict":
                services.declare_conflict(
                    actor=request.user,
                    review_round=review_round,
                    pitch=pitch,
                    description=form.cleaned_data["description"],
                )
                messages.success(request, "Your interest is recorded. You will not score this pitch.")
            else:
                services.score_pitch(actor=request.user, review_round=review_round, pitch=pitch, values=form.values())
                messages.success(request, "Your scores are saved.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(review_round)
    return render(
        request,
        "initiatives/round_score.html",
        {
            "round": review_round,
            "pitch": pitch,
            "conflicted": conflicted,
            "score_form": score_form,
            "conflict_form": conflict_form,
            "form": form,
        },
    )


# --- Initiatives --------------------------------------------------------------------


def initiative_list(request):
    """Initiatives and social enterprises, by network and kind (a GET form; bad values are ignored with an error)."""
    form = InitiativeFilterForm(request.GET or None)
    queryset = Initiative.objects.select_related("network", "settlement").annotate(
        team_size=Count("team", distinct=True)
    )
    if form.is_valid():
        if form.cleaned_data.get("network"):
            queryset = queryset.filter(network__slug=form.cleaned_data["network"])
        if form.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=form.cleaned_data["kind"])
    page_obj = Paginator(queryset.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/initiative_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "initiatives": page_obj.object_list,
            "query_string": _query_without_page(request, form),
        },
    )


def initiative_detail(request, pk):
    initiative = get_object_or_404(
        Initiative.objects.select_related("network", "settlement", "pitch").prefetch_related("partners"), pk=pk
    )
    coproduction = services.coproduction_summary(initiative)
    return render(
        request,
        "initiatives/initiative_detail.html",
        {
            "initiative": initiative,
            "team": list(initiative.team.select_related("user").order_by("role", "pk")),
            "milestones": list(initiative.milestones.all()),
            "results": services.results_of(initiative),
            "updates": list(updates_visible_to(request.user, initiative.updates.select_related("author"))[:50]),
            "can_manage": rules.has_perm("initiatives.manage_initiative", request.user, initiative),
            "can_post": rules.has_perm("initiatives.post_update", request.user, initiative),
            "can_assess": rules.has_perm("initiatives.assess_coproduction", request.user, initiative),
            "coproduction": coproduction,
            "radar": services.coproduction_radar(coproduction),
            "decisions": list(initiative.decisions.annotate(taking_part=Count("participants"))),
            "decision_makers": decision_makers_share(initiative=initiative),
            # Sections other apps add about this initiative (volunteering: the roles it offers).
            "panels": render_panels("initiative", request, initiative),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_start(request, pk):
    pitch = _pitch_for(request, pk)
    if not rules.has_perm("initiatives.start_initiative", request.user, pitch):
        raise PermissionDenied
    if hasattr(pitch, "initiative"):
        return redirect(pitch.initiative)
    form = InitiativeForm(_posted(request), network=pitch.network, initial={"name": pitch.title})
    if request.method == "POST" and pitch.state == Pitch.State.ACCEPTED and form.is_valid():
        try:
            initiative = services.start_initiative(
                actor=request.user, pitch=pitch, data=form.service_data(), partners=form.cleaned_data["partners"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The initiative is started. Its lead can now add milestones and results.")
            return redirect(initiative)
    return render(request, "initiatives/initiative_start.html", {"pitch": pitch, "form": form})


MANAGE_FORMS = {
    "team": TeamMemberForm,
    "milestone": MilestoneForm,
    "milestone_status": MilestoneStatusForm,
    "result": ResultForm,
    "progress": ProgressForm,
    "people": PeopleForm,
    "update": UpdateForm,
    "decision": DecisionForm,
}


def _apply(action, actor, initiative, data):
    if action == "team":
        services.add_team_member(actor=actor, initiative=initiative, user=data["user"], role=data["role"])
    elif action == "milestone":
        services.add_milestone(actor=actor, initiative=initiative, title=data["title"], due_on=data["due_on"])
    elif action == "milestone_status":
        services.set_milestone_status(actor=actor, milestone=data["milestone"], status=data["status"])
    elif action == "result":
        services.add_result(
            actor=actor,
            initiative=initiative,
            title=data["title"],
            weight=data["weight"],
            parent=data["parent"],
            measure=data["measure"],
            target_people=data["target_people"],
        )
    elif action == "people":
        services.set_people_achieved(actor=actor, result=data["result"], achieved=data["achieved"])
    elif action == "progress":
        services.set_result_progress(actor=actor, result=data["result"], progress=data["progress"])
    elif action == "decision":
        services.record_decision(
            actor=actor,
            initiative=initiative,
            data={name: data[name] for name in services.DECISION_FIELDS},
            participants=data["participants"],
            lived_experience=data["lived_experience"],
        )
    else:
        services.post_update(actor=actor, initiative=initiative, text=data["text"])


@login_required
@require_http_methods(["GET", "POST"])
def initiative_manage(request, pk):
    """The lead's and coordinators' page: team, milestones, results, progress; the team posts updates here."""
    initiative = get_object_or_404(Initiative.objects.select_related("network"), pk=pk)
    can_manage = rules.has_perm("initiatives.manage_initiative", request.user, initiative)
    if not can_manage and not rules.has_perm("initiatives.post_update", request.user, initiative):
        raise PermissionDenied
    allowed = list(MANAGE_FORMS) if can_manage else ["update"]
    action = request.POST.get("action") if request.method == "POST" else None
    forms_by_action = {}
    for name in allowed:
        data = request.POST if name == action else None
        simple = name in ("milestone", "update")  # forms that need no initiative
        kwargs = {"prefix": name} if simple else {"prefix": name, "initiative": initiative}
        forms_by_action[name] = MANAGE_FORMS[name](data, **kwargs)
    if action in forms_by_action:
        form = forms_by_action[action]
        if form.is_valid():
            try:
                _apply(action, request.user, initiative, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect("initiatives:initiative_manage", pk=initiative.pk)
    elif request.method == "POST":
        messages.error(request, "Choose one of the forms on this page.")
        return redirect("initiatives:initiative_manage", pk=initiative.pk)
    errors = next((f for f in forms_by_action.values() if f.errors), None)
    return render(
        request,
        "initiatives/initiative_manage.html",
        {
            "initiative": initiative,
            "forms": forms_by_action,
            "form": errors,
            "results": services.results_of(initiative),
        },
    )


# --- Moderation ---------------------------------------------------------------------


def _report(request, *, pitch=None, update=None, back):
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.report_content(
                actor=request.user,
                pitch=pitch,
                update=update,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you. The network's coordinators will look at it.")
            return redirect(back)
    context = {
        "form": form,
        "heading": "Report this pitch" if pitch else "Report this update",
        "caption": pitch.title if pitch else update.initiative.name,
        "intro": "A coordinator of the network looks at every report and can hide it while they review it. "
        "The person who wrote it is not told who reported it.",
        "back_url": back,
        "breadcrumbs": "initiatives/_breadcrumbs.html",
        "pitch": pitch,
        "warning": True,
    }
    return render(request, "core/moderation/report_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pitch_report(request, pk):
    pitch = _pitch_for(request, pk)
    if pitch.state == Pitch.State.DRAFT:
        raise PermissionDenied
    return _report(request, pitch=pitch, back=pitch.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def update_report(request, pk):
    update = get_object_or_404(
        updates_visible_to(request.user, Update.objects.select_related("initiative__network")), pk=pk
    )
    return _report(request, update=update, back=update.initiative.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request, slug):
    """A network's open reports: its coordinators hide each item pending review
    (with a reason) or dismiss the report."""
    network = get_object_or_404(Network.objects.active(), slug=slug)
    if not rules.has_perm("initiatives.moderate", request.user, network):
        raise PermissionDenied
    reports = (
        Report.objects.filter(status=Report.Status.OPEN)
        .filter(Q(pitch__network=network) | Q(update__initiative__network=network))
        .select_related("pitch", "update__initiative", "reporter")
        .order_by("created_at", "pk")
    )
    form = ModerationForm(_posted(request), reports=reports)
    if request.method == "POST" and form.is_valid():
        report = form.cleaned_data["report"]
        try:
            if form.cleaned_data["action"] == "hide":
                services.hide_reported(actor=request.user, report=report, reason=form.cleaned_data["reason"])
                messages.success(request, "It is hidden pending review.")
            else:
                services.dismiss_report(actor=request.user, report=report)
                messages.success(request, "The report is dismissed.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("initiatives:moderation", slug=network.slug)
    hidden_pitches = list(
        Pitch.objects.filter(network=network, hidden_at__isnull=False).order_by("-hidden_at", "-pk")[:50]
    )
    return render(
        request,
        "initiatives/moderation.html",
        {"network": network, "reports": list(reports), "form": form, "hidden_pitches": hidden_pitches},
    )


@login_required
@require_http_methods(["GET", "POST"])
def coproduction(request, pk):
    """A team member scores the initiative on the six components of co-production, on their own."""
    initiative = get_object_or_404(Initiative.objects.select_related("network"), pk=pk)
    if not rules.has_perm("initiatives.assess_coproduction", request.user, initiative):
        raise PermissionDenied
    form = CoproductionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_coproduction(actor=request.user, initiative=initiative, scores=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you: your scores are added to the team's.")
            return redirect(initiative)
    return render(request, "initiatives/coproduction_form.html", {"initiative": initiative, "form": form})

"""A member's recovery capital pages (/recovery-capital/): their journey,
taking an assessment (resumable), reminders and their recovery plan. Thin:
each write is a call to recoverycapital.services; nobody else's is found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from recoverynet.accounts.models import ConsentPurpose
from recoverynet.accounts.privacy import ConsentRequired, has_consent
from recoverynet.core.manage_pages import add_service_errors, editable_copy
from recoverynet.federation.models import Network

from .. import services
from ..charts import line_chart
from ..forms import AnswersForm, GoalForm, ReminderForm, StartAssessmentForm, StepForm
from ..models import DEFAULT_REMINDER_MONTHS, Assessment, Goal, Instrument, ReminderPreference, Step
from ..selectors import assessments_visible_to, goals_of, journey


def _member_networks(user):
    return Network.objects.filter(memberships__user=user, memberships__status="active").distinct().order_by("name")


@login_required
def journey_page(request):
    user = request.user
    charts = journey(user)
    for index, chart in enumerate(charts):
        chart.svg = line_chart(chart, f"chart-{index}-title")
    in_progress = list(
        assessments_visible_to(user)
        .filter(person=user, completed_at__isnull=True)
        .select_related("instrument")
        .order_by("-started_at")
    )
    preference = ReminderPreference.objects.filter(person=user).first()
    return render(
        request,
        "recoverycapital/journey.html",
        {
            "charts": charts,
            "in_progress": in_progress,
            "goals": list(goals_of(user)),
            "consented": has_consent(user, ConsentPurpose.OUTCOME_MEASUREMENT),
            "preference": preference,
            "default_months": DEFAULT_REMINDER_MONTHS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request):
    user = request.user
    consented = has_consent(user, ConsentPurpose.OUTCOME_MEASUREMENT)
    networks = _member_networks(user)
    instruments = Instrument.objects.ready().filter(network__isnull=True) | Instrument.objects.ready().filter(
        network__in=networks
    )
    form = StartAssessmentForm(
        request.POST if request.method == "POST" else None,
        instruments=instruments.order_by("short_name"),
        networks=networks,
    )
    if request.method == "POST" and consented and form.is_valid():
        unfinished = (
            Assessment.objects.filter(
                person=user,
                entered_by=None,
                network=form.cleaned_data["network"],
                instrument=form.cleaned_data["instrument"],
                completed_at__isnull=True,
            )
            .order_by("-pk")
            .first()
        )
        if unfinished is not None:  # one started and not finished: carry on with it, not a second
            messages.success(request, "You started this one already: your answers so far are kept.")
            return redirect(unfinished.get_absolute_url())
        try:
            assessment = services.start_assessment(
                actor=user,
                person=user,
                network=form.cleaned_data["network"],
                instrument=form.cleaned_data["instrument"],
            )
        except ConsentRequired:
            consented = False
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(assessment.get_absolute_url())
    return render(
        request, "recoverycapital/assessment_new.html", {"form": form, "consented": consented, "networks": networks}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk):
    assessment = get_object_or_404(
        assessments_visible_to(request.user).select_related("instrument", "person", "network", "entered_by"), pk=pk
    )
    instrument = assessment.instrument
    if assessment.is_complete:
        scores = services.scores_of(assessment)
        return render(
            request,
            "recoverycapital/assessment_result.html",
            {"assessment": assessment, "scores": scores, "scales": _scales(instrument, scores)},
        )
    items = list(instrument.items.all())
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        instrument=instrument,
        items=items,
        initial_answers=services.answers_of(assessment),
    )
    if request.method == "POST" and form.is_valid():
        finishing = request.POST.get("action") == "finish"
        try:
            services.save_answers(actor=request.user, assessment=assessment, answers=form.answers())
            if finishing:
                services.complete_assessment(actor=request.user, assessment=assessment)
        except ConsentRequired:
            messages.error(request, "Outcome measurement consent has been withdrawn, so nothing was saved.")
            return redirect("recoverycapital:journey")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if finishing and assessment.person_id != request.user.pk:
                # Entered with the member: from now on it is theirs alone, on their journey.
                name = assessment.person.display_name
                messages.success(request, f"{instrument.short_name} finished. {name} sees the scores on their journey.")
                return redirect("recoverycapital:manage:enter_with_member", slug=assessment.network.slug)
            if finishing:
                messages.success(request, f"Thank you. Your {instrument.short_name} is finished.")
                return redirect(assessment.get_absolute_url())
            messages.success(request, "Your answers are saved. Come back to finish any time.")
            return redirect("recoverycapital:journey")
    return render(request, "recoverycapital/assessment_form.html", {"assessment": assessment, "form": form})


def _scales(instrument, scores):
    """[(name, score, band)] for the result page."""
    definition = instrument.definition
    rows = []
    if scores.total is not None:
        rows.append((definition["scoring"].get("total_name", "Total"), scores.total, scores.bands.get("total")))
    for domain in definition["scoring"].get("domains", []):
        rows.append((domain["name"], scores.domains[domain["key"]], scores.bands.get(domain["key"])))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    preference = ReminderPreference.objects.filter(person=request.user).first()
    initial = {
        "enabled": "yes" if preference is None or preference.enabled else "no",
        "interval_months": preference.interval_months if preference else DEFAULT_REMINDER_MONTHS,
    }
    form = ReminderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_reminders(
                actor=request.user,
                person=request.user,
                interval_months=form.cleaned_data["interval_months"],
                enabled=form.cleaned_data["enabled"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your reminder choice is saved.")
            return redirect("recoverycapital:journey")
    return render(request, "recoverycapital/reminders.html", {"form": form})


# --- The recovery plan -------------------------------------------------------------


def _own_goal(request, pk):
    return get_object_or_404(Goal.objects.filter(person=request.user).prefetch_related("steps"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request):
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.create_goal(actor=request.user, person=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your goal is in your plan. Add the steps towards it.")
            return redirect(goal.get_absolute_url())
    return render(request, "recoverycapital/goal_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = _own_goal(request, pk)
    form = GoalForm(request.POST if request.method == "POST" else None, instance=editable_copy(goal))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(actor=request.user, goal=goal, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your goal is saved.")
            return redirect("recoverycapital:journey")
    return render(request, "recoverycapital/goal_form.html", {"form": form, "goal": goal, "step_form": StepForm()})


@login_required
@require_POST
def goal_done(request, pk):
    goal = _own_goal(request, pk)
    done = request.POST.get("done") != "no"
    services.set_goal_done(actor=request.user, goal=goal, done=done)
    messages.success(request, "Well done: goal completed." if done else "The goal is open again.")
    return redirect("recoverycapital:journey")


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request, pk):
    goal = _own_goal(request, pk)
    form = StepForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_step(actor=request.user, goal=goal, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Step added.")
            return redirect(goal.get_absolute_url())
    return render(request, "recoverycapital/step_form.html", {"form": form, "goal": goal})


@login_required
@require_POST
def step_done(request, pk):
    step = get_object_or_404(Step.objects.select_related("goal").filter(goal__person=request.user), pk=pk)
    services.set_step_done(actor=request.user, step=step, done=request.POST.get("done") != "no")
    return redirect(step.goal.get_absolute_url())

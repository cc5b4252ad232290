"""Pitch pages (/initiatives/): the public list and each pitch, and a member's
pages to pitch, change a draft and move a pitch through its states. Thin: each
write is a call to initiatives.services; who sees what comes from selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from recoverynet.core.manage_pages import add_service_errors, editable_copy

from .. import services
from ..filters import PitchFilterSet
from ..forms import PitchActionForm, PitchForm
from ..models import PITCH_MAX_WORDS, READING_WORDS_PER_MINUTE, Pitch
from ..selectors import pitches_visible_to, public_pitches

PAGE_SIZE = 20


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
    queryset = public_pitches(Pitch.objects.select_related("network", "settlement")).order_by("-published_at", "-pk")
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
    return render(
        request,
        "initiatives/pitch_detail.html",
        {
            "pitch": pitch,
            "actions": actions,
            "can_edit": pitch.state == Pitch.State.DRAFT and request.user.has_perm("initiatives.change_pitch", pitch),
        },
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
    form = PitchForm(request.POST or None, user=request.user, instance=Pitch())
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
    if not request.user.has_perm("initiatives.change_pitch", pitch):
        raise PermissionDenied
    if pitch.state != Pitch.State.DRAFT:
        messages.error(request, "Only a draft can be changed: this pitch has been published.")
        return redirect(pitch)
    form = PitchForm(request.POST or None, user=request.user, instance=editable_copy(pitch))
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
    form = PitchActionForm(request.POST or None, actions=actions)
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

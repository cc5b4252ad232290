"""Offers and requests (/timebank/offers/): members browse and search them,
post, edit and close their own, answer others', agree an answer (which records
an exchange), and block or report a member. Thin: each write is a call to
timebank.services; what a person may open comes from timebank.selectors."""

import re

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from recoverynet.core.manage_pages import add_service_errors

from .. import services
from ..filters import PostFilter
from ..forms import AgreeForm, PostForm, ReportForm, ResponseForm
from ..models import Account, Block, Post, Response
from ..selectors import accounts_visible_to, is_blocked, posts_visible_to

POSTS_PER_PAGE = 20
ID = re.compile(r"[0-9]{1,18}")  # ASCII digits that fit a database key; anything else matches nothing


def _post_for(request, pk) -> Post:
    """A post the person may see, else "not found"."""
    visible = posts_visible_to(request.user, Post.objects.select_related("category", "network", "poster__user"))
    return get_object_or_404(visible, pk=pk)


def _response_for(request, pk) -> Response:
    """An answer the person may see: its poster's or its responder's (coordinators: their network's)."""
    from recoverynet.core import scoping

    responses = Response.objects.select_related(
        "post__category", "post__network", "post__poster__user", "responder__user", "responder__network"
    )
    user = request.user
    if not scoping.is_federation_coordinator(user):
        responses = responses.filter(
            Q(post__poster__user=user)
            | Q(responder__user=user)
            | Q(post__network_id__in=scoping.coordinated_network_ids(user))
        )
    return get_object_or_404(responses, pk=pk)


@login_required
def post_list(request):
    """Open offers and requests the person may see, newest first, filtered by a GET form."""
    open_posts = Post.objects.filter(status=Post.Status.OPEN, hidden=False)
    queryset = posts_visible_to(
        request.user, open_posts.select_related("category", "network", "poster__user")
    ).order_by("-created_at", "-pk")
    post_filter = PostFilter(request.GET or None, queryset=queryset)
    posts = post_filter.qs if post_filter.is_bound else queryset
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    accounts = list(
        Account.objects.filter(user=request.user, kind=Account.Kind.MEMBER, is_open=True)
        .select_related("network")
        .order_by("network__name")
    )
    mine = list(
        Post.objects.filter(poster__user=request.user)
        .select_related("category", "network")
        .annotate(waiting=Count("responses", filter=Q(responses__status=Response.Status.WAITING)))
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "timebank/offers/post_list.html",
        {
            "filter": post_filter,
            "page_obj": page,
            "posts": page.object_list,
            "filter_query": query.urlencode(),
            "accounts": accounts,
            "mine": mine,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_new(request, pk):
    account = get_object_or_404(
        accounts_visible_to(request.user, Account.objects.select_related("network", "user")), pk=pk
    )
    if not rules.has_perm("timebank.post_with", request.user, account):
        raise PermissionDenied
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(actor=request.user, account=account, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your post is up. You will see answers on its page.")
            return redirect(post)
    return render(request, "timebank/offers/post_form.html", {"form": form, "account": account, "post": None})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _post_for(request, pk)
    if not rules.has_perm("timebank.change_post", request.user, post):
        raise PermissionDenied
    initial = {
        "kind": post.kind,
        "category": post.category,
        "title": post.title,
        "description": post.description,
        "visibility": post.visibility,
    }
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_post(actor=request.user, post=post, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your changes have been saved." if changed else "Nothing was changed.")
            return redirect(post)
    return render(request, "timebank/offers/post_form.html", {"form": form, "account": post.poster, "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def post_detail(request, pk):
    """The post; for its poster, the answers (to agree one) and a Close button; for
    anyone else, a form to answer it, and links to report or block its poster."""
    post = _post_for(request, pk)
    user = request.user
    is_poster = post.poster.user_id == user.pk
    action = request.POST.get("action") if request.method == "POST" else None
    form = ResponseForm(request.POST if action == "respond" else None)
    if action == "close":
        try:
            services.close_post(actor=user, post=post)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your post is closed. It no longer shows in the lists.")
        return redirect(post)
    if action == "respond" and form.is_valid():
        try:
            services.respond_to_post(actor=user, post=post, message=form.cleaned_data["message"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Your answer is sent. {post.poster.user.display_name} can agree it on the post's page."
            )
            return redirect(post)
    elif action not in (None, "respond"):
        return redirect(post)
    responses = []
    if is_poster or rules.has_perm("timebank.moderate", user, post):
        responses = list(post.responses.select_related("responder__user", "responder__network"))
    mine = None if is_poster else post.responses.filter(responder__user=user).first()
    blocked = not is_poster and is_blocked(user, post.poster.user_id)
    return render(
        request,
        "timebank/offers/post_detail.html",
        {
            "post": post,
            "is_poster": is_poster,
            "responses": responses,
            "my_response": mine,
            "blocked": blocked,
            "form": form,
            "may_answer": not is_poster and mine is None and not blocked and post.status == Post.Status.OPEN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_agree(request, pk):
    """The poster agrees an answer: how long it will take, then an exchange waits for the receiver."""
    response = _response_for(request, pk)
    post = response.post
    if not rules.has_perm("timebank.change_post", request.user, post):
        raise PermissionDenied
    form = AgreeForm(request.POST or None, initial={"description": post.title[:200]})
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.agree_response(
                actor=request.user,
                response=response,
                minutes=form.cleaned_data["total_minutes"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            confirms = (
                "you confirm it"
                if exchange.receiver.user_id == request.user.pk
                else f"{exchange.receiver.user.display_name} confirms it"
            )
            messages.success(
                request,
                f"You agreed {exchange.shown_minutes} with {response.responder.user.display_name}. "
                f"Once the help is given, {confirms} in the time bank and the time moves.",
            )
            return redirect(post)
    return render(request, "timebank/offers/response_agree.html", {"form": form, "response": response, "post": post})


def _report(request, *, network, post, member, about_post, back, heading):
    form = ReportForm(request.POST or None, about_post=about_post)
    if request.method == "POST" and form.is_valid():
        chosen_post = post if not about_post or form.cleaned_data.get("about") == "post" else None
        try:
            services.report_to_coordinators(
                actor=request.user,
                network=network,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                post=chosen_post,
                member=member,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Thank you. The coordinators of {network.name} will look at your report. "
                "If you do not want to hear from this member, you can also block them.",
            )
            return redirect(back)
    context = {
        "form": form,
        "heading": heading,
        "intro": "Your report goes to the network's coordinators. The member you report is not told who reported them.",
        "back_url": back.get_absolute_url(),
        "breadcrumbs": "timebank/_breadcrumbs.html",
    }
    return render(request, "core/moderation/report_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request, pk):
    post = _post_for(request, pk)
    if post.poster.user_id == request.user.pk:
        raise PermissionDenied
    return _report(
        request,
        network=post.network,
        post=post,
        member=post.poster.user,
        about_post=True,
        back=post,
        heading=f"Report “{post.title}”",
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_report(request, pk):
    response = _response_for(request, pk)
    if response.responder.user_id == request.user.pk:
        raise PermissionDenied
    return _report(
        request,
        network=response.post.network,
        post=None,
        member=response.responder.user,
        about_post=False,
        back=response.post,
        heading=f"Report {response.responder.user.display_name}",
    )


def _block(request, member, back):
    if member.pk == request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.block_member(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"You blocked {member.display_name}. You will not see each other's offers and requests, "
                "and neither of you can answer the other's.",
            )
        return redirect("timebank:blocks")
    return render(request, "timebank/offers/block_confirm.html", {"member": member, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def post_block(request, pk):
    post = _post_for(request, pk)
    return _block(request, post.poster.user, post)


@login_required
@require_http_methods(["GET", "POST"])
def response_block(request, pk):
    response = _response_for(request, pk)
    return _block(request, response.responder.user, response.post)


@login_required
@require_http_methods(["GET", "POST"])
def blocks(request):
    """The members the person blocked, each with an Unblock button."""
    mine = Block.objects.filter(blocker=request.user).select_related("blocked")
    if request.method == "POST":
        chosen = request.POST.get("block", "")
        block = mine.filter(pk=chosen).first() if ID.fullmatch(chosen) else None
        if block is not None:
            services.unblock_member(actor=request.user, block=block)
            messages.success(request, f"You unblocked {block.blocked.display_name}.")
        return redirect("timebank:blocks")
    return render(request, "timebank/offers/blocks.html", {"blocks": list(mine.order_by("-created_at", "-pk"))})

"""A member's time bank pages (/timebank/): their accounts, recording time they
gave, confirming time they received, and their statement. Thin: each write is
a call to timebank.services; what a person may open comes from selectors."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from recoverynet.accounts.consent import current_wording
from recoverynet.accounts.models import ConsentPurpose
from recoverynet.core import scoping
from recoverynet.core.manage_pages import add_service_errors
from recoverynet.core.spreadsheets import spreadsheet_safe
from recoverynet.core.text import sentence
from recoverynet.federation.models import Membership, Network

from .. import services
from ..forms import DisputeForm, ExchangeForm, JoinForm
from ..models import Account, Exchange, format_minutes
from ..selectors import accounts_visible_to, statement

STATEMENT_PAGE_SIZE = 50


def _account_for(request, pk) -> Account:
    """An account the person may see, else "not found"."""
    visible = accounts_visible_to(request.user, Account.objects.select_related("network", "user"))
    return get_object_or_404(visible, pk=pk)


@login_required
def home(request):
    user = request.user
    memberships = (
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
        .select_related("network")
        .order_by("network__name")
    )
    accounts = {a.network_id: a for a in Account.objects.with_balance().filter(user=user, kind=Account.Kind.MEMBER)}
    rows = [{"network": m.network, "account": accounts.get(m.network_id)} for m in memberships]
    for row in rows:
        if row["account"] is not None:
            row["balance"] = format_minutes(row["account"].balance)
    waiting = (
        Exchange.objects.filter(receiver__user=user, status=Exchange.Status.RECORDED)
        .select_related("giver__user", "network")
        .order_by("recorded_at")
    )
    sent = (
        Exchange.objects.filter(giver__user=user)
        .select_related("receiver__user", "network")
        .order_by("-recorded_at")[:10]
    )
    coordinated = Network.objects.active().filter(pk__in=scoping.coordinated_network_ids(user)).order_by("name")
    context = {"rows": rows, "waiting": list(waiting), "sent": list(sent), "coordinated": list(coordinated)}
    return render(request, "timebank/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug):
    """Joining asks for the time bank consent (ConsentPurpose.TIME_BANK); joining
    again after leaving reopens the same account."""
    network = get_object_or_404(Network.objects.active(), slug=slug)
    existing = Account.objects.filter(network=network, user=request.user).first()
    if existing is not None and existing.is_open:
        return redirect("timebank:home")
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_time_bank(
                actor=request.user, user=request.user, network=network, consent=form.cleaned_data["consent"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("timebank:home")
        messages.success(request, f"You have joined the {network.name} time bank.")
        return redirect("timebank:home")
    is_member = Membership.objects.filter(user=request.user, network=network, status=Membership.Status.ACTIVE).exists()
    context = {
        "network": network,
        "is_member": is_member,
        "form": form if is_member else None,
        "wording": current_wording(ConsentPurpose.TIME_BANK),
        "auto_confirm_days": services.auto_confirm_days(),
    }
    return render(request, "timebank/join.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, pk):
    """The holder closes their account (services.LEAVING_RULES say what happens to the balance)."""
    account = get_object_or_404(
        Account.objects.select_related("network"), pk=pk, user=request.user, kind=Account.Kind.MEMBER, is_open=True
    )
    if request.method == "POST":
        services.leave_time_bank(actor=request.user, account=account)
        messages.success(request, f"You have left the {account.network.name} time bank. Your balance is kept.")
        return redirect("timebank:home")
    last = not Account.objects.filter(user=request.user, kind=Account.Kind.MEMBER, is_open=True).exclude(pk=pk).exists()
    context = {
        "account": account,
        "balance": format_minutes(account.balance()),
        "rules": services.LEAVING_RULES,
        "last_account": last,
    }
    return render(request, "timebank/leave.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_new(request, pk):
    giver = _account_for(request, pk)
    if not request.user.has_perm("timebank.move_time", giver):
        raise PermissionDenied
    form = ExchangeForm(request.POST or None, giver=giver)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.record_exchange(
                actor=request.user,
                giver=giver,
                receiver=form.cleaned_data["receiver"],
                minutes=form.cleaned_data["total_minutes"],
                description=form.cleaned_data["description"],
                idempotency_key=form.cleaned_data["idempotency_key"] or None,
                category=form.cleaned_data.get("category"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"You recorded {exchange.shown_minutes} given to {exchange.receiver.user.display_name}. "
                "It counts once they confirm it.",
            )
            return redirect("timebank:home")
    return render(request, "timebank/exchange_form.html", {"form": form, "giver": giver})


@login_required
@require_http_methods(["GET", "POST"])
def exchange_decide(request, pk):
    visible = accounts_visible_to(request.user)
    exchange = get_object_or_404(
        Exchange.objects.select_related("giver__user", "receiver__user", "network").filter(receiver__in=visible),
        pk=pk,
    )
    form = DisputeForm(request.POST if request.POST.get("action") == "dispute" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                services.confirm_exchange(actor=request.user, exchange=exchange)
                giver = exchange.giver.user.display_name
                messages.success(request, sentence(f"You confirmed {exchange.shown_minutes} from {giver}"))
                return redirect("timebank:home")
            if form.is_valid():
                services.dispute_exchange(actor=request.user, exchange=exchange, reason=form.cleaned_data["reason"])
                messages.success(request, "You disputed this exchange. Nothing has moved; a coordinator can help.")
                return redirect("timebank:home")
        except ValidationError as exc:  # decided meanwhile, say: shown at the top of the page again
            messages.error(request, " ".join(exc.messages))
            return redirect("timebank:exchange_decide", pk=exchange.pk)
    return render(request, "timebank/exchange_decide.html", {"exchange": exchange, "form": form})


@login_required
def account_statement(request, pk):
    account = _account_for(request, pk)
    page = Paginator(statement(account), STATEMENT_PAGE_SIZE).get_page(request.GET.get("page"))
    balance = account.balance()
    return render(
        request,
        "timebank/statement.html",
        {"account": account, "page_obj": page, "balance": format_minutes(balance)},
    )


@login_required
def account_statement_csv(request, pk):
    account = _account_for(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timebank-statement-{account.pk}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(["Date", "Kind", "Description", "Minutes", "Balance after (minutes)"])
    for row in statement(account).iterator(chunk_size=500):
        writer.writerow(
            [
                row.transaction.created_at.date().isoformat(),
                row.transaction.get_kind_display(),
                spreadsheet_safe(row.transaction.description),
                row.amount,
                row.balance_after,
            ]
        )
    return response

"""The coordinators' and hosts' pages (/manage/).

Thin views: each one fetches its object, asks the rule in rules.py, and hands
the form's cleaned data to a function in services.py. The services raise
ValidationError (shown as form errors, nothing written) or PermissionDenied
(403). Memberships another network's coordinator may not see are 404.
"""

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from recoverynet.accounts.models import ConsentPurpose
from recoverynet.accounts.privacy import consented_user_ids, has_consent
from recoverynet.core.manage_pages import (
    ConfirmActionView,
    ManageView,
    ObjectCreateView,
    ObjectEditView,
    ServiceFormMixin,
    editable_copy,
)
from recoverynet.core.registry import render_panels
from recoverynet.core.text import sentence

from .. import scoping, selectors, services
from ..filters import MembershipFilter
from ..forms import (
    CommissionerAccessForm,
    MembershipDecisionForm,
    MembershipForm,
    NetworkForm,
    OrganisationForm,
    PartnershipForm,
    SettlementForm,
)
from ..mixins import NetworkObjectMixin
from ..models import CommissionerAccess, Federation, Membership, Network, Organisation, Partnership, Settlement

PENDING = Membership.Status.PENDING
ACTIVE = Membership.Status.ACTIVE
MEMBERS_PER_PAGE = 50


def can_manage(user, obj) -> bool:
    return user.has_perm("federation.manage_network", obj)


# --- Index ----------------------------------------------------------------------


def pending_count():
    return Count("memberships", filter=Q(memberships__status=PENDING), distinct=True)


class IndexView(ManageView, TemplateView):
    template_name = "federation/manage/index.html"

    def has_permission(self):
        user = self.request.user
        # Commissioners too: theirs shows only the outcomes they may read (the outcomes' panel).
        return scoping.can_manage(user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_federation = scoping.is_federation_coordinator(user)
        networks = (
            Network.objects.all()
            if is_federation
            else Network.objects.filter(pk__in=scoping.coordinated_network_ids(user))
        )
        settlements = (
            Settlement.objects.filter(pk__in=scoping.hosted_settlement_ids(user))
            .select_related("network")
            .annotate(pending_count=pending_count())
            .order_by("network__name", "name")
        )
        return super().get_context_data(
            networks=list(networks.annotate(pending_count=pending_count()).order_by("name")),
            settlements=list(settlements),
            can_add_network=user.has_perm("federation.add_network"),
            can_view_audit=user.has_perm("core.view_auditentry"),
            can_manage_commissioners=user.has_perm("federation.manage_commissioners"),
            commissioner_accesses=list(
                CommissionerAccess.objects.current().filter(user=user).select_related("network").order_by("pk")
            ),
            panels=render_panels("manage", self.request, user),
            **kwargs,
        )


# --- Networks -------------------------------------------------------------------


def federation_for(user):
    """The federation a new network joins: the one the user coordinates."""
    federation = user.coordinated_federations.order_by("pk").first()
    if federation is None and user.is_superuser:
        federation = Federation.objects.order_by("pk").first()
    return federation


class NetworkCreateView(ManageView, ServiceFormMixin, FormView):
    permission_required = "federation.add_network"
    form_class = NetworkForm
    template_name = "federation/manage/network_form.html"

    def perform(self, form):
        federation = federation_for(self.request.user)
        if federation is None:
            raise ValidationError("There is no federation to add the network to.")
        return services.create_network(actor=self.request.user, federation=federation, data=form.cleaned_data)

    def get_success_message(self, form):
        return f"{self.result.name} has been set up."

    def get_success_url(self):
        return reverse("federation:manage:network_dashboard", kwargs={"slug": self.result.slug})


class NetworkDashboardView(NetworkObjectMixin, ManageView, TemplateView):
    permission_required = "federation.manage_network"
    template_name = "federation/manage/network_dashboard.html"

    def get_context_data(self, **kwargs):
        network = self.network
        counts = Membership.objects.filter(network=network).aggregate(
            active=Count("pk", filter=Q(status=ACTIVE)),
            pending=Count("pk", filter=Q(status=PENDING)),
            hosts=Count("pk", filter=Q(status=ACTIVE, role=Membership.Role.SETTLEMENT_HOST)),
            professionals=Count("pk", filter=Q(status=ACTIVE, role=Membership.Role.PROFESSIONAL)),
        )
        settlements = list(
            Settlement.objects.filter(network=network)
            .annotate(
                member_count=Count("memberships", filter=Q(memberships__status=ACTIVE), distinct=True),
                pending_count=pending_count(),
            )
            .order_by("name")
        )
        organisations = list(Organisation.objects.filter(networks=network).order_by("name"))
        partnerships = list(
            Partnership.objects.filter(Q(lead_network=network) | Q(networks=network))
            .select_related("lead_network")
            .distinct()
            .order_by("name")
        )
        for partnership in partnerships:
            partnership.can_edit = self.request.user.has_perm("federation.change_partnership", partnership)
        return super().get_context_data(
            counts=counts,
            settlements=settlements,
            organisations=organisations,
            partnerships=partnerships,
            can_view_audit=self.request.user.has_perm("core.view_auditentry"),
            panels=render_panels("network_dashboard", self.request, network),
            **kwargs,
        )


class NetworkEditView(ObjectEditView):
    queryset = Network.objects.select_related("federation")
    permission_required = "federation.change_network"
    form_class = NetworkForm
    template_name = "federation/manage/network_form.html"
    service = services.update_network

    def get_success_url(self):
        return reverse("federation:manage:network_dashboard", kwargs={"slug": self.object.slug})


# --- Member lists ---------------------------------------------------------------


def membership_rows(queryset):
    """Pending requests first, then the newest; everything a row shows in one query."""
    return (
        queryset.select_related("user", "settlement", "organisation", "network")
        .annotate(
            pending_first=Case(When(status=PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("pending_first", "-joined_at", "-pk")
    )


class BaseMemberListView(ManageView, ListView):
    template_name = "federation/manage/member_list.html"
    paginate_by = MEMBERS_PER_PAGE
    context_object_name = "memberships"
    filter_kwargs: dict

    def get_queryset(self):
        visible = selectors.memberships_visible_to(self.request.user, self.base_queryset())
        self.filterset = MembershipFilter(
            self.request.GET or None, queryset=membership_rows(visible), **self.get_filter_kwargs()
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context["memberships"]
        # One query, for this page's people only: email only with contact consent.
        consented = consented_user_ids(ConsentPurpose.CONTACT, {m.user_id for m in rows})
        for membership in rows:
            membership.show_email = membership.user_id in consented
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            filter_query=query.urlencode(),
            pending_total=self.pending_total(),
        )
        return context


class MemberListView(NetworkObjectMixin, BaseMemberListView):
    permission_required = "federation.manage_network"

    def base_queryset(self):
        return Membership.objects.filter(network=self.network)

    def get_filter_kwargs(self):
        return {"network": self.network}

    def pending_total(self):
        return Membership.objects.filter(network=self.network, status=PENDING).count()

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_change_roles=True, list_url=self.request.path, **kwargs)


class SettlementMemberListView(BaseMemberListView):
    # Who may change a settlement may see its people: its host and its network's coordinators.
    permission_required = "federation.change_settlement"

    @cached_property
    def settlement(self):
        return get_object_or_404(Settlement.objects.select_related("network"), slug=self.kwargs["slug"])

    def get_permission_object(self):
        return self.settlement

    def base_queryset(self):
        return Membership.objects.filter(settlement=self.settlement)

    def get_filter_kwargs(self):
        return {"settlement": self.settlement}

    def pending_total(self):
        return Membership.objects.filter(settlement=self.settlement, status=PENDING).count()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            settlement=self.settlement,
            network=self.settlement.network,
            can_change_roles=self.request.user.has_perm("federation.manage_network", self.settlement.network),
            list_url=self.request.path,
            **kwargs,
        )


# --- Memberships ----------------------------------------------------------------


class MembershipObjectMixin:
    """A membership the user may not see is 404, never 403."""

    @cached_property
    def membership(self):
        visible = selectors.memberships_visible_to(
            self.request.user, Membership.objects.select_related("user", "network", "settlement", "organisation")
        )
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.membership

    def get_context_data(self, **kwargs):
        membership = self.membership
        return super().get_context_data(
            membership=membership,
            network=membership.network,
            person_email=membership.user.email if has_consent(membership.user, ConsentPurpose.CONTACT) else "",
            back_url=self.get_success_url(),
            **kwargs,
        )

    def get_success_url(self):
        membership = self.membership
        user = self.request.user
        if can_manage(user, membership.network):
            return reverse("federation:manage:member_list", kwargs={"slug": membership.network.slug})
        if membership.settlement_id and user.has_perm("federation.change_settlement", membership.settlement):
            return reverse("federation:manage:settlement_member_list", kwargs={"slug": membership.settlement.slug})
        return reverse("federation:manage:index")


class MembershipDecideView(MembershipObjectMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "federation.decide_membership"
    form_class = MembershipDecisionForm
    template_name = "federation/manage/membership_decide.html"

    def perform(self, form):
        return services.decide_membership(
            actor=self.request.user,
            membership=self.membership,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, form):
        name = self.membership.user.display_name
        if form.approve:
            return sentence(f"{name} is now a member of {self.membership.network.name}")
        return sentence(f"You declined {name}'s request to join {self.membership.network.name}")


class MembershipEditView(MembershipObjectMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "federation.change_membership_role"
    form_class = MembershipForm
    template_name = "federation/manage/membership_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": editable_copy(self.membership)}

    def perform(self, form):
        return services.change_membership(actor=self.request.user, membership=self.membership, data=form.cleaned_data)

    def get_success_message(self, form):
        if not self.result:
            return "Nothing was changed."
        return f"{self.membership.user.display_name}'s membership has been updated."


# --- Settlements ----------------------------------------------------------------


class SettlementCreateView(NetworkObjectMixin, ObjectCreateView):
    permission_required = "federation.add_settlement"
    form_class = SettlementForm
    template_name = "federation/manage/settlement_form.html"
    service = services.create_settlement

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Settlement(network=self.network)}

    def service_arguments(self, form):
        return {"network": self.network, "data": form.cleaned_data}

    def get_success_message(self, form):
        return sentence(f"{self.result.name} has been added to {self.network.name}")

    def get_success_url(self):
        return reverse("federation:manage:network_dashboard", kwargs={"slug": self.network.slug})


class SettlementEditView(ObjectEditView):
    queryset = Settlement.objects.select_related("network")
    permission_required = "federation.change_settlement"
    form_class = SettlementForm
    template_name = "federation/manage/settlement_form.html"
    service = services.update_settlement

    def get_context_data(self, **kwargs):
        network = self.object.network
        return super().get_context_data(
            network=network, can_manage_network=can_manage(self.request.user, network), **kwargs
        )

    def get_success_url(self):
        if can_manage(self.request.user, self.object.network):
            return reverse("federation:manage:network_dashboard", kwargs={"slug": self.object.network.slug})
        return reverse("federation:manage:index")


# --- Organisations --------------------------------------------------------------


class OrganisationCreateView(NetworkObjectMixin, ObjectCreateView):
    permission_required = "federation.add_organisation"
    form_class = OrganisationForm
    template_name = "federation/manage/organisation_form.html"
    service = services.create_organisation

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"networks": [self.network]}

    def service_arguments(self, form):
        return {"data": dict(form.cleaned_data)}

    def get_success_url(self):
        return reverse("federation:manage:network_dashboard", kwargs={"slug": self.network.slug})


class OrganisationEditView(ObjectEditView):
    queryset = Organisation.objects.all()
    permission_required = "federation.change_organisation"
    form_class = OrganisationForm
    template_name = "federation/manage/organisation_form.html"
    service = services.update_organisation

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)

    def service_arguments(self, form):
        return {"data": dict(form.cleaned_data)}

    def get_success_url(self):
        for network in self.object.networks.order_by("name"):
            if can_manage(self.request.user, network):
                return reverse("federation:manage:network_dashboard", kwargs={"slug": network.slug})
        return reverse("federation:manage:organisation_edit", kwargs={"slug": self.object.slug})


# --- Partnerships ---------------------------------------------------------------


class PartnershipCreateView(NetworkObjectMixin, ObjectCreateView):
    permission_required = "federation.add_partnership"
    form_class = PartnershipForm
    template_name = "federation/manage/partnership_form.html"
    service = services.create_partnership

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"lead_network": self.network, "networks": [self.network]}

    def service_arguments(self, form):
        return {"data": dict(form.cleaned_data)}

    def get_success_url(self):
        return reverse("federation:manage:network_dashboard", kwargs={"slug": self.result.lead_network.slug})


class PartnershipEditView(ObjectEditView):
    queryset = Partnership.objects.select_related("lead_network")
    permission_required = "federation.change_partnership"
    form_class = PartnershipForm
    template_name = "federation/manage/partnership_form.html"
    service = services.update_partnership

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(network=self.object.lead_network, **kwargs)

    def service_arguments(self, form):
        return {"data": dict(form.cleaned_data)}

    def get_success_url(self):
        return reverse("federation:manage:network_dashboard", kwargs={"slug": self.object.lead_network.slug})


# --- Commissioners --------------------------------------------------------------


class CommissionerListView(ManageView, TemplateView):
    """The federation coordinator's list of commissioners' access, in force and ended."""

    permission_required = "federation.manage_commissioners"
    template_name = "federation/manage/commissioner_list.html"

    def get_context_data(self, **kwargs):
        accesses = list(CommissionerAccess.objects.select_related("user", "network").order_by("-granted_at", "-pk"))
        today = timezone.localdate()
        current = [a for a in accesses if a.is_current(today)]
        ended = [a for a in accesses if not a.is_current(today)]
        return super().get_context_data(current=current, ended=ended, **kwargs)


class CommissionerGrantView(ManageView, ServiceFormMixin, FormView):
    permission_required = "federation.manage_commissioners"
    form_class = CommissionerAccessForm
    template_name = "federation/manage/commissioner_form.html"

    def perform(self, form):
        return services.grant_commissioner_access(actor=self.request.user, **form.service_arguments())

    def get_success_message(self, form):
        return sentence(
            f"{self.result.user.display_name} can now read the outcomes of {self.result.scope_name_in_text}"
        )

    def get_success_url(self):
        return reverse("federation:manage:commissioner_list")


class CommissionerRevokeView(ConfirmActionView):
    permission_required = "federation.manage_commissioners"
    template_name = "federation/manage/commissioner_revoke.html"

    @cached_property
    def access(self):
        return get_object_or_404(CommissionerAccess.objects.select_related("user", "network"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(access=self.access, **kwargs)

    def perform(self):
        services.revoke_commissioner_access(actor=self.request.user, access=self.access)

    def get_success_message(self):
        return sentence(
            f"{self.access.user.display_name} can no longer read the outcomes of {self.access.scope_name_in_text}"
        )

    def get_success_url(self):
        return reverse("federation:manage:commissioner_list")

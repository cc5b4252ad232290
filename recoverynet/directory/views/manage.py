"""The coordinators' pages for the directory (/manage/directory/).

Thin views on core.manage_pages: fetch the object, ask
the rule in rules.py, hand the form's cleaned data to a service in
recoverynet.directory.services. Meetings, locations, services and networks
are public objects, so the wrong coordinator gets 403; change requests are
private to their network, so another network's are 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from recoverynet.core.manage_pages import (
    ConfirmActionView,
    ManageView,
    ObjectCreateView,
    ObjectEditView,
    ServiceFormMixin,
    add_service_errors,
    editable_copy,
    saved_message,
)
from recoverynet.core.text import sentence
from recoverynet.federation.mixins import NetworkObjectMixin

from .. import services
from ..filters import ChangeRequestFilter, MeetingManageFilter
from ..forms import (
    ChangeApplyForm,
    ChangeDeclineForm,
    FellowshipForm,
    LocationForm,
    MeetingForm,
    ScheduleForm,
    ServiceContactForm,
    ServiceForm,
    ServiceLocationForm,
)
from ..models import ChangeRequest, Fellowship, Location, Meeting, MeetingDay, Schedule, Service
from ..selectors import change_requests_visible_to, may_review_any
from ..services.changes import FIELD_LABELS, current_value, is_direct

PER_PAGE = 50


class FilteredListMixin:
    """A django-filter FilterSet on a paginated ListView; its query string kept for the page links."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, filter_query=query.urlencode())
        return context


# --- Meetings -------------------------------------------------------------------


class MeetingListView(NetworkObjectMixin, FilteredListMixin, ManageView, ListView):
    permission_required = "directory.change_meeting"
    template_name = "directory/manage/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = PER_PAGE

    def get_queryset(self):
        queryset = (
            Meeting.objects.filter(network=self.network)
            .select_related("fellowship", "location")
            .prefetch_related(Prefetch("days", queryset=MeetingDay.objects.order_by("day")))
            .annotate(open_changes=Count("change_requests", filter=Q(change_requests__status="open"), distinct=True))
            .order_by("name", "pk")
        )
        self.filterset = MeetingManageFilter(self.request.GET or None, queryset=queryset)
        return self.filterset.qs


class MeetingFormMixin:
    form_class = MeetingForm
    template_name = "directory/manage/meeting_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "network": self.network}

    def get_success_url(self):
        return reverse("directory:manage:meeting_list", kwargs={"slug": self.network.slug})


class MeetingCreateView(NetworkObjectMixin, MeetingFormMixin, ObjectCreateView):
    permission_required = "directory.add_meeting"
    service = services.create_meeting

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Meeting(network=self.network)}

    def service_arguments(self, form):
        data, days, types = form.service_arguments()
        return {"network": self.network, "data": data, "days": days, "types": types}


class MeetingEditView(MeetingFormMixin, ObjectEditView):
    queryset = Meeting.objects.select_related("network", "location")
    permission_required = "directory.change_meeting"
    service = services.update_meeting

    @property
    def network(self):
        return self.object.network

    def get_context_data(self, **kwargs):
        open_changes = list(self.object.change_requests.filter(status=ChangeRequest.Status.OPEN).order_by("pk"))
        return super().get_context_data(network=self.network, open_changes=open_changes, **kwargs)

    def service_arguments(self, form):
        data, days, types = form.service_arguments()
        return {"data": data, "days": days, "types": types}

    def get_success_url(self):
        back = self.request.GET.get("change")
        if back and back.isdigit():
            return reverse("directory:manage:change_review", kwargs={"pk": int(back)})
        return super().get_success_url()


# --- Locations ------------------------------------------------------------------


class LocationListView(NetworkObjectMixin, ManageView, ListView):
    permission_required = "directory.change_location"
    template_name = "directory/manage/location_list.html"
    context_object_name = "locations"
    paginate_by = PER_PAGE

    def get_queryset(self):
        return (
            Location.objects.filter(network=self.network)
            .select_related("settlement")
            .annotate(meeting_count=Count("meetings", distinct=True))
            .order_by("town", "name", "pk")
        )


class LocationFormMixin:
    form_class = LocationForm
    template_name = "directory/manage/location_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "network": self.network}

    def get_success_url(self):
        return reverse("directory:manage:location_list", kwargs={"slug": self.network.slug})


class LocationCreateView(NetworkObjectMixin, LocationFormMixin, ObjectCreateView):
    permission_required = "directory.add_location"
    service = services.create_location

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Location(network=self.network)}

    def service_arguments(self, form):
        return {"network": self.network, "data": form.cleaned_data}


class LocationEditView(LocationFormMixin, ObjectEditView):
    queryset = Location.objects.select_related("network")
    lookup_field = "pk"
    permission_required = "directory.change_location"
    service = services.update_location

    @property
    def network(self):
        return self.object.network

    def get_context_data(self, **kwargs):
        return super().get_context_data(network=self.network, **kwargs)


# --- Services -------------------------------------------------------------------


class ServiceListView(NetworkObjectMixin, ManageView, ListView):
    permission_required = "directory.add_service"
    template_name = "directory/manage/service_list.html"
    context_object_name = "services"
    paginate_by = PER_PAGE

    def get_queryset(self):
        return (
            Service.objects.filter(network=self.network)
            .select_related("organisation")
            .annotate(location_count=Count("service_at_locations", distinct=True))
            .order_by("name", "pk")
        )


class ServiceCreateView(NetworkObjectMixin, ManageView, ServiceFormMixin, FormView):
    permission_required = "directory.add_service"
    form_class = ServiceForm
    template_name = "directory/manage/service_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "network": self.network, "instance": Service(network=self.network)}

    def perform(self, form):
        data, terms = form.service_arguments()
        return services.create_service(actor=self.request.user, network=self.network, data=data, taxonomy_terms=terms)

    def get_success_message(self, form):
        return f"{self.result.name} has been added."

    def get_success_url(self):
        return reverse("directory:manage:service_edit", kwargs={"slug": self.result.slug})


class ServiceObjectMixin:
    permission_required = "directory.change_service"

    @cached_property
    def service(self):
        return get_object_or_404(Service.objects.select_related("network", "organisation"), slug=self.kwargs["slug"])

    @property
    def network(self):
        return self.service.network

    def get_permission_object(self):
        return self.service

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            service=self.service,
            network=self.network,
            can_list=self.request.user.has_perm("directory.add_service", self.network),
            **kwargs,
        )

    def get_success_url(self):
        return reverse("directory:manage:service_edit", kwargs={"slug": self.service.slug})


class ServiceEditView(ServiceObjectMixin, ManageView, ServiceFormMixin, FormView):
    form_class = ServiceForm
    template_name = "directory/manage/service_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "network": self.network, "instance": editable_copy(self.service)}

    def get_context_data(self, **kwargs):
        service = self.service
        return super().get_context_data(
            service_locations=list(service.service_at_locations.select_related("location").order_by("pk")),
            schedules=list(service.schedules.select_related("service_at_location__location").order_by("pk")),
            contacts=list(service.contacts.prefetch_related("phones").order_by("pk")),
            phones=list(service.phones.filter(contact__isnull=True).order_by("pk")),
            **kwargs,
        )

    def perform(self, form):
        data, terms = form.service_arguments()
        data.pop("organisation", None)  # disabled on edit
        return services.update_service(
            actor=self.request.user, service=self.service, data={**data, "taxonomy_terms": terms}
        )

    def get_success_message(self, form):
        return saved_message(self.result)


class ServiceLocationAddView(ServiceObjectMixin, ManageView, ServiceFormMixin, FormView):
    form_class = ServiceLocationForm
    template_name = "directory/manage/service_part_form.html"
    extra_context = {"heading": "Add a location", "submit_label": "Add location"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "service": self.service}

    def perform(self, form):
        return services.add_service_location(
            actor=self.request.user, service=self.service, location=form.cleaned_data["location"]
        )

    def get_success_message(self, form):
        return sentence(f"{self.service.name} is now listed at {form.cleaned_data['location']}")


class ServiceScheduleAddView(ServiceObjectMixin, ManageView, ServiceFormMixin, FormView):
    form_class = ScheduleForm
    template_name = "directory/manage/service_part_form.html"
    extra_context = {"heading": "Add opening times", "submit_label": "Add opening times"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Schedule(service=self.service)}

    def perform(self, form):
        return services.create_schedule(actor=self.request.user, service=self.service, data=form.cleaned_data)

    def get_success_message(self, form):
        return "The opening times have been added."


CONTACT_INTRO = "A public contact for the service: a role or a first name, never a private person's own details."


class ServiceContactAddView(ServiceObjectMixin, ManageView, ServiceFormMixin, FormView):
    form_class = ServiceContactForm
    template_name = "directory/manage/service_part_form.html"
    extra_context = {"heading": "Add a contact", "submit_label": "Add contact", "intro": CONTACT_INTRO}

    def perform(self, form):
        data, phone = form.service_arguments()
        return services.create_service_contact(actor=self.request.user, service=self.service, data=data, phone=phone)

    def get_success_message(self, form):
        return "The contact has been added."


class ServicePartMixin(ServiceObjectMixin):
    """One of the service's parts, named by pk in the URL. The permission is asked
    of the service first (another network's: 403, like the service's own page);
    the part is looked up among this service's parts only, so another service's is 404."""

    part_relation = ""  # the Service's related name: "schedules", "contacts", "service_at_locations"

    @cached_property
    def part(self):
        return get_object_or_404(getattr(self.service, self.part_relation).all(), pk=self.kwargs["pk"])


class ServiceScheduleEditView(ServicePartMixin, ManageView, ServiceFormMixin, FormView):
    part_relation = "schedules"
    form_class = ScheduleForm
    template_name = "directory/manage/service_part_form.html"
    extra_context = {"heading": "Change opening times", "submit_label": "Save changes"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": editable_copy(self.part)}

    def perform(self, form):
        return services.update_schedule(actor=self.request.user, schedule=self.part, data=form.cleaned_data)

    def get_success_message(self, form):
        return saved_message(self.result)


class ServiceContactEditView(ServicePartMixin, ManageView, ServiceFormMixin, FormView):
    part_relation = "contacts"
    form_class = ServiceContactForm
    template_name = "directory/manage/service_part_form.html"
    extra_context = {"heading": "Change a contact", "submit_label": "Save changes"}

    @cached_property
    def phones(self):
        return list(self.part.phones.order_by("pk"))

    def get_initial(self):
        return ServiceContactForm.initial_for(self.part, self.phones[0] if self.phones else None)

    def get_context_data(self, **kwargs):
        intro = CONTACT_INTRO
        if len(self.phones) > 1:
            # The form edits the first phone number; imported extra numbers are kept as they are.
            others = ", ".join(phone.number for phone in self.phones[1:])
            intro += f" Its other phone numbers ({others}) stay as they are."
        return super().get_context_data(intro=intro, **kwargs)

    def perform(self, form):
        data, phone = form.service_arguments()
        return services.update_service_contact(actor=self.request.user, contact=self.part, data=data, phone=phone)

    def get_success_message(self, form):
        return saved_message(self.result)


class ServicePartRemoveView(ServicePartMixin, ConfirmActionView):
    """GET asks "Are you sure?"; POST removes the part and goes back to the service."""

    template_name = "directory/manage/service_part_remove.html"
    part_name = ""  # for the heading: "Are you sure you want to remove <part_name>?"

    def get_context_data(self, **kwargs):
        return super().get_context_data(part=self.part, part_name=self.part_name, **kwargs)


class ServiceLocationRemoveView(ServicePartRemoveView):
    part_relation = "service_at_locations"

    @property
    def part_name(self):
        return f"{self.part.location} from this service"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro="The location itself stays in the directory, with any meetings held there.",
            schedules=list(self.part.schedules.select_related("service_at_location__location").order_by("pk")),
            schedules_intro="These opening times are for this location only, so they will be removed too:",
            **kwargs,
        )

    def perform(self):
        services.remove_service_location(actor=self.request.user, service_at_location=self.part)

    def get_success_message(self):
        return sentence(f"{self.service.name} is no longer listed at {self.part.location}")


class ServiceScheduleRemoveView(ServicePartRemoveView):
    part_relation = "schedules"
    part_name = "these opening times"

    def get_context_data(self, **kwargs):
        return super().get_context_data(schedules=[self.part], **kwargs)

    def perform(self):
        services.delete_schedule(actor=self.request.user, schedule=self.part)

    def get_success_message(self):
        return "The opening times have been removed."


class ServiceContactRemoveView(ServicePartRemoveView):
    part_relation = "contacts"

    @property
    def part_name(self):
        return f"the contact {self.part}"

    def get_context_data(self, **kwargs):
        if self.part.phones.exists():
            kwargs.setdefault("intro", "Its phone numbers will be removed too.")
        return super().get_context_data(**kwargs)

    def perform(self):
        services.delete_service_contact(actor=self.request.user, contact=self.part)

    def get_success_message(self):
        return "The contact has been removed."


# --- Fellowships ----------------------------------------------------------------


class FellowshipListView(ManageView, ListView):
    permission_required = "directory.manage_fellowships"
    template_name = "directory/manage/fellowship_list.html"
    context_object_name = "fellowships"
    paginate_by = PER_PAGE

    def get_queryset(self):
        return Fellowship.objects.annotate(meeting_count=Count("meetings")).order_by("name", "pk")


class FellowshipFormMixin:
    permission_required = "directory.manage_fellowships"
    form_class = FellowshipForm
    template_name = "directory/manage/fellowship_form.html"

    def get_success_url(self):
        return reverse("directory:manage:fellowship_list")


class FellowshipCreateView(FellowshipFormMixin, ObjectCreateView):
    service = services.create_fellowship

    def get_success_message(self, form):
        return f"{self.result.name} has been added."


class FellowshipEditView(FellowshipFormMixin, ObjectEditView):
    queryset = Fellowship.objects.all()
    service = services.update_fellowship


# --- Change requests ------------------------------------------------------------


class ChangeListView(FilteredListMixin, ManageView, ListView):
    template_name = "directory/manage/change_list.html"
    context_object_name = "change_requests"
    paginate_by = PER_PAGE

    def has_permission(self):
        return may_review_any(self.request.user)

    def get_queryset(self):
        queryset = (
            change_requests_visible_to(self.request.user)
            .select_related("meeting", "meeting__network")
            .annotate(
                open_first=Case(When(status="open", then=Value(0)), default=Value(1), output_field=IntegerField())
            )
            .order_by("open_first", "-created_at", "-pk")
        )
        self.filterset = ChangeRequestFilter(self.request.GET or None, queryset=queryset)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for change in context["change_requests"]:
            change.field_label = FIELD_LABELS.get(change.field, change.field)
        context["open_total"] = change_requests_visible_to(self.request.user).filter(status="open").count()
        return context


class ChangeReviewView(ManageView, TemplateView):
    """One change request: the current value next to the proposed one; apply it or decline it."""

    permission_required = "directory.review_changerequest"
    template_name = "directory/manage/change_review.html"

    @cached_property
    def change_request(self):
        visible = change_requests_visible_to(
            self.request.user, ChangeRequest.objects.select_related("meeting", "meeting__network", "decided_by")
        )
        return get_object_or_404(visible, pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.change_request.meeting

    def get_context_data(self, **kwargs):
        change = self.change_request
        meeting = change.meeting
        kwargs.setdefault("apply_form", ChangeApplyForm(initial={"value": change.proposed_value}, prefix="apply"))
        kwargs.setdefault("decline_form", ChangeDeclineForm(prefix="decline"))
        return super().get_context_data(
            change=change,
            meeting=meeting,
            network=meeting.network,
            field_label=FIELD_LABELS.get(change.field, change.field),
            current=current_value(meeting, change.field),
            direct=is_direct(change.field),
            edit_url=reverse("directory:manage:meeting_edit", kwargs={"slug": meeting.slug}) + f"?change={change.pk}",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        change = self.change_request
        if change.status != ChangeRequest.Status.OPEN:
            messages.info(request, "This change request has already been decided.")
            return HttpResponseRedirect(request.path)
        if request.POST.get("action") == "decline":
            form = ChangeDeclineForm(request.POST, prefix="decline")
            if form.is_valid():
                try:
                    services.decline_change_request(
                        actor=request.user, change_request=change, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, "You declined the change.")
                    return HttpResponseRedirect(reverse("directory:manage:change_list"))
            return self.render_to_response(self.get_context_data(decline_form=form))
        if request.POST.get("action") == "apply":
            form = ChangeApplyForm(request.POST, prefix="apply")
            if form.is_valid():
                value = form.cleaned_data["value"] if is_direct(change.field) else None
                try:
                    services.apply_change_request(actor=request.user, change_request=change, value=value)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                except PermissionDenied:
                    raise
                else:
                    messages.success(request, f"The change to {change.meeting.name} has been applied.")
                    return HttpResponseRedirect(reverse("directory:manage:change_list"))
            return self.render_to_response(self.get_context_data(apply_form=form))
        return HttpResponseRedirect(request.path)

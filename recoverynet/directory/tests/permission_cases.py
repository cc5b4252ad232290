"""Who may use the directory's pages, feeds, Open Referral API and REST API."""

from recoverynet.directory.factories import FellowshipFactory, MeetingFactory, ServiceFactory
from recoverynet.directory.models import (
    ChangeRequest,
    FeedImport,
    FeedSource,
    Schedule,
    ServiceAtLocation,
    ServiceContact,
    Taxonomy,
    TaxonomyTerm,
)
from recoverynet.testing.permissions import (
    ALL,
    COORDINATOR_OF_NETWORK,
    COORDINATOR_SEES,
    COORDINATORS,
    FEDERATION_ONLY,
    LOGIN,
    Case,
    roles,
)

OBJECTS = {
    "meeting": lambda d: {"slug": d["meeting"].slug},
    "location": lambda d: {"pk": d["location"].pk},
    "service": lambda d: {"slug": d["service"].slug},
    "fellowship": lambda d: {"slug": d["fellowship"].slug},
    "change_request": lambda d: {"pk": d["change_request"].pk},
    "feed_source": lambda d: {"pk": d["feed_source"].pk},
    "feed_import": lambda d: {"pk": d["feed_import"].pk},
    "oruk_service": lambda d: {"id": str(d["service"].uuid)},
    "oruk_organisation": lambda d: {"id": str(d["service"].organisation.uuid)},
    "oruk_service_at_location": lambda d: {"id": str(d["service_at_location"].uuid)},
    "oruk_taxonomy": lambda d: {"id": str(d["taxonomy_term"].taxonomy.uuid)},
    "oruk_taxonomy_term": lambda d: {"id": str(d["taxonomy_term"].uuid)},
    "api_location": lambda d: {"uuid": str(d["location"].uuid)},
    "service_at_location": lambda d: {"slug": d["service"].slug, "pk": d["service_at_location"].pk},
    "service_schedule": lambda d: {"slug": d["service"].slug, "pk": d["service_schedule"].pk},
    "service_contact": lambda d: {"slug": d["service"].slug, "pk": d["service_contact"].pk},
}
PROFESSIONAL_OF_SERVICE = roles(
    403,
    anonymous=LOGIN,
    professional=(200, 403),
    network_coordinator=(200, 403),
    federation_coordinator=200,
    admin=200,
)

CASES = {
    "directory:finder": Case(ALL),
    "directory:meeting_detail": Case(ALL, obj="meeting"),
    "directory:saved_meetings": Case(ALL),
    "directory:meeting_ics": Case(ALL, obj="meeting"),
    "directory:service_detail": Case(ALL, obj="service"),
    "directory:fellowship_detail": Case(ALL, obj="fellowship"),
    "directory:network_schedule": Case(ALL, obj="network"),
    "directory:network_schedule_pdf": Case(ALL, obj="network"),
    "directory:data_sources": Case(ALL),
    "directory:feeds:meeting_guide": Case(ALL),
    "directory:feeds:network_meeting_guide": Case(ALL, obj="network"),
    "directory:openreferral:api_details": Case(ALL),
    "directory:openreferral:service_list": Case(ALL),
    "directory:openreferral:service_detail": Case(ALL, obj="oruk_service"),
    "directory:openreferral:organization_list": Case(ALL),
    "directory:openreferral:organization_detail": Case(ALL, obj="oruk_organisation"),
    "directory:openreferral:service_at_location_list": Case(ALL),
    "directory:openreferral:service_at_location_detail": Case(ALL, obj="oruk_service_at_location"),
    "directory:openreferral:taxonomy_list": Case(ALL),
    "directory:openreferral:taxonomy_detail": Case(ALL, obj="oruk_taxonomy"),
    "directory:openreferral:taxonomy_term_list": Case(ALL),
    "directory:openreferral:taxonomy_term_detail": Case(ALL, obj="oruk_taxonomy_term"),
    "directory:changes:report": Case(ALL, obj="meeting"),
    "directory:changes:report_done": Case(ALL, obj="meeting"),
    "directory:imports:source_list": Case(COORDINATORS),
    "directory:imports:source_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:imports:source_edit": Case(COORDINATOR_SEES, obj="feed_source"),
    "directory:imports:import": Case(COORDINATOR_SEES, obj="feed_source"),
    "directory:imports:import_detail": Case(COORDINATOR_SEES, obj="feed_import"),
    "directory:imports:import_apply": Case(
        roles(404, anonymous=LOGIN, network_coordinator=(302, 404), federation_coordinator=302, admin=302),
        obj="feed_import",
        method="post",
    ),
    "directory:imports:import_dismiss": Case(
        roles(404, anonymous=LOGIN, network_coordinator=(302, 404), federation_coordinator=302, admin=302),
        obj="feed_import",
        method="post",
    ),
    "directory:manage:meeting_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:meeting_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:meeting_edit": Case(COORDINATOR_OF_NETWORK, obj="meeting"),
    "directory:manage:location_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:location_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:location_edit": Case(COORDINATOR_OF_NETWORK, obj="location"),
    "directory:manage:service_list": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:service_create": Case(COORDINATOR_OF_NETWORK, obj="network"),
    "directory:manage:service_edit": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_location_add": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_schedule_add": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_contact_add": Case(PROFESSIONAL_OF_SERVICE, obj="service"),
    "directory:manage:service_location_remove": Case(PROFESSIONAL_OF_SERVICE, obj="service_at_location"),
    "directory:manage:service_schedule_edit": Case(PROFESSIONAL_OF_SERVICE, obj="service_schedule"),
    "directory:manage:service_schedule_remove": Case(PROFESSIONAL_OF_SERVICE, obj="service_schedule"),
    "directory:manage:service_contact_edit": Case(PROFESSIONAL_OF_SERVICE, obj="service_contact"),
    "directory:manage:service_contact_remove": Case(PROFESSIONAL_OF_SERVICE, obj="service_contact"),
    "directory:manage:fellowship_list": Case(FEDERATION_ONLY),
    "directory:manage:fellowship_create": Case(FEDERATION_ONLY),
    "directory:manage:fellowship_edit": Case(FEDERATION_ONLY, obj="fellowship"),
    "directory:manage:change_list": Case(COORDINATORS),
    "directory:manage:change_review": Case(COORDINATOR_SEES, obj="change_request"),
    "directory:exports:meetings_csv": Case(COORDINATOR_OF_NETWORK, network_query=True, post=COORDINATOR_OF_NETWORK),
    "directory:exports:services_csv": Case(COORDINATOR_OF_NETWORK, network_query=True, post=COORDINATOR_OF_NETWORK),
}

API_CASES = {
    "meeting-list": Case(ALL),
    "meeting-detail": Case(ALL, obj="meeting"),
    "fellowship-list": Case(ALL),
    "fellowship-detail": Case(ALL, obj="fellowship"),
    "service-list": Case(ALL),
    "service-detail": Case(ALL, obj="service"),
    "location-list": Case(ALL),
    "location-detail": Case(ALL, obj="api_location"),
}


def build(world) -> dict:
    """URL keys of directory objects in each scope: {"own": {...}, "other": {...}}."""
    fellowship = FellowshipFactory(name="Narcotics Anonymous", slug="na")
    term = TaxonomyTerm.objects.create(
        taxonomy=Taxonomy.objects.create(name="Support", description="Kinds of support"),
        code="peer",
        name="Peer support",
        description="Support from people with lived experience",
    )
    objects = {}
    for scope, network, organisation in (
        ("own", world.own_network, world.own_organisation),
        ("other", world.other_network, world.other_organisation),
    ):
        meeting = MeetingFactory(network=network, fellowship=fellowship, slug=f"{scope}-meeting")
        service = ServiceFactory(network=network, organisation=organisation, slug=f"{scope}-service")
        service.taxonomy_terms.add(term)
        source = FeedSource.objects.create(network=network, name=f"{scope} feed", default_fellowship=fellowship)
        made = {
            "meeting": meeting,
            "location": meeting.location,
            "service": service,
            "service_at_location": ServiceAtLocation.objects.create(service=service, location=meeting.location),
            "service_schedule": Schedule.objects.create(service=service, byday="MO"),
            "service_contact": ServiceContact.objects.create(service=service, title="Duty worker"),
            "fellowship": fellowship,
            "taxonomy_term": term,
            "change_request": ChangeRequest.objects.create(meeting=meeting, field="notes", reason="Moved rooms"),
            "feed_source": source,
            "feed_import": FeedImport.objects.create(
                source=source, status=FeedImport.Status.PREVIEWED, report={}, payload="[]"
            ),
        }
        objects[scope] = {name: url_kwargs(made) for name, url_kwargs in OBJECTS.items()}
    return objects

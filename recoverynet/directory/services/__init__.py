"""Every state change in the directory goes through these functions.

Split by concern: meetings, locations, services and fellowships
(`listings`), Meeting Guide imports (`feeds`), and people's change
requests (`changes`)."""

from .changes import apply_change_request, decline_change_request, submit_change_request  # noqa: F401
from .exports import record_directory_export  # noqa: F401
from .feeds import apply_import, preview_import  # noqa: F401
from .listings import (  # noqa: F401
    create_fellowship,
    create_location,
    create_meeting,
    create_service,
    update_fellowship,
    update_location,
    update_meeting,
    update_service,
)
from .service_details import (  # noqa: F401
    add_service_location,
    create_schedule,
    create_service_contact,
    create_service_phone,
    delete_schedule,
    delete_service_contact,
    remove_service_location,
    update_schedule,
    update_service_contact,
)

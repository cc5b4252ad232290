"""Who runs this site and whom to contact, for the accessibility statement and privacy notice."""

from django.conf import settings


def contact_details():
    """Who to contact about privacy and accessibility: set per deployment
    (settings PRIVACY_CONTACT_EMAIL, ACCESSIBILITY_CONTACT_EMAIL, DATA_CONTROLLER,
    DATA_PROTECTION_OFFICER); empty values are explained on the pages."""
    return {
        "federation_name": settings.FEDERATION_NAME,
        "data_controller": settings.DATA_CONTROLLER or settings.FEDERATION_NAME,
        "privacy_contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "accessibility_contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL or settings.PRIVACY_CONTACT_EMAIL,
        "data_protection_officer": settings.DATA_PROTECTION_OFFICER,
    }

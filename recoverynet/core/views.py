from django.conf import settings
from django.views.generic import TemplateView

from recoverynet.accounts.consent import CURRENT_WORDING


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


class AccessibilityStatementView(TemplateView):
    template_name = "core/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | contact_details()


class PrivacyNoticeView(TemplateView):
    template_name = "core/privacy.html"

    def get_context_data(self, **kwargs):
        purposes = [
            {"value": purpose.value, "label": purpose.label, "version": wording.version, "text": wording.text}
            for purpose, wording in CURRENT_WORDING.items()
        ]
        return super().get_context_data(**kwargs) | contact_details() | {"consent_purposes": purposes}

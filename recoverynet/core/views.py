from django.views.generic import TemplateView


class AccessibilityStatementView(TemplateView):
    template_name = "core/accessibility.html"


class PrivacyNoticeView(TemplateView):
    template_name = "core/privacy.html"

"""Nothing personal in logs or in error reports."""

import logging

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.log import AdminEmailHandler

from recoverynet.core.logging import PersonalDataSafeExceptionReporter
from recoverynet.testing import sign_in

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

SECRETS = ("robin@example.org", "Robin Pseudonym", "Roberta Legalname", "heroin", "07700 900982", PASSWORD)


def assert_nothing_personal(text: str):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked"
    assert "Robin" not in text


def test_failed_sign_in_logs_nothing_personal(caplog, person):
    caplog.set_level(logging.DEBUG)
    client = Client()
    for _ in range(7):  # enough to hit the per-account throttle too
        client.post(reverse("account_login"), {"login": "robin@example.org", "password": "wrong password"})
    client.post(reverse("account_login"), {"login": "robin@example.org", "password": PASSWORD})
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert_nothing_personal(logged)
    assert "robin" not in logged.lower()


@pytest.mark.urls("recoverynet.accounts.tests.urls_boom")
@override_settings(ADMINS=[("Ops", "ops@example.org")])
def test_exception_reports_hold_no_personal_data(caplog, person):
    # Django's default logging emails ADMINS every server error, with the report.
    mailers = [h for h in logging.getLogger("django").handlers if isinstance(h, AdminEmailHandler)]
    assert mailers
    assert all(h.reporter_class is PersonalDataSafeExceptionReporter for h in mailers)
    caplog.set_level(logging.DEBUG)
    client = Client(raise_request_exception=False)
    sign_in(client, person)
    response = client.post(
        "/boom/?email=robin@example.org&q=Robin+Pseudonym",
        {
            "email": "robin@example.org",
            "display_name": "Robin Pseudonym",
            "legal_name": "Roberta Legalname",
            "story": "I used heroin for ten years",
            "phone": "07700 900982",
            "password": PASSWORD,
        },
        HTTP_REFERER="http://testserver/me/?email=robin@example.org",
    )
    assert response.status_code == 500

    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    texts = [report.subject, report.body] + [content for content, _ in report.alternatives]
    assert "Something broke" in report.body  # the report is still useful...
    assert "boom" in report.body
    for text in texts:  # ...but has nothing personal in it
        assert_nothing_personal(text)
    assert_nothing_personal(caplog.text)

"""Every CSV export that writes an audit entry is a POST with a CSRF token
(issue 11, item 14): a link or an <img> on any page cannot add "exported"
entries. The GET of the same address shows a page with a Download button."""

import re

import pytest
from django.test import Client

from recoverynet.core.models import AuditEntry
from recoverynet.testing import sign_in

pytestmark = pytest.mark.django_db

# (address, role that may download it): every export the audit log records.
EXPORTS = [
    ("/manage/audit.csv?action=update", "network_coordinator"),
    ("/manage/audit.csv", "federation_coordinator"),
    ("/manage/directory/export/meetings.csv?network=cumbria", "network_coordinator"),
    ("/manage/directory/export/services.csv?network=cumbria", "network_coordinator"),
    ("/manage/directory/export/meetings.csv", "federation_coordinator"),
]


def exports_written():
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()


def csrf_client(world, role):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.users[role])
    return client


def form_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(("url", "role"), EXPORTS)
def test_a_get_shows_a_download_button_and_writes_nothing(world, url, role):
    response = csrf_client(world, role).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<form method="post"' in html and "Download CSV" in html
    assert exports_written() == 0


@pytest.mark.parametrize(("url", "role"), EXPORTS)
def test_a_post_without_the_csrf_token_is_refused(world, url, role):
    response = csrf_client(world, role).post(url)
    assert response.status_code == 403
    assert exports_written() == 0


@pytest.mark.parametrize(("url", "role"), EXPORTS)
def test_the_download_button_downloads_and_audits_once(world, url, role):
    client = csrf_client(world, role)
    token = form_token(client.get(url).content.decode())
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    b"".join(response.streaming_content)
    assert exports_written() == 1

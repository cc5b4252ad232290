"""/about/api/: the API's reference as an accessible page of the site, from the OpenAPI schema."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_api_operation_is_on_the_reference_page(client):
    from recoverynet.core.api_docs import api_operations

    response = client.get(reverse("core:api_reference"))
    assert response.status_code == 200
    html = response.content.decode()
    _, groups = api_operations()
    operations = [operation for _, ops in groups for operation in ops]
    assert len(operations) > 20
    for operation in operations:
        assert f'<code class="rn-wrap-anywhere">{operation["path"]}</code>' in html
    assert "/api/v1/networks/" in html
    # The developer tools stay one link away, and the open standards are named.
    for name in ("api-schema", "api-docs", "api-redoc", "directory:feeds:meeting_guide"):
        assert f'href="{reverse(name)}"' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]  # nothing on it needs JavaScript


def test_the_footer_links_the_accessible_reference(client):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert f'href="{reverse("core:api_reference")}"' in html

import logging

import pytest
from django.test import Client
from django.urls import path

from config.errors import bad_request, permission_denied


def boom(request):
    raise RuntimeError("database fell over")


urlpatterns = [path("boom/", boom)]
handler500 = "config.errors.server_error"


@pytest.mark.urls("tests.config.test_error_pages")
def test_500_page_shows_a_reference_that_is_in_the_log(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="porchlight.errors"):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    reference = html.split('class="error-reference">')[1].split("<")[0]
    assert len(reference) == 8
    logged = [r for r in caplog.records if r.name == "porchlight.errors"]
    assert any(reference in r.getMessage() and r.exc_info for r in logged)
    assert 'href="/help/"' in html
    # Self-contained: it must render even when static files are missing or broken.
    assert "/static/" not in html


def test_404_page_explains_and_links_to_help(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can" in html and "find that page" in html
    assert html.count('href="/help/"') >= 2


def test_403_page_shows_the_checks_reason(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied("You can only edit your own posts."))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can only edit your own posts." in html
    assert 'href="/help/"' in html


def test_400_page_is_plain_words(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    response = bad_request(request)
    assert response.status_code == 400
    assert "couldn" in response.content.decode()


def test_csrf_failure_page_says_what_to_do(db, member, thread):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "hello"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "That form had expired" in html
    assert "reload the page" in html
    assert 'href="/help/"' in html
    assert thread.posts.count() == 1

"""The API tokens settings page: creating a token (shown once, only its digest kept),
listing with last use, revoking (one's own only), scopes a member may grant, the limits
on how many, and who may use the page."""

import hashlib
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

from accounts.access_tokens import (
    CREATIONS_PER_HOUR,
    TOKENS_MAX,
    access_token_create,
    access_token_revoke,
)
from accounts.models import AccessToken
from moderation.services import block_create

pytestmark = pytest.mark.django_db

TOKENS_URL = "/settings/tokens/"
TOKEN_IN_PAGE = re.compile(r'value="(plt_[A-Za-z0-9_-]+)"')


def _form(client) -> dict:
    """The create form's one-time value, as a browser would send it back."""
    html = client.get(TOKENS_URL).content.decode()
    return {"once": re.search(r'name="once" value="([^"]+)"', html).group(1)}


def _create(client, *, name="Status page sync", scope="read"):
    return client.post(TOKENS_URL, {"name": name, "scope": scope, **_form(client)})


def _raw_from(response) -> str:
    return TOKEN_IN_PAGE.search(response.content.decode()).group(1)


def _api(client, raw, path="/api/v1/boards"):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_url_name_is_the_settings_address():
    assert reverse("accounts:tokens") == TOKENS_URL
    assert reverse("accounts:token-revoke", kwargs={"token_id": 7}) == "/settings/tokens/7/revoke/"


def test_visitor_is_sent_to_sign_in(client):
    response = client.get(TOKENS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/settings/tokens/")
    response = client.post("/settings/tokens/1/revoke/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_created_token_is_shown_once_and_only_its_digest_is_stored(client, member):
    client.force_login(member)
    response = _create(client)
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    raw = _raw_from(response)
    assert "Copy it now: it won't be shown again." in html
    assert "data-copy-token" in html
    token = AccessToken.objects.get(user=member)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix) and token.prefix != raw

    # Nowhere in the database: no text column of any table, no session.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.attname}__contains": raw}
                assert not model._default_manager.filter(**lookup).exists(), (
                    f"{model.__name__}.{field.name} holds the token"
                )
    for session in Session.objects.all():
        assert raw not in str(session.get_decoded())
    assert raw not in str(response.cookies)

    again = client.get(TOKENS_URL)
    assert again.status_code == 200
    assert raw not in again.content.decode()
    assert f"{token.prefix}…" in again.content.decode()
    assert "Status page sync" in again.content.decode()


def test_sending_the_same_form_twice_creates_one_token(client, member):
    client.force_login(member)
    data = {"name": "Laptop", "scope": "read", **_form(client)}
    first = client.post(TOKENS_URL, data)
    assert first.status_code == 201
    second = client.post(TOKENS_URL, data)
    assert second.status_code == 400
    html = second.content.decode()
    assert "This form was already sent" in html
    assert _raw_from(first) not in html
    assert 'value="Laptop"' in html
    assert AccessToken.objects.filter(user=member).count() == 1
    # The form shown again carries a fresh one-time value: a deliberate second token works.
    fresh = re.search(r'name="once" value="([^"]+)"', html).group(1)
    assert fresh != data["once"]
    assert client.post(TOKENS_URL, {**data, "once": fresh}).status_code == 201
    assert AccessToken.objects.filter(user=member).count() == 2


def test_listing_shows_last_used_after_an_api_call(client, member):
    created = access_token_create(user=member, name="CI", scope="read")
    client.force_login(member)
    html = client.get(TOKENS_URL).content.decode()
    item = re.search(r"data-last-used>(.*?)</div>", html, re.S).group(1)
    assert "never" in item

    assert _api(client.__class__(), created.raw).status_code == 200
    html = client.get(TOKENS_URL).content.decode()
    item = re.search(r"data-last-used>(.*?)</div>", html, re.S).group(1)
    assert "never" not in item
    assert "<time" in item and "just now" in item


def test_revoking_asks_first_then_the_api_refuses_the_token(client, member):
    created = access_token_create(user=member, name="Old script", scope="write")
    client.force_login(member)
    url = reverse("accounts:token-revoke", kwargs={"token_id": created.token.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Revoke the token “Old script”?" in page.content.decode()
    assert AccessToken.objects.get().revoked_at is None

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == TOKENS_URL
    html = response.content.decode()
    assert "The token “Old script” is revoked" in html
    assert "token-list__item--revoked" in html
    assert AccessToken.objects.get().revoked_at is not None

    refused = _api(client.__class__(), created.raw)
    assert refused.status_code == 401
    assert refused.json()["error"]["message"].startswith("This token isn't valid")

    again = client.post(url, follow=True)
    assert "already revoked" in again.content.decode()


def test_another_member_cannot_see_or_revoke_my_token(client, member, other_member):
    mine = access_token_create(user=member, name="Mine", scope="read").token
    client.force_login(other_member)
    url = reverse("accounts:token-revoke", kwargs={"token_id": mine.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    mine.refresh_from_db()
    assert mine.revoked_at is None
    assert "Mine" not in client.get(TOKENS_URL).content.decode()


def test_plain_member_is_not_offered_moderate_and_is_refused_it(client, member):
    client.force_login(member)
    page = client.get(TOKENS_URL).content.decode()
    assert 'value="read"' in page and 'value="write"' in page
    assert 'value="moderate"' not in page

    response = _create(client, name="Queue bot", scope="moderate")
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(r'<ul class="field__errors" id="id_scope_error">(.*?)</ul>', html, re.S)
    assert "Only moderators can create tokens that moderate." in errors.group(1)
    assert 'value="Queue bot"' in html
    assert not AccessToken.objects.exists()


def test_moderator_may_create_a_moderating_token(client, moderator):
    client.force_login(moderator)
    assert 'value="moderate"' in client.get(TOKENS_URL).content.decode()
    response = _create(client, name="Queue bot", scope="moderate")
    assert response.status_code == 201
    assert AccessToken.objects.get(user=moderator).scope == "moderate"


def test_name_is_required_and_the_scope_kept(client, member):
    client.force_login(member)
    response = _create(client, name="   ", scope="write")
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(r'<ul class="field__errors" id="id_name_error">(.*?)</ul>', html, re.S)
    assert "Give the token a name, so you know later what uses it." in errors.group(1)
    assert re.search(r'value="write"[^>]*checked', html)
    assert not AccessToken.objects.exists()


def test_active_tokens_are_capped_and_revoked_ones_free_a_place(client, member):
    tokens = [
        access_token_create(user=member, name=f"t{n}", scope="read").token
        for n in range(TOKENS_MAX)
    ]
    client.force_login(member)
    response = _create(client, name="One more")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"You have {TOKENS_MAX} active tokens, the most we allow." in html
    assert 'value="One more"' in html
    assert AccessToken.objects.filter(user=member).count() == TOKENS_MAX

    access_token_revoke(token=tokens[0])
    assert _create(client, name="One more").status_code == 201


def test_creating_tokens_from_the_page_is_limited_per_hour(client, member):
    client.force_login(member)
    for n in range(CREATIONS_PER_HOUR):
        assert _create(client, name=f"t{n}").status_code == 201
        access_token_revoke(token=AccessToken.objects.get(name=f"t{n}"))
    response = _create(client, name="Too many")
    assert response.status_code == 400
    assert f"You have created {CREATIONS_PER_HOUR} tokens in the last hour" in (
        response.content.decode()
    )
    assert not AccessToken.objects.filter(name="Too many").exists()


def test_refused_creations_do_not_spend_the_hourly_limit(client, member):
    client.force_login(member)
    for _ in range(CREATIONS_PER_HOUR + 2):
        assert _create(client, name="Queue bot", scope="moderate").status_code == 400
    assert _create(client, name="Fine").status_code == 201


def test_blocked_member_may_still_manage_tokens(client, member, moderator, guidelines):
    block_create(actor=moderator, member=member, duration="1d", rule_codes=["G1"], reason="x")
    client.force_login(member)
    assert client.get(TOKENS_URL).status_code == 200
    assert _create(client, name="Reader").status_code == 201
    token = AccessToken.objects.get(user=member)
    url = reverse("accounts:token-revoke", kwargs={"token_id": token.pk})
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_settings_menu_links_to_the_page(client, member):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert f'<a href="{TOKENS_URL}">API tokens</a>' in html


def test_tokens_page_reads_a_fixed_number_of_queries(client, member, django_assert_num_queries):
    for n in range(3):
        access_token_create(user=member, name=f"t{n}", scope="read")
    client.force_login(member)
    client.get(TOKENS_URL)  # settle once-per-process lookups
    with django_assert_num_queries(5) as captured:
        assert client.get(TOKENS_URL).status_code == 200
    few = len(captured)
    for n in range(3, 12):
        token = access_token_create(user=member, name=f"t{n}", scope="write").token
        if n % 2:
            access_token_revoke(token=token)
    with django_assert_num_queries(few):
        assert client.get(TOKENS_URL).status_code == 200

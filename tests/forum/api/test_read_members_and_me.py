"""Reading members' public profiles and who the caller is through the API: what the
profile page shows everyone and nothing private, and each caller's role and token scope."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.deletion import account_deletion_complete, account_deletion_request
from accounts.services import profile_update
from forum import services
from moderation.services.posts import post_hide
from tests.forum.api.read_helpers import bearer

pytestmark = pytest.mark.django_db


def test_a_profile_shows_what_the_page_shows_everyone(
    client, member, other_member, moderator, guidelines, make_thread
):
    profile_update(user=member, display_name="Jamie", bio="I run the *exports*.")
    first = make_thread(member, title="Export drops rows")
    reply = services.post_create(thread=first, author=member, body="More detail.")
    hidden = services.post_create(thread=first, author=member, body="Rude words.")
    post_hide(actor=moderator, post=hidden, rule_codes=["G3"])

    response = client.get("/api/v1/members/jamie", **bearer(other_member))

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("username", "name", "bio", "is_staff", "url")} == {
        "username": "jamie",
        "name": "Jamie",
        "bio": "I run the *exports*.",
        "is_staff": False,
        "url": "/u/jamie/",
    }
    assert body["post_count"] == member.__class__.objects.get(pk=member.pk).post_count
    assert body["joined_at"]
    # Newest first, without the post moderators hid.
    opening = first.posts.get(position=1)
    assert [post["id"] for post in body["recent_posts"]] == [reply.pk, opening.pk]
    assert body["recent_posts"][0]["thread_title"] == "Export drops rows"
    assert body["recent_posts"][0]["board"]["slug"] == "help"


def test_a_profile_never_carries_private_fields(client, member, make_thread):
    make_thread(member)
    text = client.get("/api/v1/members/jamie").content.decode()
    body = json.loads(text)

    assert member.email not in text
    for private in ("email", "time_zone", "language", "theme", "email_frequency", "password"):
        assert private not in body


def test_a_staff_profile_carries_its_badge(client, staff):
    body = client.get("/api/v1/members/sam").json()
    assert body["is_staff"] is True
    assert body["badges"] == [{"kind": "staff", "label": "Staff", "title": "Support Engineer"}]


def test_a_closed_account_or_a_missing_one_is_a_404(client, member):
    account_deletion_request(user=member)
    assert account_deletion_complete(user_id=member.pk, now=timezone.now() + timedelta(days=365))

    assert client.get("/api/v1/members/nobody").status_code == 404
    assert client.get(f"/api/v1/members/deleted-{member.pk}").status_code == 404
    assert client.get("/api/v1/members/jamie").status_code == 404


def test_me_for_a_visitor(client):
    assert client.get("/api/v1/me").json() == {
        "member": None,
        "role": "visitor",
        "token_scope": None,
        "token_name": None,
    }


@pytest.mark.parametrize(
    ("who", "scope", "role"),
    [
        ("member", "read", "member"),
        ("member", "write", "member"),
        ("staff", "write", "staff"),
        ("moderator", "moderate", "moderator"),
        ("admin_user", "moderate", "admin"),
    ],
)
def test_me_names_the_caller_its_role_and_its_tokens_scope(request, client, who, scope, role):
    user = request.getfixturevalue(who)

    body = client.get("/api/v1/me", **bearer(user, scope)).json()

    assert body["member"]["username"] == user.username
    assert (body["role"], body["token_scope"], body["token_name"]) == (
        role,
        scope,
        f"{scope} reader",
    )


def test_me_through_the_session_has_no_token(client, member):
    client.force_login(member)
    body = client.get("/api/v1/me").json()
    assert (body["member"]["username"], body["token_scope"]) == ("jamie", None)


def test_a_profile_and_me_cost_a_few_queries(
    client, member, make_thread, django_assert_num_queries
):
    make_thread(member)
    headers = bearer(member)
    client.get("/api/v1/me", **headers)  # marks the token used

    with django_assert_num_queries(1):
        client.get("/api/v1/me", **headers)
    # The token, the member, their recent posts with threads and boards.
    with django_assert_num_queries(3):
        client.get("/api/v1/members/jamie", **headers)

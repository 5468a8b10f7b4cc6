"""Personal access tokens on the API: who a token acts as, what refuses it (never a fall
back to the session), when its last use is recorded, and each token's own request budget
in the X-RateLimit headers, refused past it with 429 and Retry-After."""

import json
import urllib.error
import urllib.request

import pytest
from django.test import Client

from accounts.access_tokens import access_token_create, access_token_revoke
from accounts.deletion import account_deletion_complete, account_deletion_request
from accounts.models import AccessToken, User
from forum.models import Thread

pytestmark = pytest.mark.django_db

BOARDS = "/api/v1/boards"
INVALID = "This token isn't valid: it may be mistyped or revoked."


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def token(member):
    return access_token_create(user=member, name="CI", scope="read")


def _assert_refused_token(response) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    error = response.json()["error"]
    assert error["code"] == "unauthenticated"
    assert error["message"].startswith(INVALID)


def test_a_token_reads_as_its_owner_and_records_its_first_use(client, token, boards):
    assert AccessToken.objects.get().last_used_at is None
    response = client.get(BOARDS, **_bearer(token.raw))
    assert response.status_code == 200
    assert {board["slug"] for board in response.json()} >= {"help", "bugs", "ideas"}
    assert AccessToken.objects.get().last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(client, token, boards, clock):
    client.get(BOARDS, **_bearer(token.raw))
    first = AccessToken.objects.get().last_used_at
    assert first == clock.now
    clock.advance(seconds=30)
    client.get(BOARDS, **_bearer(token.raw))
    assert AccessToken.objects.get().last_used_at == first
    clock.advance(seconds=31)
    client.get(BOARDS, **_bearer(token.raw))
    assert AccessToken.objects.get().last_used_at == clock.now


@pytest.mark.parametrize(
    "header",
    [
        "Bearer plt_notarealtokenatallnotarealtokenatall00",
        "Bearer not-even-ours",
        "Bearer ",
        "Basic amFtaWU6cGFzc3dvcmQ=",
        "plt_without_a_scheme",
    ],
)
def test_a_wrong_token_is_refused_with_the_reason(client, boards, header):
    _assert_refused_token(client.get(BOARDS, HTTP_AUTHORIZATION=header))


def test_wrong_tokens_spend_the_addresss_budget(client, boards, settings):
    settings.API_VISITOR_RATE = "2/h"
    for left in ("1", "0"):
        response = client.get(BOARDS, **_bearer("plt_guess"))
        _assert_refused_token(response)
        assert response["X-RateLimit-Remaining"] == left
    refused = client.get(BOARDS, **_bearer("plt_another_guess"))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    # The same address reading as a visitor has nothing left either.
    assert client.get(BOARDS).status_code == 429


def test_a_revoked_token_is_refused(client, token, boards):
    access_token_revoke(token=token.token)
    _assert_refused_token(client.get(BOARDS, **_bearer(token.raw)))


def test_a_bad_token_never_falls_back_to_the_signed_in_session(client, member, token, boards):
    client.force_login(member)
    assert client.get(BOARDS).status_code == 200  # the session alone is fine
    access_token_revoke(token=token.token)
    _assert_refused_token(client.get(BOARDS, **_bearer(token.raw)))
    _assert_refused_token(client.get(BOARDS, **_bearer("plt_mistyped")))


def test_a_write_with_a_bad_token_is_refused_though_the_session_could_write(client, member, boards):
    client.force_login(member)
    response = client.post(
        "/api/v1/boards/help/threads",
        data=json.dumps({"title": "Exports drop rows", "body": "Every time."}),
        content_type="application/json",
        **_bearer("plt_mistyped"),
    )
    _assert_refused_token(response)
    assert not Thread.objects.exists()


def test_a_closed_accounts_token_is_refused(client, member, token, boards):
    User.objects.filter(pk=member.pk).update(is_active=False)
    _assert_refused_token(client.get(BOARDS, **_bearer(token.raw)))


def test_completing_an_account_deletion_revokes_its_tokens(client, member, token, boards, clock):
    account_deletion_request(user=member)
    # During the grace period the account is still the member's, and so are its tokens.
    assert client.get(BOARDS, **_bearer(token.raw)).status_code == 200
    clock.advance(days=365)
    assert account_deletion_complete(user_id=member.pk) is True
    assert AccessToken.objects.get().revoked_at == clock.now
    _assert_refused_token(client.get(BOARDS, **_bearer(token.raw)))


def test_each_token_has_its_own_request_budget(client, member, token, boards, settings):
    settings.API_TOKEN_RATE = "3/h"
    remaining = []
    for _ in range(3):
        response = client.get(BOARDS, **_bearer(token.raw))
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        remaining.append(response["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]

    refused = client.get(BOARDS, **_bearer(token.raw))
    assert refused.status_code == 429
    assert refused["X-RateLimit-Remaining"] == "0"
    assert 0 < int(refused["Retry-After"]) <= 3601
    error = refused.json()["error"]
    assert (error["status"], error["code"]) == (429, "rate_limited")
    assert error["message"]

    # Another token of the same member starts with its whole budget.
    second = access_token_create(user=member, name="Laptop", scope="read")
    response = client.get(BOARDS, **_bearer(second.raw))
    assert response.status_code == 200
    assert response["X-RateLimit-Remaining"] == "2"
    # And neither spends the member's session budget.
    session = Client()
    session.force_login(member)
    assert session.get(BOARDS)["X-RateLimit-Limit"] != "3"


def test_a_cached_copy_still_spends_the_budget(client, token, boards, settings):
    settings.API_TOKEN_RATE = "2/h"
    first = client.get(BOARDS, **_bearer(token.raw))
    again = client.get(BOARDS, HTTP_IF_NONE_MATCH=first["ETag"], **_bearer(token.raw))
    assert again.status_code == 304
    assert again["X-RateLimit-Remaining"] == "0"
    assert client.get(BOARDS, **_bearer(token.raw)).status_code == 429


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_works_over_real_http(live_server, member, boards):
    created = access_token_create(user=member, name="Over the wire", scope="read")
    request = urllib.request.Request(
        live_server.url + BOARDS, headers={"Authorization": f"Bearer {created.raw}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1)
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/json")
        assert int(response.headers["X-RateLimit-Remaining"]) >= 0
        assert any(board["slug"] == "help" for board in json.load(response))
    assert AccessToken.objects.get(pk=created.token.pk).last_used_at is not None

    access_token_revoke(token=created.token)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert refused.value.code == 401
    assert json.load(refused.value)["error"]["message"].startswith(INVALID)

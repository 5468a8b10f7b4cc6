"""Single sign-on through OpenID Connect, against a real provider on 127.0.0.1
(tests/oidc_provider.py): the authorization-code flow end to end, as a browser would
follow it, with the Django test client on our side and plain HTTP on the provider's."""

import importlib
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from accounts.models import User
from tests.conftest import PASSWORD
from tests.oidc_provider import OIDCProvider
from tests.task_runner import run_ready_tasks

PROVIDER_ID = "acme"
LABEL = "Sign in with Acme"
ALICE = {
    "sub": "acme-0001",
    "preferred_username": "alice",
    "name": "Alice Martin",
    "email": "alice@acme.example",
    "email_verified": True,
}


def oidc_settings(provider: OIDCProvider) -> dict:
    """What config/settings.py builds from OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
    OIDC_BUTTON_LABEL and OIDC_PROVIDER_ID. allauth reads SOCIALACCOUNT_PROVIDERS on every
    request, so overriding the setting reaches it."""
    return {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_PROVIDER_ID": PROVIDER_ID,
        "OIDC_BUTTON_LABEL": LABEL,
        "SOCIALACCOUNT_PROVIDERS": {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": LABEL,
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {"server_url": provider.issuer},
                    }
                ],
            }
        },
    }


@pytest.fixture
def provider(db):
    idp = OIDCProvider(user=dict(ALICE)).start()
    with override_settings(**oidc_settings(idp)):
        yield idp
    idp.stop()


def _reload_urls():
    # allauth decides which addresses exist (sign-up, password reset) when its URLconf is
    # imported, from SOCIALACCOUNT_ONLY.
    import allauth.account.urls
    import allauth.urls

    import config.urls

    for module in (allauth.account.urls, allauth.urls, config.urls):
        importlib.reload(module)
    clear_url_caches()


@contextmanager
def local_accounts_off():
    """LOCAL_ACCOUNTS=false, as config/settings.py sets it up."""
    with override_settings(
        LOCAL_ACCOUNTS=False,
        SOCIALACCOUNT_ONLY=True,
        ACCOUNT_EMAIL_VERIFICATION="none",
        SOCIALACCOUNT_EMAIL_VERIFICATION="none",
    ):
        _reload_urls()
        try:
            yield
        finally:
            pass
    _reload_urls()


def start_sign_in(client, provider, process="login"):
    """Press the button, let the provider consent, and come back: returns the response of
    the callback address."""
    response = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/?process={process}")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["redirect_uri"] == [
        f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"
    ]
    assert query["code_challenge_method"] == ["S256"]
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlparse(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_first_sign_in_through_the_provider_creates_a_member_and_signs_in(client, provider):
    response = start_sign_in(client, provider)

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:board-index")
    user = signed_in_user(client)
    assert user is not None
    assert (user.username, user.display_name, user.email) == (
        "alice",
        "Alice Martin",
        "alice@acme.example",
    )
    assert user.role == "member"
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "acme-0001"
    assert EmailAddress.objects.get(user=user).verified
    # The code was exchanged server to server and the profile read with the access token.
    assert {"/token", "/userinfo"} <= set(provider.paths())
    page = client.get(reverse("forum:board-index")).content.decode()
    assert "Alice Martin" in page


def test_second_sign_in_returns_to_the_same_account(client, provider):
    start_sign_in(client, provider)
    first = signed_in_user(client)
    client.post(reverse("account_logout"))
    assert signed_in_user(client) is None

    provider.user["name"] = "Alice M."  # what the provider says later changes nothing here
    response = start_sign_in(client, provider)

    assert response.status_code == 302
    assert signed_in_user(client) == first
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1


def test_look_alike_name_from_the_provider_is_refused_and_another_asked_for(client, provider):
    provider.user.update(preferred_username="\u0430dmin", sub="acme-0002")  # Cyrillic а

    response = start_sign_in(client, provider)

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_signup")
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'class="field field--error"' in page
    assert "looks like “admin”" in page
    assert 'name="username"' in page

    response = client.post(
        reverse("socialaccount_signup"), {"username": "\u0430dmin", "email": ALICE["email"]}
    )
    assert response.status_code == 200
    assert not User.objects.exists()

    response = client.post(
        reverse("socialaccount_signup"), {"username": "alice_m", "email": ALICE["email"]}
    )
    assert response.status_code == 302
    user = signed_in_user(client)
    assert user.username == "alice_m"
    assert SocialAccount.objects.get(user=user).uid == "acme-0002"


def test_provider_without_a_username_asks_for_one_without_an_error(client, provider):
    del provider.user["preferred_username"]  # Google and others send none

    response = start_sign_in(client, provider)

    assert response["Location"] == reverse("socialaccount_signup")
    page = client.get(response["Location"]).content.decode()
    assert "field--error" not in page
    response = client.post(
        reverse("socialaccount_signup"), {"username": "alice", "email": ALICE["email"]}
    )
    assert response.status_code == 302
    assert signed_in_user(client).username == "alice"


def test_name_of_an_existing_member_is_never_taken_over(client, provider, member):
    provider.user.update(preferred_username=member.username, email="jamie@acme.example")

    response = start_sign_in(client, provider)

    assert response["Location"] == reverse("socialaccount_signup")
    assert signed_in_user(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "A user with that username already exists." in page
    assert User.objects.filter(username__iexact=member.username).count() == 1


def test_staff_like_display_name_from_the_provider_is_dropped(client, provider, staff):
    provider.user.update(name="Support Team")

    start_sign_in(client, provider)

    assert signed_in_user(client).display_name == ""


def test_address_of_an_existing_member_never_signs_into_their_account(client, provider, member):
    provider.user.update(email=member.email, email_verified=True, preferred_username="intruder")

    response = start_sign_in(client, provider)

    # allauth answers as if a confirmation were sent (and mails the owner that someone
    # tried), so the page doesn't tell a stranger the address has an account here.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == [member.username]


def test_unverified_address_from_the_provider_is_not_trusted(
    client, provider, django_capture_on_commit_callbacks
):
    provider.user.update(email_verified=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = start_sign_in(client, provider)

    # As for a local sign-up: the address is confirmed by mail before anyone signs in.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user(client) is None
    user = User.objects.get(username="alice")
    assert not EmailAddress.objects.get(user=user).verified
    run_ready_tasks()
    assert [m.to for m in mail.outbox] == [["alice@acme.example"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_id_token_for_another_client_is_refused(client, provider):
    provider.id_token_overrides = {"aud": "some-other-client"}

    response = start_sign_in(client, provider)

    assert response.status_code == 401
    assert "<h1>Sign-in didn't work</h1>" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_cancelling_at_the_provider_says_so_and_changes_nothing(client, provider):
    provider.consents = False

    response = start_sign_in(client, provider)

    assert response["Location"] == reverse("socialaccount_login_cancelled")
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Sign-in cancelled</h1>" in page
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert "/token" not in provider.paths()


@pytest.mark.parametrize("url_name", ["account_login", "account_signup"])
def test_sign_in_and_sign_up_pages_show_the_button_with_its_label(client, provider, url_name):
    page = client.get(reverse(url_name)).content.decode()

    assert f">{LABEL}</button>" in page
    assert f'action="/accounts/oidc/{PROVIDER_ID}/login/' in page


def test_provider_comes_from_the_environment_only(client, provider):
    """No query for providers on the sign-in page, and a Social application row added in
    the admin neither shows a second button nor breaks the sign-in."""
    from allauth.socialaccount.models import SocialApp
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SocialApp.objects.create(
        provider="openid_connect", provider_id=PROVIDER_ID, name="Stray", client_id="x"
    )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("account_login")).content.decode()
    assert not [q for q in queries if "socialaccount" in q["sql"]]
    assert page.count("/accounts/oidc/") == 1
    assert "Stray" not in page

    assert start_sign_in(client, provider).status_code == 302
    assert signed_in_user(client).username == "alice"


def test_without_an_issuer_there_is_no_button(client, db):
    page = client.get(reverse("account_login")).content.decode()

    assert "/accounts/oidc/" not in page
    assert 'name="password"' in page


def test_provider_sign_ins_spend_the_sign_in_limit(client, provider):
    with override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"}):
        for _ in range(2):
            assert start_sign_in(client, provider).status_code == 302
            client.post(reverse("account_logout"))
        response = start_sign_in(client, provider)

    assert response.status_code == 429
    assert signed_in_user(client) is None


def test_with_local_accounts_off_sign_up_and_password_sign_in_are_gone(client, provider, member):
    with local_accounts_off():
        login_page = client.get("/accounts/login/")
        assert login_page.status_code == 200
        html = login_page.content.decode()
        assert 'name="password"' not in html
        assert f">{LABEL}</button>" in html
        # The password form, posted anyway (also as allauth's JSON form post), is refused.
        response = client.post(
            "/accounts/login/",
            {"login": member.username, "password": PASSWORD},
        )
        assert response.status_code == 403
        response = client.post(
            "/accounts/login/",
            {"login": member.username, "password": PASSWORD},
            headers={"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"},
        )
        assert response.status_code == 403
        assert signed_in_user(client) is None
        assert client.get("/accounts/signup/").status_code == 404
        assert client.post("/accounts/signup/", {"username": "x"}).status_code == 404
        assert client.get("/accounts/password/reset/").status_code == 404
        front = client.get(reverse("forum:board-index")).content.decode()
        assert "/accounts/signup/" not in front

        # Members come in through the provider instead.
        response = start_sign_in(client, provider)
        assert response.status_code == 302
        assert signed_in_user(client).username == "alice"


def test_with_local_accounts_off_admins_still_get_in_through_django_admin(
    client, provider, admin_user, member
):
    """The way in when the provider is down: Django admin's own sign-in, for admins with a
    password only."""
    with local_accounts_off():
        response = client.post(
            "/admin/login/?next=/admin/", {"username": member.username, "password": PASSWORD}
        )
        assert response.status_code == 200
        assert signed_in_user(client) is None

        response = client.post(
            "/admin/login/?next=/admin/", {"username": admin_user.username, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert signed_in_user(client) == admin_user
        page = client.get(reverse("forum:board-index")).content.decode()
        assert admin_user.public_name in page


def test_member_with_a_local_account_connects_the_provider_to_it(client, provider, member):
    """What members do before local accounts are turned off (docs/operations.md)."""
    client.force_login(member)
    assert client.get(reverse("socialaccount_connections")).status_code == 200
    provider.user.update(email=member.email)

    start_sign_in(client, provider, process="connect")

    assert SocialAccount.objects.get(uid=ALICE["sub"]).user == member
    client.post(reverse("account_logout"))
    with local_accounts_off():
        start_sign_in(client, provider)
        assert signed_in_user(client) == member


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-" + "k7Jq2xV9pLm4Rt8sWz1Yb6Nc3Hd5Fg0Ae" * 2,
    "ALLOWED_HOSTS": "forum.example.com",
}
SSO_ENV = {
    "OIDC_ISSUER": "https://id.example.com/realms/acme",
    "OIDC_CLIENT_ID": "porchlight",
    "OIDC_CLIENT_SECRET": "from-the-provider",
    "OIDC_BUTTON_LABEL": LABEL,
}


def test_check_deploy_is_clean_with_single_sign_on_only():
    from tests.config.test_settings import manage

    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION_ENV,
        **SSO_ENV,
        LOCAL_ACCOUNTS="false",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**SSO_ENV, "OIDC_ISSUER": "http://id.example.com"}, "must be an https:// address"),
        ({**SSO_ENV, "OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_ID or OIDC_CLIENT_SECRET"),
        ({"LOCAL_ACCOUNTS": "false"}, "OIDC_ISSUER is not set"),
    ],
)
def test_single_sign_on_misconfigured_refuses_to_start_with_a_clear_message(env, message):
    from tests.config.test_settings import manage

    result = manage("check", **PRODUCTION_ENV, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_status_copies_made_without_a_request_offer_sign_up_as_live_pages_do(db):
    from forum import status

    for html in (status.render_status(), status.render_status_unavailable()):
        assert 'href="/accounts/signup/"' in html
    with local_accounts_off():
        for html in (status.render_status(), status.render_status_unavailable()):
            assert "/accounts/signup/" not in html
            assert 'href="/accounts/login/' in html

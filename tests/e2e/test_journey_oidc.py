"""Single sign-on in Chromium: a visitor presses "Sign in with Acme" on the sign-in page,
the browser goes to the identity provider (a real one on 127.0.0.1, tests/oidc_provider.py,
which consents at once) and comes back signed in, their name in the header. Then a
person whose provider name passes for staff is asked to choose another."""

import copy
import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.accounts.test_oidc import ALICE, LABEL, local_accounts_off, oidc_settings
from tests.e2e.browser import field, shots
from tests.e2e.test_axe import _findings
from tests.oidc_provider import OIDCProvider


@pytest.fixture
def provider():
    idp = OIDCProvider(user=dict(ALICE)).start()
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    # As config/settings.py adds the issuer when OIDC_ISSUER is set.
    policy["DIRECTIVES"]["form-action"].append(idp.issuer)
    with override_settings(**oidc_settings(idp), CONTENT_SECURITY_POLICY=policy):
        yield idp
    idp.stop()


def test_member_signs_in_with_the_company_account(page: Page, live_server, provider):
    page.goto(live_server.url + "/accounts/login/")
    shots(page, "oidc-sign-in")
    assert not _findings(Axe(), page, "sign-in with the provider's button")
    page.emulate_media(color_scheme="light")

    page.get_by_role("button", name=LABEL).click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".account-nav__name")).to_have_text("Alice Martin")
    assert {"/authorize", "/token", "/userinfo"} <= set(provider.paths())
    user = User.objects.get(username="alice")
    assert user.socialaccount_set.get().uid == ALICE["sub"]


def test_name_that_passes_for_staff_is_replaced_on_the_way_in(page: Page, live_server, provider):
    provider.user.update(preferred_username="\u0430dmin", sub="acme-0009")  # Cyrillic а
    page.goto(live_server.url + "/accounts/signup/")

    page.get_by_role("button", name=LABEL).click()

    expect(page).to_have_url(re.compile(r"/accounts/3rdparty/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your name")
    expect(page.locator(".field--error")).to_contain_text("looks like “admin”")
    shots(page, "oidc-choose-name")
    page.emulate_media(color_scheme="dark")
    shots(page, "oidc-choose-name-dark")
    assert not _findings(Axe(), page, "choose your name")
    field(page, "Username").fill("alice_m")
    page.get_by_role("button", name="Join").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".account-nav__name")).to_have_text("Alice Martin")
    assert not User.objects.filter(username="\u0430dmin").exists()
    assert urlsplit(page.url).path == "/"


def test_with_local_accounts_off_the_sign_in_page_is_the_button(page: Page, live_server, provider):
    with local_accounts_off():
        page.goto(live_server.url + "/")
        expect(page.get_by_role("link", name="Sign up")).to_have_count(0)
        page.goto(live_server.url + "/accounts/login/")
        expect(page.get_by_label("Password")).to_have_count(0)
        shots(page, "oidc-only-sign-in")
        page.emulate_media(color_scheme="dark")
        shots(page, "oidc-only-sign-in-dark")

        page.get_by_role("button", name=LABEL).click()

        expect(page.locator(".account-nav__name")).to_have_text("Alice Martin")

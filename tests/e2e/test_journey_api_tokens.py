"""API tokens in Chromium. Jamie opens Settings → API tokens, creates a read-and-write
token, sees it once and copies it with the button, uses it from a script against the
live server, comes back to find it "used just now" and no longer shown, then revokes it,
after which the script is refused. Screens at 1280 and 375 px, light and dark."""

import json
import re
import urllib.error
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import AccessToken
from tests.e2e.browser import field, shots_in_both_schemes, sign_in
from tests.e2e.test_axe import _findings

API_PATH = "/api/v1/me"


def _call_api(server, raw: str):
    request = urllib.request.Request(
        server.url + API_PATH, headers={"Authorization": f"Bearer {raw}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1)
        return response.status, json.load(response)


def test_a_member_creates_copies_uses_and_revokes_a_token(new_context, live_server, member):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, live_server, "jamie")
    page.get_by_role("button", name=re.compile("Jamie")).click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_visible()
    expect(page.get_by_text("You have no tokens yet.")).to_be_visible()
    # A member is offered reading and writing, not moderating.
    expect(page.get_by_role("radio")).to_have_count(2)
    shots_in_both_schemes(page, "api-tokens-empty")

    field(page, "Name").fill("Status page sync")
    page.get_by_role("radio", name=re.compile("^Read and write")).check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", name="Your new token “Status page sync”")).to_be_visible()
    expect(page.get_by_text("Copy it now: it won't be shown again.")).to_be_visible()
    revealed = page.get_by_role("textbox", name="Your new token")
    raw = revealed.input_value()
    assert raw.startswith("plt_") and len(raw) > 30
    copy = page.get_by_role("button", name="Copy", exact=True)
    expect(copy).to_be_visible()
    copy.click()
    expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == raw
    shots_in_both_schemes(page, "api-tokens-created")
    axe = Axe()
    findings = _findings(axe, page, "new token shown")

    # Reloading the result sends the form again: it creates nothing and shows nothing.
    page.reload()
    expect(page.get_by_text("This form was already sent")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your new token")).to_have_count(0)
    assert raw not in page.content()
    assert AccessToken.objects.count() == 1
    shots_in_both_schemes(page, "api-tokens-sent-again")

    status, me = _call_api(live_server, raw)
    assert status == 200
    assert me["member"]["username"] == "jamie"
    assert me["token_scope"] == "write"

    page.goto(live_server.url + "/settings/tokens/")
    expect(page.get_by_role("textbox", name="Your new token")).to_have_count(0)
    assert raw not in page.content()
    item = page.locator(".token-list__item", has_text="Status page sync")
    expect(item.locator("[data-last-used]")).to_contain_text("just now")
    expect(item).to_contain_text(raw[:10] + "…")
    shots_in_both_schemes(page, "api-tokens-list")

    item.get_by_role("link", name=re.compile("^Revoke")).click()
    expect(
        page.get_by_role("heading", level=1, name="Revoke the token “Status page sync”?")
    ).to_be_visible()
    shots_in_both_schemes(page, "api-tokens-revoke")
    page.get_by_role("button", name="Revoke it").click()
    expect(page.get_by_text("The token “Status page sync” is revoked")).to_be_visible()
    expect(item.get_by_text("Revoked", exact=True).first).to_be_visible()
    expect(item.get_by_role("link", name=re.compile("^Revoke"))).to_have_count(0)
    assert AccessToken.objects.get().revoked_at is not None
    shots_in_both_schemes(page, "api-tokens-revoked")
    findings += _findings(axe, page, "a revoked token")
    page.emulate_media(color_scheme="light")
    assert not findings, "\n".join(findings)

    with pytest.raises(urllib.error.HTTPError) as refused:
        _call_api(live_server, raw)
    assert refused.value.code == 401
    assert "isn't valid" in json.load(refused.value)["error"]["message"]

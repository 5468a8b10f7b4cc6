"""The Content-Security-Policy in Chromium: the thread page arrives with it, its script
runs under the nonce and opens the live WebSocket (connect-src 'self' covers ws: to the
same host), it keeps its styling, and what the policy is for — an inline script or
handler that got into the page — is refused and reported to the test's watch."""

import re

import pytest
from django.urls import include, path
from playwright.sync_api import expect

from forum import services as forum_services
from tests.e2e.browser import screenshot, sign_in

PLANTED = """() => {
  window.__ran = [];
  const body = document.querySelector(".post__body");
  body.insertAdjacentHTML("beforeend",
    '<img src="/static/img/porchlight.svg" onload="window.__ran.push(\\'handler\\')">'
    + '<p style="color: rgb(255, 0, 0)" id="planted-style">styled?</p>');
  const script = document.createElement("script");
  script.textContent = "window.__ran.push('inline script')";
  document.body.append(script);
}"""


def test_thread_page_runs_under_the_policy_and_refuses_planted_inline_code(
    asgi_live_server, new_context, thread, other_member
):
    server = asgi_live_server
    forum_services.post_create(
        thread=thread, author=other_member, body="Same here: the export stops at 1,000 rows."
    )
    context = new_context()
    page = context.new_page()
    sign_in(page, server, "jamie")
    response = page.goto(server.url + thread.get_absolute_url() + "?page=1")
    policy = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "object-src 'none'" in policy and "connect-src 'self'" in policy

    # The page's own script runs (it carries the nonce) and its WebSocket is allowed.
    page.wait_for_function(
        "() => window.porchlightLive && window.porchlightLive.subscribed.includes('notices')"
    )
    assert page.evaluate("document.querySelector('script[src*=\"live.js\"]').nonce") == nonce

    # Its stylesheet applies: the avatar is a coloured circle from a class, not an attribute.
    avatar = page.locator(".post .avatar").first
    expect(avatar).to_have_class(re.compile(r"avatar--hue-\d+"))
    assert avatar.evaluate("el => getComputedStyle(el).borderRadius") == "50%"
    assert avatar.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    screenshot(page, "csp-thread-1200.png")

    # Planted inline code is refused, and the watch that fails every journey sees it.
    page.evaluate(PLANTED)
    page.locator(".post__body img").last.evaluate(
        "img => img.complete || new Promise(r => img.addEventListener('load', r))"
    )
    page.evaluate("() => new Promise(r => setTimeout(r, 50))")
    assert page.evaluate("window.__ran") == []
    assert page.locator("#planted-style").evaluate("el => getComputedStyle(el).color") != (
        "rgb(255, 0, 0)"
    )
    page.close()  # a round trip: every console report has been delivered
    reports = "\n".join(context.csp_violations)
    assert "script-src" in reports and "style-src" in reports, reports
    context.csp_violations.clear()


def boom(request):
    raise RuntimeError("database fell over")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"


@pytest.mark.urls("tests.e2e.test_csp_in_browser")
def test_error_pages_keep_their_styling_under_the_policy(live_server, page, db):
    """The 500 page's inline style is allowed by its hash (it has no request to take a nonce
    from); the 404 page uses the site's stylesheet under the nonce. Nothing is refused
    (the context's watch would fail the test)."""
    response = page.goto(live_server.url + "/boom/")
    assert response.status == 500
    assert "'sha256-" in response.headers["content-security-policy"]
    assert page.locator("main").evaluate("el => getComputedStyle(el).maxWidth") == "680px"

    response = page.goto(live_server.url + "/no/such/page/")
    assert response.status == 404
    assert page.locator(".site-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    ) not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")

"""/api/docs in Chromium: the Swagger UI draws every operation of the API from our own
static files, under the site's Content-Security-Policy, with nothing refused; and a
signed-in member's "Try it out" writes through the session, with the CSRF token, as the
site's own scripts do."""

import re

from playwright.sync_api import expect

from forum.models import Post
from tests.e2e.browser import shots_in_both_schemes, sign_in
from tests.forum.api.test_openapi import directives


def test_api_docs_render_every_operation_under_the_policy(live_server, page, client):
    response = page.goto(live_server.url + "/api/docs/")
    policy = response.headers["content-security-policy"]
    # The site's policy, with data: images for Swagger UI's icons and nothing more.
    assert directives(policy)["img-src"] == ["'self'", "data:"]
    assert re.fullmatch(r"'self' 'nonce-[^']+'", " ".join(directives(policy)["script-src"]))
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    expect(page.get_by_role("heading", name="API reference", level=1)).to_be_visible()
    document = client.get("/api/v1/openapi.json").json()
    operations = sum(len(methods) for methods in document["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)
    expect(page.get_by_role("button", name=re.compile("Authorize"))).to_be_visible()
    shots_in_both_schemes(page, "api-docs")


def test_member_tries_a_reply_from_the_api_docs_through_the_session(
    live_server, page, member, thread
):
    sign_in(page, live_server, "jamie")
    page.goto(live_server.url + "/api/docs/")
    operation = page.locator("#operations-Threads-forum_api_posting_reply")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_placeholder("thread_id").fill(str(thread.pk))
    operation.locator("textarea.body-param__text").fill('{"body": "Posted from the API docs."}')
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tr.response .response-col_status").first
    expect(status).to_have_text("201")
    post = Post.objects.get(thread=thread, position=2)
    assert post.author == member
    assert post.body == "Posted from the API docs."
    shots_in_both_schemes(page, "api-docs-try-it-out")


def test_api_docs_have_no_serious_accessibility_findings(live_server, page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.test_axe import _findings

    page.goto(live_server.url + "/api/docs/")
    operation = page.locator("#operations-Threads-forum_api_posting_reply")
    operation.locator(".opblock-summary-control").click()
    expect(operation.get_by_role("button", name="Try it out")).to_be_visible()
    # Light only: the dark scheme is this palette inverted by a CSS filter, which axe
    # doesn't apply when it computes colours (it would judge the light colours on the dark
    # page); the screenshots show the dark page.
    found = _findings(Axe(), page, "API docs", schemes=("light",))
    assert not found, "\n".join(found)

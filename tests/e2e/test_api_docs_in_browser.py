"""/api/docs in Chromium: the Swagger UI draws every operation of the API from our own
static files, under the site's Content-Security-Policy, with nothing refused."""

from playwright.sync_api import expect

from tests.e2e.browser import shots_in_both_schemes


def test_api_docs_render_every_operation_under_the_policy(live_server, page):
    response = page.goto(live_server.url + "/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Porchlight API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    shots_in_both_schemes(page, "api-docs")

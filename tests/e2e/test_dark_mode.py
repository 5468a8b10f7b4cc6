"""Dark mode in a real browser: the device's preference, a member's saved theme that
overrides it, and the header's switch remembered across a reload and a new sign-in."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from accounts.services import user_set_theme
from tests.e2e.browser import PHONE, has_no_horizontal_scroll, sign_in

OPEN_ACCOUNT_MENU = (
    "() => { const b = document.querySelector('.account-nav button[aria-expanded]');"
    " if (b && b.getAttribute('aria-expanded') === 'false') b.click(); }"
)


def _background_lightness(page: Page) -> float:
    """The body's computed background as relative luminance (0 black, 1 white)."""
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _is_dark(page: Page) -> bool:
    return _background_lightness(page) < 0.05


def test_dark_device_preference_gives_a_visitor_dark_pages_at_375px(
    new_context, live_server, thread, tmp_path
):
    page = new_context(viewport=PHONE, color_scheme="dark").new_page()
    page.goto(live_server.url + "/")
    assert _is_dark(page)
    assert page.evaluate("document.documentElement.hasAttribute('data-theme')") is False
    page.screenshot(path=str(tmp_path / "front-dark-375.png"), full_page=True)
    page.goto(live_server.url + thread.get_absolute_url())
    assert _is_dark(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])
    shot = tmp_path / "thread-dark-375.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_light_device_preference_gives_light_pages(new_context, live_server):
    page = new_context(color_scheme="light").new_page()
    page.goto(live_server.url + "/")
    assert _background_lightness(page) > 0.8


def test_member_saved_dark_theme_wins_over_a_light_device(new_context, live_server, member):
    user_set_theme(user=member, theme="dark")
    page = new_context(color_scheme="light").new_page()
    sign_in(page, live_server, member.username)
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _is_dark(page)


def test_member_saved_light_theme_wins_over_a_dark_device(new_context, live_server, member):
    user_set_theme(user=member, theme="light")
    page = new_context(color_scheme="dark").new_page()
    sign_in(page, live_server, member.username)
    assert _background_lightness(page) > 0.8


def test_visitor_switch_is_remembered_across_reload(new_context, live_server):
    page = new_context(color_scheme="light").new_page()
    page.goto(live_server.url + "/")
    assert not _is_dark(page)
    page.get_by_role("button", name="Dark", exact=True).click()
    assert _is_dark(page)
    expect(page.get_by_role("button", name="Dark", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _is_dark(page)
    page.goto(live_server.url + "/b/help/")
    assert _is_dark(page)
    page.get_by_role("button", name="Auto", exact=True).click()
    page.reload()
    assert not _is_dark(page)


def test_member_switch_is_saved_and_follows_them_to_a_new_sign_in(new_context, live_server, member):
    page = new_context(color_scheme="light").new_page()
    sign_in(page, live_server, member.username)
    page.goto(live_server.url + "/b/help/")
    page.evaluate(OPEN_ACCOUNT_MENU)
    page.get_by_role("button", name="Dark", exact=True).click()
    page.wait_for_url(re.compile(r"/b/help/$"))
    assert _is_dark(page)
    member.refresh_from_db()
    assert member.theme == "dark"
    page.reload()
    assert _is_dark(page)

    # Signed out on the same device: the visitor pages keep the member's last choice.
    page.evaluate(OPEN_ACCOUNT_MENU)
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url + "/")
    assert _is_dark(page)

    # Another device, light by preference: signing in brings the saved theme.
    other = new_context(color_scheme="light").new_page()
    other.goto(live_server.url + "/")
    assert not _is_dark(other)
    sign_in(other, live_server, member.username)
    assert _is_dark(other)


def test_visitors_header_keeps_one_row_at_1280px_with_the_switch(new_context, live_server):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(live_server.url + "/")
    switch = page.get_by_role("group", name="Theme")
    expect(switch).to_be_visible()
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= 64


def test_the_500_page_follows_a_dark_device_and_passes_axe(new_context, tmp_path):
    """The 500 page stands alone (no stylesheet, no request): its own style has a dark
    scheme, with readable link colours."""
    page = new_context(color_scheme="dark").new_page()
    page.set_content(render_to_string("errors/500.html", {"reference": "ABCD1234"}))
    assert _is_dark(page)
    axe = Axe()
    page.evaluate(axe.axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    page.screenshot(path=str(tmp_path / "500-dark.png"))

"""The header in Chromium: an admin's fits one row at 1280 px; on a 375 px phone a
member's and an admin's header stays under 120 px with search one labelled tap away; the
Moderation, Staff and account menus are disclosure buttons that open with the keyboard and
close with Escape, focus back on their button; without JavaScript every link shows."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from forum.services import post_create
from moderation.services import flag_create, post_hide
from tests.e2e.browser import sign_in

SHOTS = Path(os.environ.get("HEADER_SHOTS") or Path(tempfile.gettempdir()) / "porchlight-header")
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
SCHEMES = ("light", "dark")


def _header_box(page: Page) -> dict:
    return page.locator("header.site-header").bounding_box()


def _rows(page: Page) -> int:
    """How many rows the header's visible items take (by their vertical centres)."""
    return page.evaluate(
        """() => {
          const inner = document.querySelector('.site-header__inner');
          const items = [...inner.querySelectorAll(
            ':scope > *:not(.site-menu), :scope > .site-menu > *')]
            .filter(el => el.getClientRects().length);
          const tops = items.map(el => {
            const r = el.getBoundingClientRect();
            return r.top + r.height / 2;
          });
          const rows = [];
          for (const t of tops.sort((a, b) => a - b)) {
            if (!rows.length || t - rows[rows.length - 1] > 12) rows.push(t);
          }
          return rows.length;
        }"""
    )


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), clip=_clip(page))


def _clip(page: Page) -> dict:
    box = _header_box(page)
    width = page.viewport_size["width"]
    return {"x": 0, "y": 0, "width": width, "height": min(box["height"] + 320, 900)}


def _signed_in(new_context, live_server, username: str, **context) -> Page:
    page = new_context(**context).new_page()
    sign_in(page, live_server, username)
    return page


@pytest.fixture
def busy_admin(admin_user, member, moderator, make_thread, guidelines):
    """Alex with every badge showing: an open review item, an unread moderation message
    and an unread notification."""
    mine = make_thread(admin_user, title="Our roadmap")
    asking = make_thread(member, title="Export", body="Hello")
    post_create(thread=asking, author=member, body="@alex when does export land?")
    flag_create(flagger=member, post=mine.posts.get(position=1), reason="rule", rule_code="G1")
    post_hide(actor=moderator, post=mine.posts.get(position=1), rule_codes=["G1"])
    return admin_user


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_admins_header_is_one_row_at_1280px(new_context, live_server, busy_admin, scheme):
    page = _signed_in(new_context, live_server, "alex", viewport=WIDE, color_scheme=scheme)
    page.goto(live_server.url + "/")
    account = page.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("button", name=re.compile(r"^Moderation 1"))).to_be_visible()
    expect(account.get_by_role("button", name=re.compile(r"^Alex 1"))).to_be_visible()
    expect(page.locator("[data-notification-bell] .count")).to_have_text("1")
    assert _rows(page) == 1
    assert _header_box(page)["height"] <= 64
    expect(page.get_by_role("searchbox", name="Search the forum")).to_be_visible()
    _shot(page, f"admin-1280-{scheme}")
    page.get_by_role("button", name="Staff").click()
    expect(page.get_by_role("link", name="Contact inbox")).to_be_visible()
    _shot(page, f"admin-1280-staff-open-{scheme}")


@pytest.mark.parametrize("who", ["jamie", "alex"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_phone_header_is_short_and_search_is_one_tap_away(
    new_context, live_server, member, admin_user, who, scheme
):
    page = _signed_in(new_context, live_server, who, viewport=PHONE, color_scheme=scheme)
    page.goto(live_server.url + "/")
    assert _header_box(page)["height"] <= 120
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, f"{who}-375-{scheme}")

    search = page.get_by_role("searchbox", name="Search the forum")
    toggle = page.locator("header button[aria-controls=site-search-form]")
    expect(toggle).to_have_accessible_name("Search")
    expect(search).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(search).to_be_focused()
    _shot(page, f"{who}-375-search-{scheme}")
    search.fill("export")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=export"))

    menu = page.get_by_role("button", name=re.compile(r"^Menu"))
    menu.click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Boards")
    ).to_be_visible()
    _shot(page, f"{who}-375-menu-{scheme}")


def test_the_menus_open_with_the_keyboard_and_escape_closes_them(
    new_context, live_server, admin_user
):
    page = _signed_in(new_context, live_server, "alex", viewport=WIDE)
    page.goto(live_server.url + "/")
    account = page.get_by_role("navigation", name="Your account")
    for name, link in (
        ("Moderation", "Review queue"),
        ("Staff", "Unanswered"),
        ("Alex", "Your profile"),
    ):
        button = account.get_by_role("button", name=re.compile(rf"^{name}"))
        target = page.get_by_role("link", name=re.compile(rf"^{link}"))
        expect(button).to_have_attribute("aria-expanded", "false")
        controlled = page.locator("#" + button.get_attribute("aria-controls"))
        expect(controlled).to_be_hidden()
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(target).to_be_visible()
        page.keyboard.press("Tab")
        expect(target).to_be_focused()
        page.keyboard.press("Escape")
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(controlled).to_be_hidden()
        expect(button).to_be_focused()
        page.keyboard.press("Space")
        expect(button).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Space")
        expect(button).to_have_attribute("aria-expanded", "false")
    # One open at a time; a click elsewhere closes.
    account.get_by_role("button", name="Staff").click()
    account.get_by_role("button", name=re.compile("^Moderation")).click()
    expect(page.get_by_role("link", name="Contact inbox")).to_be_hidden()
    page.locator("main h1").first.click()
    expect(page.get_by_role("link", name=re.compile("^Review queue"))).to_be_hidden()
    # The menu's links lead where they say.
    account.get_by_role("button", name="Staff").click()
    page.get_by_role("link", name="Unanswered").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unanswered questions")


def test_without_javascript_every_header_link_shows(new_context, live_server, admin_user):
    page = _signed_in(new_context, live_server, "alex", viewport=PHONE, java_script_enabled=False)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("searchbox", name="Search the forum")).to_be_visible()
    expect(page.locator("header button[aria-controls=site-search-form]")).to_be_hidden()
    expect(page.get_by_role("link", name="Boards", exact=True)).to_be_visible()
    page.locator("summary", has_text="Staff").click()
    expect(page.get_by_role("link", name="Contact inbox")).to_be_visible()
    _shot(page, "admin-375-nojs")

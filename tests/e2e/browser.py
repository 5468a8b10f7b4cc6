"""What every browser journey does: find a labelled field, sign in, take screenshots at
desktop and phone widths and check nothing scrolls sideways, and record anything the
Content-Security-Policy refuses (conftest's ``new_context`` fails the test on any)."""

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.conftest import PASSWORD

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 375, "height": 800}


def field(page: Page, label: str):
    """The input labelled exactly ``label``. The label's text also holds the required-field
    asterisk, hidden from assistive technology but not from Playwright's label matching."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def sign_in(page: Page, server, username: str) -> None:
    """Sign in through the real form (``server`` is either live server)."""
    page.goto(server.url + "/accounts/login/")
    field(page, "Login").fill(username)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # Sign out sits in the account menu, closed until opened.
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(1)


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def has_no_horizontal_scroll(page: Page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def shots(page: Page, name: str) -> None:
    """The page at desktop and phone widths; at 375 px nothing may scroll sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1200.png"), full_page=True)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(ARTIFACTS / f"{name}-375.png"), full_page=True)
    assert width <= PHONE["width"], f"{name} scrolls sideways at 375 px ({width}px wide)"
    page.set_viewport_size(DESKTOP)


WIDE = {"width": 1280, "height": 900}


def shots_in_both_schemes(page: Page, name: str) -> None:
    """The page light and dark, at 1280 and 375 px; at 375 px nothing may scroll sideways.
    Leaves the page light and wide."""
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for label, size in (("1280", WIDE), ("375", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{label}-{scheme}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{name} scrolls sideways at {label} ({width}px)"
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(WIDE)


# Chromium reports each refusal on the console itself ("Refused to execute inline script
# because it violates the following Content Security Policy directive…"); the page's
# securitypolicyviolation event says the same in a form this script can add detail to. An
# init script runs in every document before the page's own scripts, and the policy does
# not apply to it.
CSP_WATCH_SCRIPT = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.effectiveDirective + " refused "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber
    + (event.sample ? " (" + event.sample + ")" : ""));
}, true);
"""


def watch_csp(context: BrowserContext) -> list[str]:
    """Record every Content-Security-Policy violation in the context's pages, as
    ``"<page url>: <report>"``; the list fills as Playwright delivers console events."""
    violations: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if text.startswith("CSP violation:") or "Content Security Policy" in text:
            where = message.location.get("url") or (message.page.url if message.page else "?")
            violations.append(f"{where}: {text}")

    context.on("console", on_console)
    context.add_init_script(CSP_WATCH_SCRIPT)
    return violations

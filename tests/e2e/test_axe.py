"""axe-core (4.12, bundled by axe-playwright-python) on every kind of page, as the person
who would see it, in the light and the dark colour scheme: no violation of impact
"serious" or "critical". One browser, one live server, one set of data; every page is
checked and every finding is listed before the test fails.

axe is injected with ``page.evaluate``, which the pages' Content-Security-Policy does not
govern, so the pages run under their real policy."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from accounts.models import User
from accounts.services import user_set_theme
from forum.services import post_create
from forum.services.staff_notes import staff_note_create
from moderation.models import ReviewItem
from moderation.services import flag_create, post_hide
from tests.e2e.browser import sign_in

SCHEMES = ("light", "dark")
BLOCKING = {"serious", "critical"}
# The open menu's links are part of the page too: axe checks the header with one open.
OPEN_A_MENU = (
    "() => { const b = document.querySelector('.account-nav button[aria-expanded]');"
    " if (b) b.click(); }"
)


@pytest.fixture
def axe():
    return Axe()


@pytest.fixture
def scene(thread, member, other_member, staff, moderator, guidelines):
    """A thread with a reply that mentions Jamie (a notification), a flagged post (a
    review item) and a hidden one (a log entry and a case)."""
    reply = post_create(thread=thread, author=other_member, body="@jamie same here, see below.")
    rude = post_create(thread=thread, author=other_member, body="Whoever wrote this is a fool.")
    flag_create(flagger=member, post=reply, reason="rule", rule_code="G3")
    post_hide(actor=moderator, post=rude, rule_codes=["G3"], note="Name-calling.")
    note = staff_note_create(thread=thread, author=staff, body="Refund pending, see **Stripe**.")
    return {"thread": thread, "item": ReviewItem.objects.filter(post=reply).get(), "note": note}


# label-content-name-mismatch is among axe's experimental rules, off by default; a name
# that does not hold the visible words breaks speech input, so it is checked here.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def _findings(axe: Axe, page: Page, label: str, schemes=SCHEMES) -> list[str]:
    page.evaluate(axe.axe_script)
    found = []
    for scheme in schemes:
        page.emulate_media(color_scheme=scheme)
        results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in results["violations"]:
            if violation["impact"] not in BLOCKING:
                continue
            nodes = "\n".join(
                f"      {' '.join(map(str, node['target']))}: "
                + " ".join(node.get("failureSummary", "").split())
                for node in violation["nodes"][:5]
            )
            found.append(
                f"{label} [{scheme}] {violation['id']} ({violation['impact']}): "
                f"{violation['help']}\n{nodes}"
            )
    return found


def _pages(scene, member) -> dict[str, list[tuple[str, str]]]:
    """Every page checked, by who opens it ("visitor" or a username)."""
    thread, item = scene["thread"], scene["item"]
    return {
        "visitor": [
            ("front page", "/"),
            ("board", "/b/help/"),
            ("thread", thread.get_absolute_url()),
            ("search", "/search/?q=export"),
            ("profile", f"/u/{member.username}/"),
            ("help and contact", reverse("forum:help")),
            ("sign in", "/accounts/login/"),
            ("sign up", "/accounts/signup/"),
            ("guidelines", reverse("moderation:guidelines")),
            ("status", reverse("forum:status")),
            ("404", "/no/such/page/"),
        ],
        "jamie": [
            ("front page", "/"),
            ("thread", thread.get_absolute_url()),
            ("new thread form", "/b/help/new/"),
            ("notifications", reverse("forum:notifications")),
            ("profile settings", reverse("accounts:profile-edit")),
            ("appearance", reverse("accounts:theme")),
            ("your data and account", reverse("accounts:data")),
            ("delete account", reverse("accounts:delete")),
        ],
        "priya": [
            ("moderation inbox", reverse("moderation:inbox")),
        ],
        "sam": [
            ("staff unanswered", reverse("forum:staff-unanswered")),
            ("my threads", reverse("forum:staff-my-threads")),
            ("thread with the assignment panel and a staff note", thread.get_absolute_url()),
            (
                "staff note edit",
                reverse(
                    "forum:staff-note-edit",
                    kwargs={"thread_id": thread.pk, "note_id": scene["note"].pk},
                ),
            ),
        ],
        "morgan": [
            ("moderation queue", reverse("moderation:queue")),
            ("queue item", reverse("moderation:queue-item", kwargs={"item_id": item.pk})),
            ("moderation log", reverse("moderation:log")),
            ("member case", reverse("moderation:member-case", kwargs={"member_id": member.pk})),
        ],
    }


def test_no_serious_accessibility_violations_on_any_page(
    new_context, live_server, axe, scene, member, moderator, staff
):
    pages = _pages(scene, member)
    findings = []
    for who, urls in pages.items():
        page = new_context().new_page()
        if who != "visitor":
            sign_in(page, live_server, who)
        for index, (label, url) in enumerate(urls):
            page.goto(live_server.url + url)
            if index == 0:
                page.evaluate(OPEN_A_MENU)
            findings += _findings(axe, page, f"{label} as {who} ({url})")
        page.close()
    assert not findings, f"{len(findings)} serious or critical axe findings:\n" + "\n".join(
        findings
    )


# A saved theme wins over the device's preference: every page is checked again in the
# opposite scheme to the one the device asks for — a member's theme saved on the account
# (rendered as <html data-theme>), a visitor's kept in localStorage by static/js/theme.js.
VISITOR_CHOICE = "localStorage.setItem('porchlight-theme', '{theme}')"


@pytest.mark.parametrize(("saved", "device"), [("dark", "light"), ("light", "dark")])
def test_no_serious_accessibility_violations_in_a_saved_theme(
    new_context, live_server, axe, scene, member, moderator, staff, saved, device
):
    findings = []
    for who, urls in _pages(scene, member).items():
        context = new_context(color_scheme=device)
        if who == "visitor":
            context.add_init_script(VISITOR_CHOICE.format(theme=saved))
        page = context.new_page()
        if who != "visitor":
            user_set_theme(user=User.objects.get(username=who), theme=saved)
            sign_in(page, live_server, who)
        for index, (label, url) in enumerate(urls):
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.dataset.theme") == saved, url
            if index == 0:
                page.evaluate(OPEN_A_MENU)
            findings += _findings(
                axe, page, f"{label} as {who} ({url}), saved {saved}", schemes=(device,)
            )
        page.close()
    assert not findings, f"{len(findings)} serious or critical axe findings:\n" + "\n".join(
        findings
    )

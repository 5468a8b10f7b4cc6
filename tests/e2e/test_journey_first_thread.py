"""The first-thread journey in Chromium: a visitor signs up, verifies the email from the
message the site sent, starts a Help thread (tripping over an over-long title on the way,
with nothing they typed lost), then a staff member replies with their badge showing and an
ordinary member replies from a phone-sized screen without one."""

import re

from django.core import mail
from playwright.sync_api import Page, expect

from forum.models import TITLE_MAX, Thread
from tests.e2e.browser import PHONE
from tests.e2e.browser import field as _field
from tests.e2e.browser import has_no_horizontal_scroll as _has_no_horizontal_scroll
from tests.e2e.browser import screenshot as _screenshot
from tests.e2e.browser import sign_in as _sign_in
from tests.task_runner import run_worker

NEW_PASSWORD = "porch swing at dusk 1987"
TOO_LONG_TITLE = "Export to CSV drops every row after the first thousand " * 3  # 165 chars
GOOD_TITLE = "Export to CSV drops every row after the first thousand"
MESSAGE = (
    "When I export my **orders** board to CSV, only the first 1,000 rows arrive.\n\n"
    "Steps:\n\n1. Open Orders\n2. Choose *Export*\n3. Count the rows"
)
STAFF_REPLY = "Thanks for the steps, that reproduces here. A fix ships on Monday."
MEMBER_REPLY = "Same on my side: the cut-off is exactly 1,000 rows."


# The gap, in CSS pixels, between the badge's "Staff" and the "·" after it, measured on the
# laid-out glyphs: whether the space is a character or a margin, a reader must see one.
_STAFF_DOT_GAP_JS = """badge => {
    const texts = [];
    const walker = document.createTreeWalker(badge, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) texts.push(walker.currentNode);
    const glyph = (node, at) => {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect();
    };
    const label = texts.find(n => n.data.includes("Staff"));
    const dot = texts.find(n => n.data.includes("·"));
    const staffEnd = label.data.indexOf("Staff") + "Staff".length - 1;
    return glyph(dot, dot.data.indexOf("·")).left - glyph(label, staffEnd).right;
}"""


def _expect_staff_badge(post) -> None:
    badge = post.locator(".post__head .badge--staff")
    expect(badge).to_have_count(1)
    expect(badge).to_have_text(re.compile(r"^Staff\s*·\s*Support Engineer$"))
    gap = badge.evaluate(_STAFF_DOT_GAP_JS)
    assert gap >= 2, f"the badge's 'Staff' and '·' are only {gap:.1f}px apart"


def _sign_up_and_verify(page: Page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    _field(page, "Email").fill("river@example.com")
    _field(page, "Username").fill("river")
    _field(page, "Password").fill(NEW_PASSWORD)
    _field(page, "Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    # Verification is mandatory: no session yet, a message in the outbox instead.
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    run_worker()  # the outbox is delivered by the task worker
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["river@example.com"]
    links = re.findall(r"https?://\S+/accounts/confirm-email/\S+", message.body)
    assert len(links) == 1, message.body
    assert links[0].startswith(live_server.url)

    # Following the link only shows a page; confirming is a deliberate POST.
    page.goto(links[0])
    expect(page.get_by_role("heading", name="Confirm Email Address")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_role("button", name="Confirm").click()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: confirmed and signed in, in the same step.
    account = page.get_by_role("navigation", name="Your account")
    account.get_by_role("button", name="river").click()
    expect(account.get_by_role("link", name="Your profile")).to_be_visible()
    expect(account.get_by_role("button", name="Sign out")).to_be_visible()


def _start_thread_after_an_over_long_title(page: Page, live_server) -> str:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Boards").click()
    # The header's "Help" goes to the help page; the Help board is linked from its card.
    page.get_by_role("main").get_by_role("link", name="Help", exact=True).click()
    expect(page).to_have_url(live_server.url + "/b/help/")
    page.get_by_role("link", name="Start a thread").click()
    expect(page).to_have_url(live_server.url + "/b/help/new/")

    title = _field(page, "Title")
    body = _field(page, "Message")
    assert len(TOO_LONG_TITLE) > TITLE_MAX
    title.fill(TOO_LONG_TITLE)
    body.fill(MESSAGE)
    page.get_by_role("button", name="Start thread").click()

    # Refused, with the reason beside the title and every character kept.
    expect(page.get_by_role("alert")).to_contain_text("Nothing you typed has been lost")
    title_field = page.locator(".field").filter(has=_field(page, "Title"))
    expect(title_field).to_have_class(re.compile(r"\bfield--error\b"))
    error = title_field.locator(".field__errors")
    expect(error).to_be_visible()
    expect(error).to_contain_text(str(TITLE_MAX))
    expect(error).to_contain_text(f"this one has {len(TOO_LONG_TITLE.strip())}")
    expect(title).to_have_attribute("aria-invalid", "true")
    # The message field is fine, so it carries no error of its own.
    message_field = page.locator(".field").filter(has=_field(page, "Message"))
    expect(message_field.locator(".field__errors")).to_have_count(0)
    assert title.input_value() == TOO_LONG_TITLE
    assert body.input_value() == MESSAGE
    # Nothing was created by the refused attempt.
    assert not Thread.objects.exists()
    _screenshot(page, "journey-title-error-1200.png")

    title.fill(GOOD_TITLE)
    assert body.input_value() == MESSAGE
    page.get_by_role("button", name="Start thread").click()

    expect(page).to_have_url(re.compile(r"/t/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(GOOD_TITLE)
    opening = page.locator("article.post").first
    expect(opening.locator(".post__author")).to_have_text("river")
    # The Markdown was rendered, not shown raw.
    expect(opening.locator(".post__body strong")).to_have_text("orders")
    expect(opening.locator(".post__body ol li")).to_have_count(3)
    expect(opening.locator(".badge")).to_have_count(0)
    return page.url


def _reply(page: Page, text: str) -> None:
    reply = _field(page, "Your reply")
    expect(reply).to_be_visible()
    reply.fill(text)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("article.post").filter(has_text=text)).to_be_visible()


def test_new_member_signs_up_starts_a_help_thread_and_gets_answers(
    live_server, page, new_context, staff, member
):
    # (1) A visitor becomes a member and asks for help.
    _sign_up_and_verify(page, live_server)
    thread_url = _start_thread_after_an_over_long_title(page, live_server)

    # (2) Sam from support replies from their own browser; the badge names their job.
    staff_page = new_context().new_page()
    _sign_in(staff_page, live_server, "sam")
    staff_page.goto(thread_url)
    _reply(staff_page, STAFF_REPLY)
    staff_post = staff_page.locator("article.post").filter(has_text=STAFF_REPLY)
    expect(staff_post).to_have_class(re.compile(r"\bpost--staff\b"))
    _expect_staff_badge(staff_post)
    expect(staff_post.locator(".post__author")).to_have_text("Sam")

    # (3) Jamie, an ordinary member, replies from a phone-sized screen.
    phone_page = new_context(viewport=PHONE).new_page()
    _sign_in(phone_page, live_server, "jamie")
    phone_page.goto(thread_url)
    assert _has_no_horizontal_scroll(phone_page, PHONE["width"])
    reply_box = _field(phone_page, "Your reply").bounding_box()
    assert reply_box is not None
    assert reply_box["x"] >= 0
    assert reply_box["x"] + reply_box["width"] <= PHONE["width"]
    _reply(phone_page, MEMBER_REPLY)
    member_post = phone_page.locator("article.post").filter(has_text=MEMBER_REPLY)
    expect(member_post.locator(".post__author")).to_have_text("Jamie")
    expect(member_post.locator(".badge")).to_have_count(0)
    expect(member_post).not_to_have_class(re.compile(r"\bpost--staff\b"))
    # The staff reply keeps its badge on the small screen too.
    phone_staff_post = phone_page.locator("article.post").filter(has_text=STAFF_REPLY)
    _expect_staff_badge(phone_staff_post)
    assert _has_no_horizontal_scroll(phone_page, PHONE["width"])
    _screenshot(phone_page, "journey-thread-375.png")

    # Back on the asker's screen: the whole conversation, in order, with one badge.
    page.reload()
    posts = page.locator("article.post")
    expect(posts).to_have_count(3)
    expect(posts.nth(0)).to_contain_text("first 1,000 rows arrive")
    expect(posts.nth(1)).to_contain_text(STAFF_REPLY)
    expect(posts.nth(2)).to_contain_text(MEMBER_REPLY)
    expect(page.locator(".badge--staff")).to_have_count(1)
    expect(page.get_by_text("2 replies")).to_be_visible()
    _screenshot(page, "journey-thread-1200.png")


def test_over_long_title_error_fits_a_phone_screen(live_server, new_context, member):
    page = new_context(viewport=PHONE).new_page()
    _sign_in(page, live_server, "jamie")
    page.goto(live_server.url + "/b/help/new/")
    title = _field(page, "Title")
    body = _field(page, "Message")
    title.fill(TOO_LONG_TITLE)
    body.fill(MESSAGE)
    page.get_by_role("button", name="Start thread").click()

    error = page.locator(".field").filter(has=title).locator(".field__errors")
    expect(error).to_contain_text(str(TITLE_MAX))
    assert title.input_value() == TOO_LONG_TITLE
    assert body.input_value() == MESSAGE
    assert _has_no_horizontal_scroll(page, PHONE["width"])
    _screenshot(page, "journey-title-error-375.png")


def test_title_error_is_announced_with_the_title_field(live_server, page, member):
    _sign_in(page, live_server, "jamie")
    page.goto(live_server.url + "/b/help/new/")
    _field(page, "Title").fill(TOO_LONG_TITLE)
    _field(page, "Message").fill(MESSAGE)
    page.get_by_role("button", name="Start thread").click()
    expect(page.get_by_role("textbox", name="Title")).to_have_accessible_description(
        re.compile(rf"at most {TITLE_MAX} characters"), timeout=2_000
    )

"""The Help loop in Chromium: a member asks on the Help board, the question shows in the
staff's unanswered queue, a staff member answers from their own browser, the member sees
"Did this fix everything?" and clicks "Yes, solved"; the thread shows Solved with the
answer quoted under the question, and the question has left the unanswered queue. The
solved thread fits a phone screen."""

import re

from playwright.sync_api import Page, expect

from forum.models import Thread
from tests.e2e.browser import PHONE, field, has_no_horizontal_scroll, screenshot, shots, sign_in

TITLE = "Invoices page stays blank after the update"
QUESTION = "Since this morning the **Invoices** page shows nothing at all. Any idea?"
ANSWER = "That's a stale cache from the update. Sign out and back in, and it loads again."
PROMPT = "Did this fix everything? Is there anything else we can help with?"


def _ask(page: Page, live_server) -> str:
    page.goto(live_server.url + "/b/help/")
    page.get_by_role("link", name="Start a thread").click()
    field(page, "Title").fill(TITLE)
    field(page, "Message").fill(QUESTION)
    page.get_by_role("button", name="Start thread").click()
    expect(page).to_have_url(re.compile(r"/t/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    status = page.get_by_role("region", name="Question status")
    expect(status.locator(".state-pill")).to_have_text("Awaiting staff")
    expect(page.get_by_text(PROMPT)).to_have_count(0)
    return page.url


def _unanswered_rows(page: Page):
    return page.get_by_role("table", name=re.compile("^Waiting for staff")).locator("tbody tr")


def test_member_asks_staff_answers_member_says_solved(
    live_server, page, new_context, member, staff
):
    # (1) Jamie asks on the Help board.
    sign_in(page, live_server, "jamie")
    thread_url = _ask(page, live_server)

    # (2) Sam sees it waiting in the unanswered queue and answers from there.
    staff_page = new_context().new_page()
    sign_in(staff_page, live_server, "sam")
    staff_menu = staff_page.get_by_role("navigation", name="Your account")
    staff_menu.get_by_role("button", name="Staff").click()
    staff_menu.get_by_role("link", name="Unanswered").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Unanswered questions")
    row = _unanswered_rows(staff_page).filter(has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator("td[data-label=Waiting]")).to_have_text("under a minute")
    expect(row).to_contain_text("Help")
    shots(staff_page, "journey-help-unanswered")
    row.get_by_role("link", name=TITLE).click()
    expect(staff_page).to_have_url(thread_url)
    reply = field(staff_page, "Your reply")
    reply.fill(ANSWER)
    staff_page.get_by_role("button", name="Post reply").click()
    staff_post = staff_page.locator("article.post").filter(has_text=ANSWER)
    expect(staff_post).to_be_visible()
    expect(staff_post).to_have_class(re.compile(r"\bpost--staff\b"))
    expect(staff_page.locator(".state-pill")).to_have_text("Awaiting the asker")
    # Staff don't get the asker's prompt.
    expect(staff_page.get_by_text(PROMPT)).to_have_count(0)

    # (3) Jamie comes back: the answer and the prompt are there; Yes, solved.
    page.goto(thread_url)
    expect(page.locator("article.post").filter(has_text=ANSWER)).to_be_visible()
    prompt = page.get_by_role("group", name=PROMPT)
    expect(prompt).to_be_visible()
    expect(prompt.get_by_role("button", name="Not yet")).to_be_visible()
    shots(page, "journey-help-prompt")
    prompt.get_by_role("button", name="Yes, solved").click()

    # (4) Solved, with the answer quoted under the question.
    expect(page.get_by_role("status")).to_contain_text("marked solved")
    status = page.get_by_role("region", name="Question status")
    expect(status.locator(".state-pill")).to_have_text(re.compile(r"Solved$"))
    answer = status.locator("figure.accepted-answer")
    expect(answer).to_contain_text("Accepted answer")
    expect(answer).to_contain_text("Sam")
    expect(answer.locator("blockquote")).to_contain_text("stale cache")
    expect(page.get_by_text(PROMPT)).to_have_count(0)
    # The quote sits under the question's title and links to the answer.
    title_box = page.get_by_role("heading", level=1).bounding_box()
    assert title_box["y"] < answer.bounding_box()["y"]
    expect(staff_post_on(page).locator(".tag--accepted")).to_have_text(
        re.compile("Accepted answer")
    )
    answer.get_by_role("link", name="Go to the answer in the thread").click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    assert Thread.objects.get(title=TITLE).help_state == Thread.HelpState.SOLVED

    # (5) It has left the unanswered queue.
    staff_page.goto(live_server.url + "/staff/unanswered/")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Unanswered questions")
    expect(_unanswered_rows(staff_page).filter(has_text=TITLE)).to_have_count(0)

    # (6) The solved thread at desktop width and on a phone: nothing scrolls sideways.
    page.goto(thread_url + "?page=1")
    shots(page, "journey-help-solved")
    phone = new_context(viewport=PHONE).new_page()
    sign_in(phone, live_server, "jamie")
    phone.goto(thread_url + "?page=1")
    expect(phone.locator(".state-pill")).to_have_text(re.compile(r"Solved$"))
    expect(phone.locator("figure.accepted-answer")).to_be_visible()
    assert has_no_horizontal_scroll(phone, PHONE["width"])
    screenshot(phone, "journey-help-solved-phone-375.png")


def staff_post_on(page: Page):
    return page.locator("article.post").filter(has_text=ANSWER)

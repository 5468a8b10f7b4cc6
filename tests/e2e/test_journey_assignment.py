"""Browser journey: a member asks; staff assign the question to a colleague, who is
notified, finds it under My threads and in the unanswered queue filtered to "Me", with the
time left against the board's target; the member never sees who looks after it. Screens
at 1280 and 375 px, light and dark."""

from datetime import timedelta

from playwright.sync_api import expect

from accounts.roles import Role
from forum.models import Board
from tests.e2e.browser import WIDE, shots_in_both_schemes, sign_in


def test_staff_assign_a_question_to_a_colleague_who_finds_it(
    live_server, new_context, make_user, make_thread, help_board
):
    Board.objects.filter(pk=help_board.pk).update(first_reply_target=timedelta(hours=4))
    asker = make_user("jamie", display_name="Jamie")
    make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")
    make_user("quincey", role=Role.STAFF, job_title="Billing Specialist", display_name="Quincey")
    question = make_thread(asker, title="Charged twice for my plan")
    url = live_server.url + question.get_absolute_url()

    staff = new_context(viewport=WIDE).new_page()
    sign_in(staff, live_server, "sam")
    staff.goto(url)
    panel = staff.locator("#assignment")
    expect(panel).to_contain_text("Nobody is looking after this thread yet.")
    panel.get_by_text("Assign to a colleague").click()
    panel.get_by_label("Assign to").select_option(label="Quincey — Billing Specialist")
    panel.get_by_role("button", name="Assign", exact=True).click()
    expect(staff.get_by_text("Assigned to Quincey; they have been notified.")).to_be_visible()
    expect(panel).to_contain_text("Assigned to Quincey")
    shots_in_both_schemes(staff, "assignment-thread-staff")
    staff.goto(live_server.url + help_board.get_absolute_url())
    expect(staff.locator(".tag--assignee")).to_have_text("Assigned to Quincey")
    shots_in_both_schemes(staff, "assignment-board-staff")

    colleague = new_context(viewport=WIDE).new_page()
    sign_in(colleague, live_server, "quincey")
    colleague.goto(live_server.url + "/notifications/")
    expect(colleague.get_by_text("Sam assigned “Charged twice for my plan” to you")).to_be_visible()
    colleague.goto(live_server.url + "/staff/mine/")
    expect(colleague.locator(".my-threads-table")).to_contain_text("Charged twice for my plan")
    expect(colleague.locator(".my-threads-table")).to_contain_text("Awaiting staff")
    shots_in_both_schemes(colleague, "assignment-my-threads")

    colleague.goto(live_server.url + "/staff/unanswered/")
    colleague.get_by_label("Assigned to").select_option(label="Me")
    colleague.get_by_role("button", name="Show", exact=True).click()
    row = colleague.locator(".unanswered-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("left")
    expect(row).to_contain_text("You")
    shots_in_both_schemes(colleague, "assignment-unanswered-queue")

    member = new_context(viewport=WIDE).new_page()
    sign_in(member, live_server, "jamie")
    member.goto(url)
    expect(member.locator("h1")).to_contain_text("Charged twice for my plan")
    expect(member.locator("#assignment")).to_have_count(0)
    expect(member.get_by_text("Quincey")).to_have_count(0)

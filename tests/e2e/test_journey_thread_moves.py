"""Browser journey: staff move a Help question that is really a bug to Bugs, where it is
New with an event line, and move it back; they merge a duplicate into it (the form says
what went wrong first), follow the duplicate's old address to the merged thread, and
split it back out. Screens at 1280 and 375 px, light and dark."""

from playwright.sync_api import expect

from accounts.roles import Role
from forum.services import post_create
from tests.e2e.browser import WIDE, shots_in_both_schemes, sign_in


def test_staff_move_a_question_to_bugs_and_merge_a_duplicate_into_it(
    live_server, new_context, make_user, make_thread, help_board
):
    asker = make_user("jamie", display_name="Jamie")
    other = make_user("priya", display_name="Priya")
    make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")
    question = make_thread(asker, title="App crashes when I export to PDF")
    duplicate = make_thread(other, title="PDF export closes the app")
    post_create(thread=duplicate, author=asker, body="Same for me on version 4.2.")

    staff = new_context(viewport=WIDE).new_page()
    sign_in(staff, live_server, "sam")
    staff.goto(live_server.url + question.get_absolute_url())
    staff.get_by_role("link", name="Move or merge").click()
    expect(staff.locator("h1")).to_have_text("Move or merge this thread")
    staff.get_by_label("Move to board").select_option(label="Bugs")
    shots_in_both_schemes(staff, "thread-move-page")
    staff.get_by_role("button", name="Move thread").click()
    expect(staff.get_by_text("Moved to Bugs.")).to_be_visible()
    expect(staff.locator(".breadcrumbs")).to_contain_text("Bugs")
    expect(staff.locator(".thread-event--moved")).to_contain_text(
        "moved this thread from Help to Bugs"
    )
    expect(staff.locator(".status-pill--new").first).to_be_visible()
    shots_in_both_schemes(staff, "thread-moved-to-bugs")
    staff.goto(live_server.url + "/b/bugs/")
    expect(staff.get_by_text("App crashes when I export to PDF")).to_be_visible()

    staff.goto(live_server.url + f"/t/{question.pk}/move/")
    staff.get_by_role("button", name="Move back to Help").click()
    expect(staff.get_by_text("Moved back to Help.")).to_be_visible()
    expect(staff.locator(".thread-event--moved").last).to_contain_text("moved this thread back")

    staff.goto(live_server.url + f"/t/{duplicate.pk}/move/")
    target = staff.get_by_label("Merge into thread")
    target.fill(f"/t/{duplicate.pk}/")
    staff.get_by_role("button", name="Merge thread").click()
    expect(staff.get_by_text("A thread can't be merged into itself.")).to_be_visible()
    expect(target).to_have_value(f"/t/{duplicate.pk}/")
    shots_in_both_schemes(staff, "thread-merge-error")
    target.fill(live_server.url + question.get_absolute_url())
    staff.get_by_role("button", name="Merge thread").click()
    expect(staff.get_by_text("Merged into this thread.")).to_be_visible()
    expect(staff.locator(".thread-event--merged")).to_contain_text(
        "merged “PDF export closes the app” into this thread"
    )
    expect(staff.get_by_text("Same for me on version 4.2.")).to_be_visible()
    shots_in_both_schemes(staff, "thread-merged")

    visitor = new_context(viewport=WIDE).new_page()
    visitor.goto(live_server.url + duplicate.get_absolute_url())
    expect(visitor).to_have_url(live_server.url + question.get_absolute_url())
    expect(visitor.get_by_text("Same for me on version 4.2.")).to_be_visible()

    staff.goto(live_server.url + f"/t/{question.pk}/move/")
    shots_in_both_schemes(staff, "thread-move-page-undo")
    staff.get_by_role("button", name="Split back").click()
    expect(staff.get_by_text("is a thread of its own again.")).to_be_visible()
    expect(staff.locator("h1")).to_contain_text("PDF export closes the app")
    visitor.goto(live_server.url + duplicate.get_absolute_url())
    expect(visitor.locator("h1")).to_contain_text("PDF export closes the app")

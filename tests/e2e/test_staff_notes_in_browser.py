"""Browser: staff write a private note under the reply box, read it in the thread in its
sticky-note style, edit it; the asker reading the same thread never sees it. Screens at
1280 and 375 px, light and dark."""

from playwright.sync_api import expect

from accounts.roles import Role
from forum.services import post_create
from tests.e2e.browser import WIDE, field, shots_in_both_schemes, sign_in

LABEL = "Staff note — only staff and moderators see this"


def test_staff_write_and_edit_a_private_note_the_asker_never_sees(
    live_server, new_context, make_user, make_thread
):
    asker = make_user("jamie", display_name="Jamie")
    sam = make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")
    question = make_thread(asker, title="Charged twice for my plan")
    post_create(thread=question, author=sam, body="Sorry about that — looking into it now.")
    url = live_server.url + question.get_absolute_url()

    staff = new_context(viewport=WIDE).new_page()
    sign_in(staff, live_server, "sam")
    staff.goto(url)
    form = staff.locator("#staff-note")
    expect(form).to_contain_text(LABEL)
    # Its label names its own box, not the reply box above it.
    expect(field(staff, "Staff note")).to_have_attribute("name", "body")
    expect(form.locator("textarea")).to_have_attribute("id", "id_note_body")
    expect(field(staff, "Your reply")).to_have_attribute("id", "id_body")
    form.get_by_role("button", name="Save staff note").click()
    expect(staff.get_by_text("The note is empty.")).to_be_visible()  # beside the field
    field(staff, "Staff note").fill(
        "Stripe shows **two charges** on 3 Dec; refund the second once @jamie confirms."
    )
    staff.get_by_role("button", name="Save staff note").click()
    expect(staff.get_by_text("Staff note saved.")).to_be_visible()
    note = staff.locator(".staff-note")
    expect(note).to_contain_text(LABEL)
    expect(note.locator("strong")).to_have_text("two charges")
    shots_in_both_schemes(staff, "staff-note-thread")

    note.get_by_role("link", name="Edit note").click()
    field(staff, "Staff note").fill("Refunded the second charge on 6 Dec.")
    staff.get_by_role("button", name="Save changes").click()
    expect(staff.get_by_text("Staff note updated.")).to_be_visible()
    expect(staff.locator(".staff-note")).to_contain_text("Refunded the second charge")
    expect(staff.locator(".staff-note")).to_contain_text("edited")

    member = new_context(viewport=WIDE).new_page()
    sign_in(member, live_server, "jamie")
    member.goto(url)
    expect(member.get_by_text("Sorry about that — looking into it now.")).to_be_visible()
    expect(member.locator(".staff-note, #staff-note")).to_have_count(0)
    expect(member.get_by_text("Refunded the second charge")).to_have_count(0)
    visitor = new_context(viewport=WIDE).new_page()
    visitor.goto(url)
    expect(visitor.locator(".staff-note, #staff-note")).to_have_count(0)

"""Browser journey: staff keep a saved reply with placeholders, open a member's question,
press Ctrl+. in the reply box, type to filter, press Enter — the reply lands at the cursor
with the asker's name — edit it and post it. Without JavaScript, the Insert button does
the same through the server. Members never see the picker. Screens at 1280 and 375 px,
light and dark."""

import time

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from forum.models import Post, SavedReply
from forum.services.saved_replies import saved_reply_create
from tests.e2e.browser import WIDE, field, shots_in_both_schemes, sign_in


@pytest.fixture
def people(make_user):
    asker = make_user("jamie", display_name="Jamie Rivers")
    staff = make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")
    return asker, staff


def test_staff_insert_a_saved_reply_with_the_shortcut_edit_it_and_post(
    live_server, new_context, people, make_thread
):
    asker, staff_user = people
    question = make_thread(asker, title="Export drops rows")
    saved_reply_create(
        actor=staff_user,
        title="Password reset steps",
        body="Hi {asker}, open Settings → Security and choose Reset.",
        personal=False,
    )
    saved_reply_create(
        actor=staff_user,
        title="Export: known issue",
        body="Hi {asker}, thanks for reporting “{thread_title}”. We're on it. — {me}",
        personal=True,
    )
    url = live_server.url + question.get_absolute_url()

    page = new_context(viewport=WIDE).new_page()
    sign_in(page, live_server, "sam")
    page.goto(live_server.url + "/staff/replies/")
    page.get_by_role("link", name="New saved reply").click()
    field(page, "Title").fill("Typo reply")
    field(page, "Reply text").fill("Hi {askr}, see {board}.")
    page.get_by_label("Only me").check()
    page.get_by_role("button", name="Add saved reply").click()
    expect(
        page.get_by_text("Not a placeholder we know: {askr}.", exact=False).first
    ).to_be_visible()
    page.get_by_role("link", name="Edit “Typo reply”").click()
    expect(page.locator(".saved-form__warning")).to_contain_text("{askr}")
    shots_in_both_schemes(page, "saved-replies-form")
    field(page, "Reply text").fill("Hi {asker}, see {board}.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved reply “Typo reply” changed.")).to_be_visible()
    page.get_by_role("link", name="Delete “Typo reply”").click()
    page.get_by_role("button", name="Delete it").click()
    expect(page.get_by_text("Saved reply “Typo reply” deleted.")).to_be_visible()
    expect(page.get_by_role("heading", name="Team replies")).to_be_visible()
    expect(page.locator("#own-heading")).to_contain_text("Your replies")
    expect(page.locator(".saved-placeholders")).to_contain_text("{asker}")
    shots_in_both_schemes(page, "saved-replies-list")

    page.goto(url)
    box = page.locator("#reply textarea[name=body]")
    box.fill("Thanks for the details.\n\n")
    box.press("End")
    box.press("Control+.")
    picker = page.get_by_role("combobox", name="Filter saved replies")
    expect(picker).to_be_focused()
    options = page.locator(".saved-picker").get_by_role("option")
    expect(options).to_have_count(2)
    shots_in_both_schemes(page, "saved-replies-picker")
    picker.type("expo")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Export: known issue · yours")
    picker.press("Enter")
    expect(box).to_have_value(
        "Thanks for the details.\n\nHi Jamie Rivers, thanks for reporting “Export drops rows”. "
        "We're on it. — Sam"
    )
    expect(box).to_be_focused()
    expect(page.get_by_role("combobox", name="Filter saved replies")).to_have_count(0)
    # The text is editable before posting: the cursor sits after the insert.
    box.press("End")
    box.type(" Expect a fix this week.")
    page.get_by_role("button", name="Post reply").click()
    post = page.locator(".post").last
    expect(post).to_contain_text("Hi Jamie Rivers, thanks for reporting “Export drops rows”.")
    expect(post).to_contain_text("Expect a fix this week.")
    saved = Post.objects.get(author=staff_user)
    assert saved.body.replace("\r\n", "\n").startswith("Thanks for the details.\n\nHi Jamie")
    # The use is counted by a request of its own, sent as the reply was inserted.
    deadline = time.monotonic() + 5
    while SavedReply.objects.get(title="Export: known issue").use_count != 1:
        assert time.monotonic() < deadline, "the insert was not counted"
        page.wait_for_timeout(50)

    # Esc closes the list and gives the reply box its cursor back, nothing inserted.
    page.locator("#reply textarea[name=body]").press("Control+.")
    expect(page.get_by_role("combobox", name="Filter saved replies")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#reply textarea[name=body]")).to_be_focused()
    expect(page.locator("#reply textarea[name=body]")).to_have_value("")

    member = new_context(viewport=WIDE).new_page()
    sign_in(member, live_server, "jamie")
    member.goto(url)
    expect(member.locator("#reply textarea[name=body]")).to_be_visible()
    expect(member.locator("[data-saved-replies]")).to_have_count(0)
    member.locator("#reply textarea[name=body]").press("Control+.")
    expect(member.get_by_role("combobox", name="Filter saved replies")).to_have_count(0)


def test_without_javascript_insert_fills_the_reply_form(
    live_server, new_context, people, make_thread
):
    asker, staff_user = people
    question = make_thread(asker, title="Export drops rows")
    saved_reply_create(actor=staff_user, title="Greeting", body="Hello {asker}!", personal=False)
    page = new_context(viewport=WIDE, java_script_enabled=False).new_page()
    sign_in(page, live_server, "sam")
    page.goto(live_server.url + question.get_absolute_url())
    page.locator("#reply textarea[name=body]").fill("Typed first.")
    page.get_by_role("button", name="Insert").click()
    # The reply page, its form filled.
    reply = page.locator("main textarea[name=body]")
    expect(reply).to_have_value("Typed first.\n\nHello Jamie Rivers!")
    shots_in_both_schemes(page, "saved-replies-no-js-insert")
    reply.fill("Typed first.\n\nHello Jamie Rivers! Edited.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".post").last).to_contain_text("Hello Jamie Rivers! Edited.")


AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def test_saved_reply_pages_and_the_open_picker_pass_axe(
    live_server, new_context, people, make_thread
):
    from axe_playwright_python.sync_playwright import Axe

    asker, staff_user = people
    question = make_thread(asker, title="Export drops rows")
    reply = saved_reply_create(
        actor=staff_user, title="Greeting", body="Hello {asker} {typo}", personal=False
    )
    axe = Axe()
    page = new_context(viewport=WIDE).new_page()
    sign_in(page, live_server, "sam")

    def findings(label: str) -> list[str]:
        page.evaluate(axe.axe_script)
        found = []
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            found += [
                f"{label} [{scheme}] {v['id']}: {v['help']} "
                + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
                for v in results["violations"]
                if v["impact"] in ("serious", "critical")
            ]
        return found

    found = []
    for label, path in (
        ("list", "/staff/replies/"),
        ("new", "/staff/replies/new/"),
        ("edit with a warning", f"/staff/replies/{reply.pk}/edit/"),
        ("delete", f"/staff/replies/{reply.pk}/delete/"),
    ):
        page.goto(live_server.url + path)
        found += findings(label)
    page.goto(live_server.url + question.get_absolute_url())
    page.locator("#reply textarea[name=body]").press("Control+.")
    expect(page.get_by_role("combobox", name="Filter saved replies")).to_be_focused()
    found += findings("thread with the picker open")
    assert not found, "\n".join(found)

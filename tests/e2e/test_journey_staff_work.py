"""Browser journey, staff at work: a member asks in Help; staff assign the question to a
colleague, who is notified, answers with a saved reply (two keystrokes, edited before
posting) and leaves a private staff note the asker never sees; another question is moved
from Help to Bugs and appears there as New; once the hourly refresh has run, the
temperature page shows both threads, with the posts-per-board chart and its table.
Screens at 1280 and 375 px, light and dark."""

from playwright.sync_api import expect

from accounts.roles import Role
from forum.models import Post, Thread
from forum.services.saved_replies import saved_reply_create
from forum.views.temperature import format_wait
from moderation.services.temperature import temperature_refresh
from tests.e2e.browser import WIDE, field, shots_in_both_schemes, sign_in

QUESTION = "Charged twice for my plan"
BUG = "App crashes when I export to PDF"


def test_a_question_is_assigned_answered_with_a_saved_reply_and_a_bug_moved_then_measured(
    live_server, new_context, make_user, make_thread
):
    make_user("jamie", display_name="Jamie Rivers")
    sam = make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")
    make_user("quincey", role=Role.STAFF, job_title="Billing Specialist", display_name="Quincey")
    priya = make_user("priya", display_name="Priya")
    make_thread(priya, title=BUG, body="Every export to PDF closes the app on 4.2.")
    saved_reply_create(
        actor=sam,
        title="Duplicate charge refunded",
        body="Hi {asker}, we refunded the second charge; it reaches your card in 3–5 days.",
        personal=False,
    )

    # A member asks in Help.
    member = new_context(viewport=WIDE).new_page()
    sign_in(member, live_server, "jamie")
    member.goto(live_server.url + "/b/help/new/")
    field(member, "Title").fill(QUESTION)
    field(member, "Message").fill("My card shows two charges for December.")
    member.get_by_role("button", name="Start thread").click()
    expect(member.get_by_role("heading", level=1)).to_have_text(QUESTION)
    question_url = member.url

    # Staff assign it to a colleague.
    staff = new_context(viewport=WIDE).new_page()
    sign_in(staff, live_server, "sam")
    staff.goto(question_url)
    panel = staff.locator("#assignment")
    panel.get_by_text("Assign to a colleague").click()
    panel.get_by_label("Assign to").select_option(label="Quincey — Billing Specialist")
    panel.get_by_role("button", name="Assign", exact=True).click()
    expect(staff.get_by_text("Assigned to Quincey; they have been notified.")).to_be_visible()

    # The colleague is notified and answers with a saved reply, edited before posting.
    colleague = new_context(viewport=WIDE).new_page()
    sign_in(colleague, live_server, "quincey")
    colleague.goto(live_server.url + "/notifications/")
    notice = colleague.get_by_text(f"Sam assigned “{QUESTION}” to you")
    expect(notice).to_be_visible()
    shots_in_both_schemes(colleague, "staff-work-notified")
    notice.click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text(QUESTION)
    box = colleague.locator("#reply textarea[name=body]")
    box.press("Control+.")
    expect(colleague.get_by_role("combobox", name="Filter saved replies")).to_be_focused()
    colleague.keyboard.press("Enter")
    expect(box).to_have_value(
        "Hi Jamie Rivers, we refunded the second charge; it reaches your card in 3–5 days."
    )
    box.press("End")
    box.type(" Sorry for the trouble.")
    colleague.get_by_role("button", name="Post reply").click()
    answer = colleague.locator("article.post").last
    expect(answer).to_contain_text("we refunded the second charge")
    expect(answer).to_contain_text("Sorry for the trouble.")
    # A note for the team, which the asker never sees.
    field(colleague, "Staff note").fill("Refund issued in Stripe, ref **re_4417**.")
    colleague.get_by_role("button", name="Save staff note").click()
    expect(colleague.locator(".staff-note")).to_contain_text("re_4417")
    shots_in_both_schemes(colleague, "staff-work-answered")
    member.reload()
    expect(member.get_by_text("Sorry for the trouble.")).to_be_visible()
    expect(member.get_by_text("re_4417")).to_have_count(0)
    expect(member.locator("#assignment")).to_have_count(0)

    # Another question is really a bug: staff move it to Bugs, where it is New.
    bug = Thread.objects.get(title=BUG)
    staff.goto(live_server.url + bug.get_absolute_url())
    staff.get_by_role("link", name="Move or merge").click()
    staff.get_by_label("Move to board").select_option(label="Bugs")
    staff.get_by_role("button", name="Move thread").click()
    expect(staff.get_by_text("Moved to Bugs.")).to_be_visible()
    staff.goto(live_server.url + "/b/bugs/")
    row = staff.locator("li, tr").filter(has_text=BUG).last
    expect(row).to_be_visible()
    expect(row.locator(".status-pill--new")).to_have_text("New")
    shots_in_both_schemes(staff, "staff-work-bugs-board")

    # The hourly refresh runs (cron's aggregate_temperature); the temperature shows both.
    temperature_refresh()
    staff.get_by_role("button", name="Staff").click()
    staff.get_by_role("link", name="Temperature").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Temperature")
    figures = staff.locator(".temperature-figures")
    asked = figures.locator("tr").filter(has_text="Help questions asked")
    expect(asked.locator("td").first).to_have_text("1")  # the other one is a bug now
    median = figures.locator("tr").filter(has_text="Median time to a first staff reply")
    # "under a minute" unless a loaded machine took longer between the asking and the answer.
    asked_thread = Thread.objects.get(title=QUESTION)
    waited = asked_thread.first_staff_reply_at - asked_thread.created_at
    expect(median.locator("td").first).to_have_text(format_wait(waited))
    hot = staff.locator(".hot-threads")
    expect(hot.locator(".hot-thread").filter(has_text=QUESTION)).to_contain_text("Help")
    expect(hot.locator(".hot-thread").filter(has_text=BUG)).to_contain_text("Bugs")
    chart = staff.get_by_role("img", name="Posts per board")
    expect(chart).to_be_visible()
    expect(chart.locator(".chart__bar")).to_have_count(3)  # Help, Bugs and Ideas
    table = staff.locator("#boards-chart-table")
    expect(table).to_be_visible()
    help_posts = Post.objects.filter(thread__board__slug="help").count()
    bug_posts = Post.objects.filter(thread__board__slug="bugs").count()
    expect(table.locator("tr").filter(has_text="Help").locator("td").first).to_have_text(
        str(help_posts)
    )
    expect(table.locator("tr").filter(has_text="Bugs").locator("td").first).to_have_text(
        str(bug_posts)
    )
    shots_in_both_schemes(staff, "staff-work-temperature")

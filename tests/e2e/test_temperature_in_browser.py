"""The temperature page in a browser: staff open it from the Staff menu, switch period and
board, open the numbers behind a chart; every chart is an image with a name and a table;
axe finds nothing serious in light or dark; the unanswered queue shows a sparkline per
board. Screens at 1280 and 375 px, light and dark."""

from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.roles import Role
from forum.services import post_create
from moderation.services.temperature import temperature_refresh
from tests.e2e.browser import WIDE, shots_in_both_schemes, sign_in
from tests.e2e.test_axe import _findings


def test_staff_read_the_temperature_with_charts_and_their_tables(
    live_server, new_context, make_user, make_thread, boards, clock
):
    asker = make_user("jamie", display_name="Jamie")
    make_user("sam", role=Role.STAFF, job_title="Support Engineer", display_name="Sam")
    start = clock.now - timedelta(days=6)
    clock.set(start)
    for day in range(6):
        question = make_thread(asker, title=f"Sync stops on day {day}")
        for n in range(day + 1):
            clock.advance(minutes=20)
            post_create(thread=question, author=asker, body=f"Still stuck ({n})")
        clock.set(start + timedelta(days=day + 1))
    clock.set(start + timedelta(days=6, hours=1))
    temperature_refresh(now=clock.now, hours=7 * 24)

    page = new_context(viewport=WIDE).new_page()
    sign_in(page, live_server, "sam")
    page.get_by_role("button", name="Staff").click()
    page.get_by_role("link", name="Temperature").click()
    expect(page.locator("h1")).to_have_text("Temperature")
    expect(page.locator('[data-figure="posts"] td').first).to_have_text("27")

    chart = page.get_by_role(
        "img", name="Posts over time: bars for this period, a line for the period before"
    )
    expect(chart).to_be_visible()
    table = page.locator("#" + chart.get_attribute("aria-describedby"))
    page.locator("details.chart__data summary").first.click()
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(28)
    expect(page.locator(".hot-thread").first).to_contain_text("Sync stops on day 5")
    shots_in_both_schemes(page, "temperature-site")
    findings = _findings(Axe(), page, "temperature")
    assert not findings, "\n".join(findings)

    page.get_by_role("link", name="Last 24 hours").click()
    page.get_by_role("navigation", name="Board").get_by_role("link", name="Help").click()
    expect(page.locator("h1")).to_contain_text("Help")
    expect(page.get_by_role("link", name="Last 24 hours")).to_have_attribute("aria-current", "page")
    shots_in_both_schemes(page, "temperature-help-24h")

    page.goto(live_server.url + "/staff/unanswered/")
    spark = page.locator(".sparkline").filter(has_text="Help")
    expect(spark.get_by_role("img")).to_have_accessible_name("Help: 27 posts in the last 7 days")
    shots_in_both_schemes(page, "temperature-sparklines")

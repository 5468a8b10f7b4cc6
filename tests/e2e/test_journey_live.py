"""Live updates in Chromium, against the ASGI server (HTTP and the /ws/live/ WebSocket).

Jamie (a member) and a visitor have the same thread open. Jamie's reply, then his edit,
appear on the visitor's copy without a reload; when Morgan hides the reply the visitor
sees only the placeholder while Jamie, its author, still sees it with the note; Morgan's
lock brings the banner to both pages and closes Jamie's reply box without losing what he
was typing; Alex publishes an outage notice through the notice pages, and it arrives on
open pages and is listed on /status/.

The page keeps working with the WebSocket refused (and without JavaScript), catches up
after a reconnect, offers a link instead of inserting when the reader is on an earlier
page, shows a scheduled notice at its start and drops it at its end by the clock alone,
remembers a visitor's dismissal in the browser, and a moderator's queue count moves by
itself.
"""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from forum import services as forum_services
from forum.models import Post
from moderation import services as moderation_services
from tests.e2e.browser import field as _field
from tests.e2e.browser import shots as _shots
from tests.e2e.browser import sign_in as _sign_in

WS_URL = re.compile(r"/ws/live/$")

REPLY = "Same here: the export stops at exactly 1,000 rows."
EDITED = "Same here: the export stops at exactly 1,000 rows, on Firefox and Chrome."
UNSENT = "Half-written thoughts about the CSV export that must not vanish"
OUTAGE = "CSV exports are failing for everyone. We're on it."
MISSED = "Written while the page was offline."


def _wait_live(page: Page, *subscriptions: str) -> None:
    """Until the page's script has the server's word on each subscription."""
    wanted = list(subscriptions) or ["notices"]
    page.wait_for_function(
        "wanted => window.porchlightLive && "
        "wanted.every(name => window.porchlightLive.subscribed.includes(name))",
        arg=wanted,
    )


def _open(page: Page, server, thread) -> None:
    page.goto(server.url + thread.get_absolute_url())
    _wait_live(page, f"thread:{thread.pk}", "notices")
    # Set on this document only: still there later means the page was never reloaded.
    page.evaluate("window.__sameDocument = true")


def _not_reloaded(page: Page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def _create_outage_notice(page: Page, server, thread) -> None:
    """Alex publishes an outage notice linked to the thread, through the notice pages."""
    _sign_in(page, server, "alex")
    page.goto(server.url + "/notices/new/")
    _field(page, "Message").fill(OUTAGE)
    page.get_by_role("radio", name=re.compile(r"^Outage")).check()
    _field(page, "Existing discussion thread").fill(str(thread.pk))
    page.get_by_role("button", name="Publish notice").click()
    expect(page).to_have_url(server.url + "/notices/")
    expect(page.locator(".message--success")).to_be_visible()


# --- The journey ---------------------------------------------------------------------------


def test_reply_edit_hide_lock_and_outage_arrive_live_on_open_pages(
    asgi_live_server, new_context, thread, member, moderator, admin_user, guidelines
):
    server = asgi_live_server
    jamie = new_context().new_page()
    _sign_in(jamie, server, "jamie")
    _open(jamie, server, thread)
    visitor = new_context().new_page()
    _open(visitor, server, thread)
    expect(visitor.locator("[data-reply-count]")).to_have_text("0 replies")

    # (1) Jamie replies through the ordinary form; the visitor's copy grows by itself.
    _field(jamie, "Your reply").fill(REPLY)
    jamie.get_by_role("button", name="Post reply").click()
    expect(jamie.locator("article.post").filter(has_text=REPLY)).to_be_visible()
    reply = Post.objects.get(body=REPLY)
    live = visitor.locator(f"#post-{reply.pk}")
    expect(live).to_contain_text(REPLY)
    expect(live.locator(".post__author")).to_have_text("Jamie")
    expect(visitor.locator("article.post")).to_have_count(2)
    expect(visitor.locator("[data-reply-count]")).to_have_text("1 reply")
    expect(visitor.get_by_role("status").filter(has_text="New reply from Jamie.")).to_have_count(1)
    assert _not_reloaded(visitor)
    _shots(visitor, "live-reply")

    # (2) Jamie corrects his reply; the visitor's copy follows.
    _wait_live(jamie, f"thread:{thread.pk}")
    jamie.locator(f"#post-{reply.pk}").get_by_role("link", name="Edit").click()
    _field(jamie, "Message").fill(EDITED)
    jamie.get_by_role("button", name="Save changes").click()
    expect(jamie.locator(f"#post-{reply.pk}")).to_contain_text(EDITED)
    expect(live).to_contain_text(EDITED)
    expect(live.locator(".edited")).to_be_visible()
    expect(visitor.locator("article.post")).to_have_count(2)
    assert _not_reloaded(visitor)

    # (3) Morgan hides it. The visitor gets the placeholder and never the words; Jamie, the
    # author, keeps seeing his words with the moderators' note — on his open page.
    _wait_live(jamie, f"thread:{thread.pk}")
    jamie.evaluate("window.__sameDocument = true")
    morgan = new_context().new_page()
    _sign_in(morgan, server, "morgan")
    morgan.goto(server.url + thread.get_absolute_url())
    morgan.locator(f"#post-{reply.pk}").get_by_role("link", name="Hide").click()
    morgan.get_by_label("G3 — Argue with ideas, not with people").check()
    morgan.get_by_role("button", name="Hide post").click()
    expect(morgan.locator(".message--success")).to_contain_text("hidden from readers")

    expect(live.locator(".post__body--hidden")).to_contain_text("Hidden by moderators under G3")
    expect(live).not_to_contain_text(EDITED)
    assert EDITED not in visitor.content()
    own = jamie.locator(f"#post-{reply.pk}")
    expect(own.locator(".post__hidden-note")).to_contain_text("Hidden from readers by moderators")
    expect(own).to_contain_text(EDITED)
    assert _not_reloaded(visitor) and _not_reloaded(jamie)

    # (4) Jamie is mid-sentence when Morgan locks the thread: both pages show the banner,
    # Jamie's reply box closes, and what he typed is kept for him to copy.
    _field(jamie, "Your reply").fill(UNSENT)
    server.call(
        moderation_services.lockdown_set,
        actor=moderator,
        kind="lock",
        rule_codes=["G3"],
        reason="A short break while the fix ships.",
        thread=thread,
    )
    for page in (visitor, jamie):
        banner = page.locator("#thread-banners .banner--lock")
        expect(banner).to_contain_text("Moderators locked this thread")
        expect(banner).to_contain_text("A short break while the fix ships.")
    reply_box = jamie.locator("#reply")
    expect(reply_box).to_contain_text("Replies are paused while moderators have this thread")
    expect(jamie.get_by_role("button", name="Post reply")).to_have_count(0)
    expect(reply_box.get_by_role("textbox", name="Your unsent reply")).to_have_value(UNSENT)
    expect(visitor.locator("#reply")).to_contain_text("Sign in")
    assert _not_reloaded(visitor) and _not_reloaded(jamie)

    # (5) Alex posts an outage notice; it arrives on both open pages, first in line.
    _create_outage_notice(new_context().new_page(), server, thread)
    for page in (visitor, jamie):
        notice = page.locator("#sitewide-notices .notice--outage")
        expect(notice).to_contain_text(OUTAGE)
        expect(notice.get_by_role("link", name=re.compile("^Discussion"))).to_have_attribute(
            "href", thread.get_absolute_url()
        )
        expect(notice.get_by_role("button", name="Dismiss this notice")).to_have_count(0)
    assert _not_reloaded(visitor) and _not_reloaded(jamie)
    _shots(visitor, "live-outage-notice")
    _shots(jamie, "live-outage-notice-member")

    # The status page lists it, with its thread.
    visitor.goto(server.url + "/status/")
    expect(visitor.get_by_role("main")).to_contain_text(OUTAGE)
    expect(
        visitor.get_by_role("main").locator(f'a[href="{thread.get_absolute_url()}"]').first
    ).to_be_visible()


# --- Without WebSocket ----------------------------------------------------------------------


def test_thread_page_works_fully_with_the_websocket_refused(
    asgi_live_server, new_context, thread, member
):
    server = asgi_live_server
    context = new_context()
    refused = []

    def refuse(ws):
        refused.append(ws.url)
        ws.close()

    context.route_web_socket(WS_URL, refuse)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, server, "jamie")
    page.goto(server.url + thread.get_absolute_url())

    _field(page, "Your reply").fill(REPLY)
    page.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(rf"/t/{thread.pk}/#post-\d+$"))
    expect(page.locator("article.post").filter(has_text=REPLY)).to_be_visible()
    expect(page.locator("[data-reply-count]")).to_have_text("1 reply")
    assert refused, "the script never tried the WebSocket"
    assert page.evaluate("window.porchlightLive.subscribed") == []
    assert errors == []


def test_thread_page_works_fully_without_javascript(asgi_live_server, new_context, thread, member):
    server = asgi_live_server
    page = new_context(java_script_enabled=False).new_page()
    _sign_in(page, server, "jamie")
    page.goto(server.url + thread.get_absolute_url())
    _field(page, "Your reply").fill(REPLY)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("article.post").filter(has_text=REPLY)).to_be_visible()
    expect(page.locator("[data-reply-count]")).to_have_text("1 reply")


# --- Reconnecting ---------------------------------------------------------------------------


def test_page_catches_up_on_replies_written_while_it_was_disconnected(
    asgi_live_server, new_context, thread, other_member
):
    server = asgi_live_server
    context = new_context()
    page = context.new_page()
    _open(page, server, thread)
    attempts = []

    def flaky_network(ws):
        attempts.append(ws.url)
        if len(attempts) == 1:
            # The first attempt to reconnect fails; meanwhile Priya replies.
            server.call(forum_services.post_create, thread=thread, author=other_member, body=MISSED)
            ws.close()
        else:
            ws.connect_to_server()

    context.route_web_socket(WS_URL, flaky_network)
    page.evaluate("window.porchlightLive.socket.close()")

    missed = page.locator("article.post").filter(has_text=MISSED)
    expect(missed).to_be_visible(timeout=20_000)
    expect(missed.locator(".post__author")).to_have_text("Priya")
    expect(page.locator("article.post")).to_have_count(2)
    expect(page.locator("[data-reply-count]")).to_have_text("1 reply")
    assert len(attempts) >= 2
    assert page.evaluate("window.porchlightLive.connections") == 2
    assert page.evaluate("window.porchlightLive.lastPosition") == 2
    assert _not_reloaded(page)

    # Back on the live connection: the next reply is pushed, and shown once.
    _wait_live(page, f"thread:{thread.pk}")
    server.call(forum_services.post_create, thread=thread, author=other_member, body="And again")
    expect(page.locator("article.post").filter(has_text="And again")).to_have_count(1)
    expect(page.locator("article.post")).to_have_count(3)


def test_reader_on_an_earlier_page_is_offered_the_new_reply_not_given_it(
    asgi_live_server, new_context, thread, other_member, settings
):
    settings.FORUM_POSTS_PER_PAGE = 2
    for n in range(2):
        forum_services.post_create(thread=thread, author=other_member, body=f"Early reply {n}")
    server = asgi_live_server
    page = new_context().new_page()
    _open(page, server, thread)  # page 1 of 2
    expect(page.locator("article.post")).to_have_count(2)

    late = server.call(
        forum_services.post_create, thread=thread, author=other_member, body="A late reply"
    )

    link = page.get_by_role("link", name="1 new reply — show")
    expect(link).to_be_visible()
    expect(page.locator("article.post")).to_have_count(2)
    expect(page.locator("[data-reply-count]")).to_have_text("3 replies")
    _shots(page, "live-new-replies-link")
    link.click()
    expect(page).to_have_url(re.compile(rf"/t/{thread.pk}/\?page=2#post-{late.pk}$"))
    expect(page.locator(f"#post-{late.pk}")).to_contain_text("A late reply")


# --- Moderators' queue and visitors' dismissals ------------------------------------------------


def test_moderators_queue_count_changes_by_itself(
    asgi_live_server, new_context, thread, moderator, other_member, guidelines
):
    server = asgi_live_server
    page = new_context().new_page()
    _sign_in(page, server, "morgan")
    page.goto(server.url + "/")
    _wait_live(page, "notices", "queue")
    queue = page.locator("#review-queue-link")
    expect(queue.locator(".count")).to_have_count(0)

    opening = thread.posts.get(position=1)
    server.call(
        moderation_services.flag_create,
        flagger=other_member,
        post=opening,
        reason="rule",
        rule_code="G3",
    )
    expect(queue.locator(".count")).to_have_text("1")
    expect(queue.locator(".count")).to_have_attribute("aria-label", "1 open item")


def test_visitor_dismisses_an_info_notice_in_this_browser(
    asgi_live_server, new_context, thread, admin_user
):
    server = asgi_live_server
    context = new_context()
    page = context.new_page()
    page.goto(server.url + "/")
    _wait_live(page, "notices")
    notice = server.call(
        forum_services.notice_create,
        actor=admin_user,
        message="The forum gets a new look on Monday.",
        level="info",
    )
    shown = page.locator(f'[data-notice-id="{notice.pk}"]')
    expect(shown).to_contain_text("new look on Monday")
    shown.get_by_role("button", name="Dismiss this notice").click()
    expect(shown).to_be_hidden()

    # Remembered by this browser on every page, not by another one.
    page.goto(server.url + thread.get_absolute_url())
    expect(page.locator(f'[data-notice-id="{notice.pk}"]')).to_be_hidden()
    other = new_context().new_page()
    other.goto(server.url + thread.get_absolute_url())
    expect(other.locator(f'[data-notice-id="{notice.pk}"]')).to_be_visible()


def test_scheduled_notice_comes_and_goes_on_time_without_the_websocket(
    asgi_live_server, new_context, thread, admin_user
):
    server = asgi_live_server
    context = new_context()
    context.route_web_socket(WS_URL, lambda ws: ws.close())  # no pushes: the clock alone
    starts = timezone.now() + timedelta(seconds=3)
    forum_services.notice_create(
        actor=admin_user,
        message="Planned maintenance: exports pause for a few seconds.",
        level="warning",
        thread=thread,
        starts_at=starts,
        ends_at=starts + timedelta(seconds=3),
    )
    page = context.new_page()
    page.goto(server.url + thread.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    notices = page.locator("#sitewide-notices")
    expect(notices.locator(".notice")).to_have_count(0)

    expect(notices.locator(".notice--warning")).to_contain_text(
        "Planned maintenance", timeout=8_000
    )
    expect(notices.locator(".notice")).to_have_count(0, timeout=8_000)
    assert _not_reloaded(page)


def test_a_bug_status_change_arrives_live(
    asgi_live_server, new_context, boards, make_thread, member, staff
):
    """Staff confirm a bug; the reporter's open page shows the new status without a
    reload."""
    from forum.services import statuses

    server = asgi_live_server
    bug = make_thread(member, board=boards["bugs"], title="Export crashes on big files")
    page = new_context().new_page()
    _open(page, server, bug)
    expect(page.locator("#thread-status")).to_contain_text("New")

    server.call(
        statuses.thread_set_status,
        thread=bug,
        actor=staff,
        status="confirmed",
        reason="Reproduced with a 2 GB file.",
    )
    expect(page.locator("#thread-status")).to_contain_text("Confirmed")
    expect(page.locator("#thread-status")).to_contain_text("Reproduced with a 2 GB file.")
    assert _not_reloaded(page)


def test_replies_read_live_are_remembered_as_read(
    asgi_live_server, new_context, thread, member, other_member
):
    """Jamie sees Priya's reply arrive on his open page; his next visit starts after it."""
    from forum.models import ReadMarker

    server = asgi_live_server
    page = new_context().new_page()
    _sign_in(page, server, "jamie")
    _open(page, server, thread)
    server.call(forum_services.post_create, thread=thread, author=other_member, body=REPLY)
    expect(page.locator("article.post").filter(has_text=REPLY)).to_be_visible()

    def marker() -> int:
        return server.call(lambda: ReadMarker.objects.get(user=member, thread=thread).position)

    for _ in range(50):  # the script reports about two seconds after the reply arrives
        if marker() == 2:
            break
        page.wait_for_timeout(200)
    assert marker() == 2
    assert _not_reloaded(page)

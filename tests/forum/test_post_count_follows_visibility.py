"""A member's post count (on their profile and beside their posts) counts exactly the
posts readers can see: not hidden by moderators, not held for review, not in a thread
whose opening post is hidden. Every path that hides or shows posts keeps it so, and
every reversal puts it back."""

from importlib import import_module

import pytest
from django.apps import apps

from accounts.models import User
from forum import selectors
from forum.models import Post
from forum.services import post_create, post_edit, thread_create
from moderation import services as moderation
from moderation.models import ModerationAction, ReviewItem

pytestmark = pytest.mark.django_db

HOLD = {"action": "hold", "score": 0.97, "reasons": ["It looks like spam."]}


def counted(user) -> int:
    user.refresh_from_db(fields=["post_count"])
    return user.post_count


def public_count(user) -> int:
    return selectors.public_posts().filter(author=user).count()


def assert_exact(*users) -> None:
    for user in users:
        assert counted(user) == public_count(user), user.username


def held_item(post) -> ReviewItem:
    return ReviewItem.objects.get(post=post, kind=ReviewItem.Kind.HELD_POST, decided_at=None)


def open_held_item(post) -> ReviewItem:
    return ReviewItem.objects.create(
        kind=ReviewItem.Kind.HELD_POST, post=post, member_id=post.author_id,
        created_at=post.created_at,
    )  # fmt: skip


def test_hiding_and_restoring_a_reply_moves_its_authors_count(
    thread, other_member, moderator, guidelines
):
    reply = post_create(thread=thread, author=other_member, body="Rude words")
    assert counted(other_member) == 1
    moderation.post_hide(actor=moderator, post=reply, rule_codes=["G3"])
    assert counted(other_member) == 0
    assert moderation.post_hide(actor=moderator, post=reply, rule_codes=["G3"]) is False
    assert counted(other_member) == 0
    hide = ModerationAction.objects.get(kind="post_hide", post=reply)
    moderation.action_reverse(actor=moderator, action=hide)
    assert counted(other_member) == 1


def test_hiding_an_opening_post_takes_the_whole_thread_off_every_authors_count(
    thread, member, other_member, staff, moderator, guidelines
):
    post_create(thread=thread, author=other_member, body="Same here")
    post_create(thread=thread, author=staff, body="Looking into it")
    opening = Post.objects.get(thread=thread, position=1)
    assert (counted(member), counted(other_member), counted(staff)) == (1, 1, 1)
    moderation.post_hide(actor=moderator, post=opening, rule_codes=["G4"])
    assert (counted(member), counted(other_member), counted(staff)) == (0, 0, 0)
    assert_exact(member, other_member, staff)
    moderation.post_restore(actor=moderator, post=opening)
    assert (counted(member), counted(other_member), counted(staff)) == (1, 1, 1)


def test_a_reply_hidden_before_its_thread_stays_uncounted_when_the_thread_comes_back(
    thread, member, other_member, moderator, guidelines
):
    reply = post_create(thread=thread, author=other_member, body="Rude words")
    opening = Post.objects.get(thread=thread, position=1)
    moderation.post_hide(actor=moderator, post=reply, rule_codes=["G3"])
    moderation.post_hide(actor=moderator, post=opening, rule_codes=["G4"])
    moderation.post_restore(actor=moderator, post=opening)
    assert (counted(member), counted(other_member)) == (1, 0)
    assert_exact(member, other_member)


def test_held_posts_never_count_and_approval_counts_them_once(
    thread, member, other_member, moderator, help_board
):
    reply = post_create(thread=thread, author=other_member, body="Buy now", screening=HOLD)
    held_thread = thread_create(
        board=help_board, author=other_member, title="Cheap watches", body="Buy", screening=HOLD
    )
    assert counted(other_member) == 0
    for post in (reply, held_thread.last_post):
        moderation.review_item_decide(
            actor=moderator, item=open_held_item(post), decision=ReviewItem.Decision.APPROVE
        )
    assert counted(other_member) == 2
    assert_exact(member, other_member)
    approval = ModerationAction.objects.filter(kind="held_approve", post=reply).get()
    moderation.action_reverse(actor=moderator, action=approval)
    assert counted(other_member) == 1
    assert_exact(other_member)


def test_an_edit_held_for_review_leaves_the_count_until_approved(thread, other_member, moderator):
    reply = post_create(thread=thread, author=other_member, body="Fine words")
    assert counted(other_member) == 1
    post_edit(post=reply, editor=other_member, body="Now with spam", screening=HOLD)
    assert counted(other_member) == 0
    moderation.review_item_decide(
        actor=moderator, item=open_held_item(reply), decision=ReviewItem.Decision.APPROVE
    )
    assert counted(other_member) == 1
    approval = ModerationAction.objects.get(kind="held_approve", post=reply)
    moderation.action_reverse(actor=moderator, action=approval)
    assert counted(other_member) == 0


def test_spam_deletion_and_its_reversal_keep_every_count_exact(
    thread, member, other_member, staff, admin_user, moderator, help_board, guidelines
):
    spam_thread = thread_create(
        board=help_board, author=other_member, title="Great deals", body="Visit my shop"
    )
    post_create(thread=spam_thread, author=member, body="Is this real?")
    post_create(thread=thread, author=other_member, body="Visit my shop too")
    post_create(thread=thread, author=other_member, body="And again", screening=HOLD)
    assert (counted(member), counted(other_member)) == (2, 2)
    deletion = moderation.spam_delete(actor=admin_user, member=other_member)
    assert (counted(member), counted(other_member)) == (1, 0)
    assert_exact(member, other_member)
    moderation.action_reverse(actor=admin_user, action=deletion)
    # Everything the deletion hid comes back, the post it found held included.
    assert (counted(member), counted(other_member)) == (2, 3)
    assert_exact(member, other_member, staff)


def test_a_reply_in_a_hidden_thread_counts_only_once_the_thread_is_shown(
    thread, member, moderator, guidelines
):
    opening = Post.objects.get(thread=thread, position=1)
    moderation.post_hide(actor=moderator, post=opening, rule_codes=["G4"])
    thread.refresh_from_db()
    post_create(thread=thread, author=moderator, body="Why this was hidden")
    assert (counted(member), counted(moderator)) == (0, 0)
    moderation.post_restore(actor=moderator, post=opening)
    assert (counted(member), counted(moderator)) == (1, 1)
    assert_exact(member, moderator)


def test_the_profile_shows_the_visible_count(client, thread, other_member, moderator, guidelines):
    reply = post_create(thread=thread, author=other_member, body="Rude words")
    post_create(thread=thread, author=other_member, body="Kind words")
    moderation.post_hide(actor=moderator, post=reply, rule_codes=["G3"])
    html = client.get(other_member.get_absolute_url()).content.decode()
    assert "1 post" in html and "2 posts" not in html


def test_the_migration_recounts_every_member_from_their_public_posts(
    thread, member, other_member, moderator, guidelines
):
    reply = post_create(thread=thread, author=other_member, body="Rude words")
    moderation.post_hide(actor=moderator, post=reply, rule_codes=["G3"])
    User.objects.update(post_count=7)
    import_module("forum.migrations.0011_post_count_public_posts").recount(apps, None)
    assert (counted(member), counted(other_member), counted(moderator)) == (1, 0, 0)

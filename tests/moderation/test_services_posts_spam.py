"""Hiding and restoring posts, and delete-as-spam: one log row per verb, reversals that
restore exactly what was there, and nothing ever deleted."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from forum import selectors as forum_selectors
from forum.models import Post
from forum.permissions import check_edit_post, check_reply
from forum.services import post_create
from moderation.models import Block, ModerationAction
from moderation.permissions import check_delete_spam, check_reverse_action
from moderation.selectors import active_block
from moderation.services import (
    action_reverse,
    block_create,
    post_hide,
    post_restore,
    spam_delete,
    spam_restore,
)
from tests.moderation.service_helpers import (
    clock_fixture,  # noqa: F401 - fixture "clock"
    counts,
    fresh,
    latest_message,
    new_rows,
)
from tests.task_runner import run_ready_tasks

Kind = ModerationAction.Kind


@pytest.fixture
def post(thread):
    return thread.posts.get()


def _snapshot(post: Post) -> tuple:
    post.refresh_from_db()
    return (post.is_hidden, post.hidden_rule_code, post.body, post.body_html, post.edited_at)


# --- Hide and restore --------------------------------------------------------------------


def test_hiding_keeps_the_content_logs_once_and_tells_the_author(
    guidelines, post, member, moderator, django_capture_on_commit_callbacks
):
    body, body_html = post.body, post.body_html
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        action = post_hide(actor=moderator, post=post, rule_codes=["G3"], note="Tone it down.")
    run_ready_tasks()
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert (action.kind, action.post, action.member, action.rules) == (
        Kind.POST_HIDE,
        post,
        member,
        ["G3"],
    )
    assert _snapshot(post) == (True, "G3", body, body_html, None)
    message = latest_message(member)
    assert "hidden from readers under rule G3 (Argue with ideas, not with people)" in message.body
    assert "nothing was deleted" in message.body
    assert f"/moderation/appeals/new/{action.pk}/" in message.body
    assert len(mail.outbox) == 1 and "Morgan" not in mail.outbox[0].body


def test_hiding_a_hidden_post_changes_nothing(guidelines, post, moderator):
    post_hide(actor=moderator, post=post, rule_codes=["G3"])
    before = counts()
    assert post_hide(actor=moderator, post=post, rule_codes=["G1"]) is False
    assert new_rows(before) == {}
    assert _snapshot(post)[:2] == (True, "G3")


def test_restore_brings_the_post_back_exactly(guidelines, post, member, moderator):
    original = _snapshot(post)
    hide = post_hide(actor=moderator, post=post, rule_codes=["G3", "G1"])
    before = counts()
    restore = post_restore(actor=moderator, post=post, note="Misread it.")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert restore.kind == Kind.POST_RESTORE and restore.reverses == hide
    assert restore.rules == ["G3", "G1"]
    assert _snapshot(post) == original
    assert latest_message(member).subject == "Your post is visible again"
    before = counts()
    assert post_restore(actor=moderator, post=post) is False
    assert new_rows(before) == {}


def test_reversing_a_hide_from_the_log_is_the_same_restore(guidelines, post, moderator):
    original = _snapshot(post)
    hide = post_hide(actor=moderator, post=post, rule_codes=["G3"])
    before = counts()
    reversal = action_reverse(actor=moderator, action=hide)
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.kind == Kind.POST_RESTORE and reversal.reverses == hide
    assert _snapshot(post) == original
    assert action_reverse(actor=moderator, action=hide) is False


def test_the_author_cannot_edit_a_hidden_post(guidelines, post, member, moderator):
    post_hide(actor=moderator, post=post, rule_codes=["G3"])
    with pytest.raises(PermissionDenied, match="Moderators hid this post"):
        check_edit_post(member, Post.objects.get(pk=post.pk))


@pytest.mark.parametrize(
    ("rules", "words"),
    [(["G0"], "There is no rule G0"), ([], "Cite at least one"), ("nonsense", "no rule NONSENSE")],
)
def test_hiding_with_a_bad_rule_changes_nothing(guidelines, post, moderator, rules, words):
    original = _snapshot(post)
    before = counts()
    with pytest.raises(ValidationError, match=words):
        post_hide(actor=moderator, post=post, rule_codes=rules)
    assert new_rows(before) == {}
    assert _snapshot(post) == original


def test_acting_on_a_missing_post_is_a_404_and_changes_nothing(guidelines, post, moderator):
    with pytest.raises(Http404):
        forum_selectors.post_get_for_user(user=moderator, post_id=post.pk + 1000)
    ghost = Post(pk=post.pk + 1000, thread=post.thread, author=post.author)
    before = counts()
    with pytest.raises(Post.DoesNotExist):
        post_hide(actor=moderator, post=ghost, rule_codes=["G3"])
    with pytest.raises(Post.DoesNotExist):
        post_restore(actor=moderator, post=ghost)
    assert new_rows(before) == {}


def test_moderation_never_needs_a_guidelines_version_to_restore(guidelines, post, moderator):
    """A restore cites the rules of the hide it reverses, even without new input."""
    post_hide(actor=moderator, post=post, rule_codes=["G5"])
    assert post_restore(actor=moderator, post=post).rules == ["G5"]


# --- Delete as spam ----------------------------------------------------------------------


@pytest.fixture
def spammer(make_user, make_thread, thread):
    """A spammer with three visible posts: an opening post, a reply in Jamie's thread,
    and a reply in their own thread (returned, for tests that hide it first)."""
    spammer = make_user("spammy", display_name="Spammy")
    own = make_thread(spammer, title="Cheap watches", body="Buy now.")
    post_create(thread=thread, author=spammer, body="Visit my site.")
    earlier = post_create(thread=own, author=spammer, body="Off topic.")
    return spammer, earlier


def test_delete_as_spam_hides_every_post_bans_and_logs_once(
    guidelines, admin_user, spammer, django_capture_on_commit_callbacks
):
    spammer, earlier = spammer
    post_hide(actor=admin_user, post=earlier, rule_codes=["G2"])
    visible = set(Post.objects.filter(author=spammer, is_hidden=False).values_list("pk", flat=True))
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        action = spam_delete(actor=admin_user, member=spammer, rule_codes=["G4"], note="Links.")
    run_ready_tasks()
    assert new_rows(before) == {"actions": 1, "blocks": 1, "messages": 1}
    assert action.kind == Kind.SPAM_DELETE
    assert set(action.details["hidden_post_ids"]) == visible
    assert not Post.objects.filter(author=spammer, is_hidden=False).exists()
    assert Post.objects.get(pk=earlier.pk).hidden_rule_code == "G2"  # untouched
    ban = active_block(spammer.pk)
    assert ban.kind == Block.Kind.BAN and ban.ends_at is None and ban == action.block
    with pytest.raises(PermissionDenied, match="banned as spam"):
        check_reply(fresh(spammer), earlier.thread)
    message = latest_message(spammer)
    assert "G4 (No spam or self-promotion)" in message.body
    assert f"/moderation/appeals/new/{action.pk}/" in message.body
    assert [m.to for m in mail.outbox] == [[spammer.email]]


def test_a_second_spam_deletion_is_refused(guidelines, admin_user, spammer):
    spam_delete(actor=admin_user, member=spammer[0], rule_codes=["G4"])
    before = counts()
    with pytest.raises(ValidationError, match="already banned"):
        spam_delete(actor=admin_user, member=spammer[0], rule_codes=["G4"])
    assert new_rows(before) == {}


def test_spam_restore_brings_back_only_the_posts_it_hid(guidelines, admin_user, spammer):
    spammer, earlier = spammer
    post_hide(actor=admin_user, post=earlier, rule_codes=["G2"])
    states = {p.pk: _snapshot(p) for p in Post.objects.filter(author=spammer)}
    action = spam_delete(actor=admin_user, member=spammer, rule_codes=["G4"])
    before = counts()
    reversal = spam_restore(actor=admin_user, action=action, note="Real customer.")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.kind == Kind.SPAM_RESTORE and reversal.reverses == action
    assert {p.pk: _snapshot(p) for p in Post.objects.filter(author=spammer)} == states
    assert Post.objects.get(pk=earlier.pk).is_hidden  # hidden for another reason: stays
    assert active_block(spammer.pk) is None
    ban = Block.objects.get(pk=action.block_id)
    assert ban.lifted_by == admin_user and ban.lift_note == "Real customer."
    assert spam_restore(actor=admin_user, action=action) is False


def test_one_post_of_a_spam_deletion_cannot_be_restored_on_its_own(guidelines, admin_user, spammer):
    """A spam deletion is undone as a whole (by an admin), never post by post, so the ban
    and the hidden posts cannot drift apart."""
    spammer, _ = spammer
    spam_delete(actor=admin_user, member=spammer, rule_codes=["G4"])
    reply = Post.objects.filter(author=spammer).order_by("pk")[1]
    actions_before = ModerationAction.objects.count()
    with pytest.raises(ValidationError) as exc:
        post_restore(actor=admin_user, post=reply)
    assert "reverse the spam deletion" in exc.value.messages[0]
    reply.refresh_from_db()
    assert reply.is_hidden
    assert ModerationAction.objects.count() == actions_before


def test_spam_restore_brings_back_the_block_the_ban_cut_short(
    guidelines, admin_user, moderator, spammer, clock
):
    spammer, _ = spammer
    block = block_create(
        actor=moderator, member=spammer, duration="7d", rule_codes=["G1"], reason="Rude."
    ).block
    action = spam_delete(actor=admin_user, member=spammer, rule_codes=["G4"])
    block.refresh_from_db()
    assert block.lift_note == "Superseded by a spam ban."
    clock.advance(days=1)
    reversal = spam_restore(actor=admin_user, action=action)
    assert reversal.details["revived_block_ids"] == [block.pk]
    assert active_block(spammer.pk) == block
    assert "The block you had before the ban applies again" in latest_message(spammer).body


def test_spam_restore_does_not_revive_a_block_that_would_have_ended(
    guidelines, admin_user, moderator, spammer, clock
):
    spammer, _ = spammer
    block_create(actor=moderator, member=spammer, duration="1h", rule_codes=["G1"], reason="x")
    action = spam_delete(actor=admin_user, member=spammer, rule_codes=["G4"])
    clock.advance(hours=2)
    spam_restore(actor=admin_user, action=action)
    assert active_block(spammer.pk) is None


def test_only_an_admin_reverses_a_spam_deletion(guidelines, admin_user, moderator, spammer):
    action = spam_delete(actor=admin_user, member=spammer[0], rule_codes=["G4"])
    with pytest.raises(PermissionDenied, match="Only an admin can reverse a spam deletion"):
        check_reverse_action(moderator, action)
    check_reverse_action(admin_user, action)
    reversal = action_reverse(actor=admin_user, action=action)
    assert reversal.kind == Kind.SPAM_RESTORE
    with pytest.raises(PermissionDenied, match="already been reversed"):
        check_reverse_action(admin_user, ModerationAction.objects.get(pk=action.pk))


def test_staff_and_moderators_cannot_be_deleted_as_spam(
    guidelines, admin_user, staff, moderator, member
):
    with pytest.raises(PermissionDenied, match="Staff accounts can't be deleted as spam"):
        check_delete_spam(admin_user, staff)
    with pytest.raises(PermissionDenied, match="can't be blocked"):
        check_delete_spam(admin_user, moderator)
    check_delete_spam(admin_user, member)


def test_spam_delete_needs_a_known_rule(guidelines, admin_user, spammer):
    before = counts()
    with pytest.raises(ValidationError, match="There is no rule G77"):
        spam_delete(actor=admin_user, member=spammer[0], rule_codes=["G77"])
    assert new_rows(before) == {}
    assert Post.objects.filter(author=spammer[0], is_hidden=False).count() == 3


# --- Nothing is deleted ------------------------------------------------------------------


def test_no_moderation_path_removes_a_post_row(guidelines, admin_user, moderator, spammer):
    spammer, earlier = spammer
    seen = [Post.objects.count()]
    hide = post_hide(actor=moderator, post=earlier, rule_codes=["G2"])
    seen.append(Post.objects.count())
    action_reverse(actor=moderator, action=hide)
    seen.append(Post.objects.count())
    action = spam_delete(actor=admin_user, member=spammer, rule_codes=["G4"])
    seen.append(Post.objects.count())
    action_reverse(actor=admin_user, action=action)
    seen.append(Post.objects.count())
    assert len(set(seen)) == 1
    assert ModerationAction.objects.filter(kind=Kind.POST_HIDE).count() == 1  # append-only

"""Hiding a post under a rule, and showing it again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forum import realtime
from forum.models import Post
from forum.services.visibility import posts_set_hidden
from moderation.formatting import rule_phrase
from moderation.models import Appeal, ModerationAction
from moderation.rules import clean_rule_codes
from moderation.services.log import (
    appeal_line,
    in_language_of,
    log_action,
    log_reversal,
    note_line,
    tell,
    tell_reversal,
)

Kind = ModerationAction.Kind


def posts_changed(post_ids) -> None:
    """Tell open copies of the threads that these posts changed (after commit)."""
    for post in Post.objects.filter(pk__in=list(post_ids)).only(
        "pk", "thread_id", "revision_count", "is_hidden", "hidden_rule_code"
    ):
        realtime.post_changed(post)


@transaction.atomic
def post_hide(*, actor, post: Post, rule_codes, note: str = "") -> ModerationAction | bool:
    """Hide a post from readers under a rule. The content stays; the author is told.
    Returns False (and logs nothing) if it was already hidden."""
    rules = clean_rule_codes(rule_codes)
    note = (note or "").strip()
    locked = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "author")
        .get(pk=post.pk)
    )
    if locked.is_hidden:
        return False
    posts_set_hidden(post_ids=[locked.pk], hidden=True, rule_code=rules[0])
    locked.is_hidden, locked.hidden_rule_code = True, rules[0]
    post.is_hidden, post.hidden_rule_code = True, rules[0]
    action = log_action(
        Kind.POST_HIDE,
        actor=actor,
        rules=rules,
        member_id=locked.author_id,
        post=locked,
        thread=locked.thread,
        note=note,
    )
    with in_language_of(locked.author):
        tell(
            locked.author,
            subject=_("Moderators hid one of your posts"),
            body=(
                _(
                    "Your post in “%(title)s” is hidden from readers under %(rules)s. You and "
                    "moderators can still see it; nothing was deleted."
                )
                % {"title": locked.thread.title, "rules": rule_phrase(rules)}
                + note_line(note)
                + f"\n\n{appeal_line(action)}"
            ),
            link=locked.get_absolute_url(),
            action=action,
        )
    realtime.post_changed(locked)
    return action


def _hidden_by_spam_deletion(post: Post) -> bool:
    """Whether an unreversed spam deletion of the author hid this post (JSON lookups differ
    between databases, so the few deletions per member are read and checked here)."""
    deletions = ModerationAction.objects.filter(
        kind=Kind.SPAM_DELETE, member_id=post.author_id, reversed_by__isnull=True
    ).values_list("details", flat=True)
    return any(post.pk in details.get("hidden_post_ids", []) for details in deletions)


@transaction.atomic
def post_restore(
    *,
    actor,
    post: Post,
    note: str = "",
    reverses: ModerationAction | None = None,
    appeal: Appeal | None = None,
) -> ModerationAction | bool:
    """Show a hidden post again, unchanged (the body was never touched). Reverses the
    hide that hid it. Returns False if the post is not hidden."""
    note = (note or "").strip()
    locked = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "author")
        .get(pk=post.pk)
    )
    if not locked.is_hidden:
        return False
    if locked.held_at is not None:
        # Publishing a held post is the queue's "Approve": it notifies as if new.
        raise ValidationError(
            _(
                "This post is held for review. Approve it from its item in the review queue, "
                "which publishes it and tells its readers as if it were new."
            )
        )
    if reverses is None and _hidden_by_spam_deletion(locked):
        raise ValidationError(
            _(
                "This post was hidden when its author's account was deleted as spam. An admin "
                "can reverse the spam deletion from the moderation log, which brings back all "
                "of its posts and lifts the ban."
            )
        )
    if reverses is None:
        reverses = (
            ModerationAction.objects.filter(
                kind=Kind.POST_HIDE, post=locked, reversed_by__isnull=True
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    posts_set_hidden(post_ids=[locked.pk], hidden=False)
    locked.is_hidden, locked.hidden_rule_code = False, ""
    post.is_hidden, post.hidden_rule_code = False, ""
    action = log_reversal(
        Kind.POST_RESTORE,
        appeal=appeal,
        actor=actor,
        rules=reverses.rules if reverses else (),
        member_id=locked.author_id,
        post=locked,
        thread=locked.thread,
        note=note,
        reverses=reverses,
    )
    with in_language_of(locked.author):
        tell_reversal(
            locked.author,
            subject=_("Your post is visible again"),
            body=_("Moderators restored your post in “%(title)s”, unchanged.")
            % {"title": locked.thread.title}
            + note_line(note),
            link=locked.get_absolute_url(),
            action=action,
            appeal=appeal,
        )
    realtime.post_changed(locked)
    return action

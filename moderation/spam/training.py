"""Moderators teach the filter: approving a held post counts its tokens as ham,
deleting as spam counts them as spam. Counts are per site, in ``SpamTokenCount``."""

import logging

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from forum.models import Post
from moderation.models import SpamTokenCount
from moderation.spam.tokens import tokenize

log = logging.getLogger(__name__)

# A spammer with hundreds of posts should not outweigh the whole starter corpus in one
# decision; their latest posts say all there is to learn.
MAX_POSTS_PER_DECISION = 20


@transaction.atomic
def spam_filter_learn(*, title: str = "", body: str, is_spam: bool, actor) -> int:
    """Count one decided post: every distinct token of it, and the message total, go up
    by one on the spam or the ham side. Missing rows are inserted first (a conflict
    with a concurrent insert is ignored), then one UPDATE adds 1 to each in the
    database, so two decisions at the same moment both count. ``actor`` is the
    moderator whose decision this is. Returns the number of tokens counted."""
    tokens = tokenize(title=title, body=body)
    names = [*tokens, SpamTokenCount.MESSAGES]
    SpamTokenCount.objects.bulk_create(
        [SpamTokenCount(token=token) for token in names], ignore_conflicts=True
    )
    side = "spam" if is_spam else "ham"
    SpamTokenCount.objects.filter(token__in=names).update(**{side: F(side) + 1})
    log.info("Spam filter learned a %s post (%d tokens) from %s.", side, len(tokens), actor)
    return len(tokens)


@transaction.atomic
def spam_filter_forget(*, title: str = "", body: str, was_spam: bool, actor) -> int:
    """Undo ``spam_filter_learn`` for a decision that was reversed: the same tokens and
    the message total go down by one on that side, never below zero (an edited post may
    have tokens that were never counted). Returns the number of tokens uncounted."""
    tokens = tokenize(title=title, body=body)
    names = [*tokens, SpamTokenCount.MESSAGES]
    side = "spam" if was_spam else "ham"
    SpamTokenCount.objects.filter(token__in=names).update(**{side: Greatest(F(side) - 1, Value(0))})
    log.info("Spam filter forgot a %s post (%d tokens) for %s.", side, len(tokens), actor)
    return len(tokens)


def _decided_posts(post_ids):
    posts = (
        Post.objects.filter(pk__in=list(post_ids))
        .select_related("thread")
        .order_by("-created_at", "-pk")[:MAX_POSTS_PER_DECISION]
    )
    # An opening post is learned with its thread's title.
    return [(post.thread.title if post.position == 1 else "", post.body) for post in posts]


@transaction.atomic
def spam_filter_learn_posts(*, post_ids, is_spam: bool, actor) -> int:
    """Teach the filter from posts by id (the latest ``MAX_POSTS_PER_DECISION``), an
    opening post with its thread's title. Returns how many posts were counted."""
    decided = _decided_posts(post_ids)
    for title, body in decided:
        spam_filter_learn(title=title, body=body, is_spam=is_spam, actor=actor)
    return len(decided)


@transaction.atomic
def spam_filter_forget_posts(*, post_ids, was_spam: bool, actor) -> int:
    """The reversal of ``spam_filter_learn_posts`` with the same ``post_ids`` (it picks
    the same posts). Returns how many posts were uncounted."""
    decided = _decided_posts(post_ids)
    for title, body in decided:
        spam_filter_forget(title=title, body=body, was_spam=was_spam, actor=actor)
    return len(decided)

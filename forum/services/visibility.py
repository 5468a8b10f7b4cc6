"""Hiding and showing posts: the one write that changes what readers can see of a post,
and with it every counter that public lists read.

Moderation verbs (hide, restore, delete as spam and its reversal) call
``posts_set_hidden``; it flips the posts and, in the same transaction, brings their
threads (hidden when the opening post is, visible replies, last post and poster, last
activity) and boards (threads, posts, latest post) up to date, so the board index, board
pages, the unanswered queue and the front page's "latest" never show a hidden post and
never count one. Reads use ``forum.selectors.public_threads`` / ``public_posts``.

It also keeps every member's ``post_count`` equal to their public posts (not hidden, not
held, not in a hidden thread): a post counts from the moment it is public until it is
hidden, and a thread whose opening post is hidden or shown takes its other visible posts
off, or back onto, their authors' counts.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Greatest

from accounts.models import User
from forum import realtime
from forum.models import Board, Post, Thread
from forum.services import answers, emails, notifications, webhooks


def _public_post_total(thread: Thread) -> int:
    """The posts of ``thread`` that count on its board right now."""
    if thread.is_hidden or thread.last_post_id is None:
        return 0
    return 1 + thread.shown_reply_count


def _refresh_last_post(thread: Thread) -> None:
    """Point the thread at its latest visible post (its activity time and poster too), so a
    hidden spam reply neither keeps the thread on top of its board nor names its author."""
    latest = (
        Post.objects.filter(thread=thread, is_hidden=False)
        .order_by("-position")
        .only("pk", "author_id", "created_at")
        .first()
    )
    if latest is None:
        return  # nothing is visible: the thread is hidden, so these fields show nowhere
    thread.last_post_id = latest.pk
    thread.last_poster_id = latest.author_id
    thread.last_activity_at = latest.created_at


def _adjust_post_counts(deltas: dict[int, int]) -> None:
    """Move members' post counts by ``deltas`` (member id → change). The rows are locked
    in id order first, so two hidings touching the same members never deadlock; then one
    update per distinct change."""
    deltas = {pk: delta for pk, delta in deltas.items() if delta}
    if not deltas:
        return
    list(
        User.objects.select_for_update(no_key=True)
        .filter(pk__in=deltas)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    by_delta: dict[int, list[int]] = defaultdict(list)
    for pk, delta in deltas.items():
        by_delta[delta].append(pk)
    for delta, pks in by_delta.items():
        User.objects.filter(pk__in=pks).update(
            post_count=Greatest(F("post_count") + Value(delta), Value(0))
        )


def _refresh_board(board: Board) -> None:
    latest = (
        Thread.objects.filter(board=board, is_hidden=False, last_post__isnull=False)
        .order_by("-last_activity_at", "-pk")
        .values_list("last_post_id", "last_activity_at")
        .first()
    )
    board.last_post_id, board.last_activity_at = latest or (None, None)


@transaction.atomic
def posts_set_hidden(*, post_ids, hidden: bool, rule_code: str = "") -> list[int]:
    """Hide (``hidden=True``, under ``rule_code``) or show the given posts, and keep their
    threads' and boards' counters exact. Posts already in that state are left alone;
    returns the ids that changed, in order.

    Rows are locked posts, then threads, then boards, each in id order (the order
    ``post_edit`` and replies use), so concurrent moderation and replies never deadlock
    and never lose a count. The locks are "no key update" ones: a reply being written
    elsewhere only needs the rows to stay (its notifications point at the thread and
    at the members), and must not wait for them. Callers tell live pages
    (``realtime.post_changed``)."""
    changed = list(
        Post.objects.select_for_update(no_key=True)
        .filter(pk__in=list(post_ids), is_hidden=not hidden)
        .order_by("pk")
        .values_list("pk", "thread_id", "position", "author_id")
    )
    if not changed:
        return []
    changed_ids = [pk for pk, _, _, _ in changed]
    Post.objects.filter(pk__in=changed_ids).update(
        is_hidden=hidden, hidden_rule_code=rule_code if hidden else ""
    )
    by_thread: dict[int, list[int]] = defaultdict(list)
    authors_by_thread: dict[int, list[int]] = defaultdict(list)
    for _, thread_id, position, author_id in changed:
        by_thread[thread_id].append(position)
        authors_by_thread[thread_id].append(author_id)
    threads = list(
        Thread.objects.select_for_update(no_key=True).filter(pk__in=by_thread).order_by("pk")
    )
    board_posts: dict[int, int] = defaultdict(int)
    board_threads: dict[int, int] = defaultdict(int)
    author_counts: dict[int, int] = defaultdict(int)
    flipped: dict[int, int] = {}  # thread id → +1 shown, -1 hidden
    for thread in threads:
        positions = by_thread[thread.pk]
        before = _public_post_total(thread)
        was_public = not thread.is_hidden
        replies = sum(1 for position in positions if position > 1)
        thread.hidden_reply_count += replies if hidden else -replies
        if 1 in positions:
            thread.is_hidden = hidden
            board_threads[thread.board_id] += -1 if hidden else 1
        _refresh_last_post(thread)
        thread.save(
            update_fields=[
                "is_hidden",
                "hidden_reply_count",
                "last_post",
                "last_poster",
                "last_activity_at",
            ]
        )
        board_posts[thread.board_id] += _public_post_total(thread) - before
        # The changed posts counted before when they were visible (being hidden now) in a
        # public thread, and count after when shown in a public thread.
        now_public = not thread.is_hidden
        change = int(not hidden and now_public) - int(hidden and was_public)
        for author_id in authors_by_thread[thread.pk]:
            author_counts[author_id] += change
        if now_public != was_public:
            flipped[thread.pk] = 1 if now_public else -1
    if flipped:
        others = (
            Post.objects.filter(thread_id__in=flipped, is_hidden=False)
            .exclude(pk__in=changed_ids)
            .values_list("thread_id", "author_id")
            .annotate(posts=Count("pk"))
            .order_by()
        )
        for thread_id, author_id, posts in others:
            author_counts[author_id] += flipped[thread_id] * posts
    _adjust_post_counts(author_counts)
    boards = Board.objects.select_for_update(no_key=True).filter(pk__in=board_posts)
    for board in boards.order_by("pk"):
        board.thread_count = max(board.thread_count + board_threads[board.pk], 0)
        board.post_count = max(board.post_count + board_posts[board.pk], 0)
        _refresh_board(board)
        board.save(update_fields=["thread_count", "post_count", "last_post", "last_activity_at"])
    if hidden:
        # What the in-app list and the bell leave out must not arrive by email later.
        emails.emails_withdraw_for_hidden(
            post_ids=changed_ids,
            thread_ids=[thread.pk for thread in threads if thread.is_hidden],
        )
    return changed_ids


@transaction.atomic
def post_release_held(*, post_id: int) -> Post | None:
    """Publish a post held for review, as if it were posted now: it is shown through the
    one hiding service (counters, latest post, a held opening post's thread, its author's
    post count), the Help workflow moves, watchers and mentioned members
    are notified and open pages hear of it — all after commit, exactly once. A post whose
    edit was held is shown again and open pages refresh it; nobody is notified twice.
    Returns the post, or None when it was not held (already decided)."""
    post = (
        Post.objects.select_for_update(no_key=True)
        .filter(pk=post_id, held_at__isnull=False)
        .first()
    )
    if post is None:
        return None
    Post.objects.filter(pk=post.pk).update(held_at=None)
    posts_set_hidden(post_ids=[post.pk], hidden=False)
    post = Post.objects.select_related("thread", "author").get(pk=post.pk)
    if post.screening.get("on") == "edit":
        realtime.post_changed(post)
        return post
    thread = Thread.objects.select_for_update(no_key=True).get(pk=post.thread_id)
    answers.post_added(thread=thread, post=post)
    notifications.post_added(post=post, thread=thread)
    realtime.post_created(post)
    webhooks.post_published_on_commit(post=post, thread=thread)
    return post


@transaction.atomic
def posts_end_hold(*, post_ids, rule_code: str) -> list[int]:
    """Held posts decided against (deleted as spam) stay hidden, now as moderated posts
    under ``rule_code``: their author no longer sees "held for review". Returns the ids
    that were held."""
    held = list(
        Post.objects.select_for_update(no_key=True)
        .filter(pk__in=list(post_ids), held_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Post.objects.filter(pk__in=held).update(held_at=None, hidden_rule_code=rule_code)
    return held


@transaction.atomic
def post_hold_again(*, post_id: int, held_at) -> bool:
    """The reversal of ``post_release_held``: the post is hidden through the one hiding
    service (counters, latest post, an opening post's thread) and held again from
    ``held_at`` (when it was first held), so its author sees "held for review" once more.
    It stops counting towards its author's posts (the hiding does that).
    Notifications already sent stay sent (pending emails about it are withdrawn by the
    hiding); the Help workflow is not wound back. Returns False, changing nothing, when
    the post is not a visible, released post any more (hidden for another reason since,
    or held again)."""
    post = (
        Post.objects.select_for_update(no_key=True)
        .filter(pk=post_id, held_at__isnull=True, is_hidden=False)
        .first()
    )
    if post is None:
        return False
    posts_set_hidden(post_ids=[post.pk], hidden=True)
    Post.objects.filter(pk=post.pk).update(held_at=held_at)
    return True

"""Merging a duplicate thread into another, and splitting it back out.

Callers ask ``check_merge_thread`` / ``check_reverse_thread_change`` (forum.permissions)
first.

The duplicate's posts are *appended* after the target's, in their own order: the
target's existing numbering (and so every link to one of its pages) never changes, and
readers meet the duplicate's conversation as one block introduced by the event line
"merged “title” into this thread", where interleaving by date would scatter it between
replies that never answered it. The duplicate's opening post becomes a reply. Post ids
do not change, so /p/<id>/ permalinks, notifications and search results lead to the
post where it now is. The duplicate stays as an empty thread that is hidden from every
list and count (``is_hidden``) and whose address leads to the target
(``Thread.merged_into``); its watchers watch the target too.

Splitting back moves exactly the posts recorded on the ``ThreadMerge`` to their original
positions, closes the gap they leave in the target (later replies move up, read places
beyond its end are brought back to it), shows the duplicate again and writes an
"unmerged" line in both threads. Counters of both threads and their boards stay exact in
the same transaction; stored and open pages of both threads and of every list are
replaced after commit.

    thread_merge(source=, target=, actor=) -> ThreadMerge
    thread_merge_reverse(merge=, actor=) -> bool
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from forum import ratelimit, realtime
from forum.models import Board, Post, ReadMarker, Thread, ThreadEvent, ThreadMerge, Watch
from forum.services.search import index_post
from forum.services.visibility import _public_post_total, _refresh_board, _refresh_last_post

# Positions are moved out of the way first so that no two posts ever share one, even for
# an instant (PostgreSQL checks the unique constraint row by row within an UPDATE).
_PARKED = 1_000_000_000
_CHUNK = 500
_THREAD_FIELDS = [
    "reply_count", "hidden_reply_count", "last_post", "last_poster", "last_activity_at",
    "is_hidden", "merged_into",
]  # fmt: skip


def _locked_threads(*pks: int) -> dict[int, Thread]:
    rows = Thread.objects.select_for_update().select_related("board").filter(pk__in=pks)
    return {thread.pk: thread for thread in rows.order_by("pk")}


def _recount(thread: Thread) -> None:
    """The thread's numbering counters from its rows (one aggregate, one latest post)."""
    totals = Post.objects.filter(thread=thread).aggregate(
        last=Max("position"), hidden=Count("pk", filter=Q(is_hidden=True, position__gt=1))
    )
    thread.reply_count = max((totals["last"] or 1) - 1, 0)
    thread.hidden_reply_count = totals["hidden"]
    _refresh_last_post(thread)


def _empty(thread: Thread) -> None:
    thread.reply_count = thread.hidden_reply_count = 0
    thread.last_post = None
    thread.last_poster = None
    thread.is_hidden = True


def _set_positions(pairs: list[tuple[int, int]], thread_id: int) -> None:
    """Give each post (id, position) its position in ``thread_id``, a chunk per UPDATE."""
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        Post.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
            thread_id=thread_id,
            position=Case(*(When(pk=pk, then=Value(pos)) for pk, pos in chunk)),
        )


def _save_with_boards(threads: list[Thread], before: dict[int, tuple[int, int]]) -> None:
    """Save the threads and move their boards' counters by what changed; ``before`` is
    each thread's (counts as a thread, public posts) before the change."""
    deltas: dict[int, list[int]] = {}
    for thread in threads:
        thread.save(update_fields=_THREAD_FIELDS)
        threads_before, posts_before = before[thread.pk]
        delta = deltas.setdefault(thread.board_id, [0, 0])
        delta[0] += (0 if thread.is_hidden else 1) - threads_before
        delta[1] += _public_post_total(thread) - posts_before
    rows = Board.objects.select_for_update(no_key=True).filter(pk__in=deltas).order_by("pk")
    for board in rows:
        board.thread_count = max(board.thread_count + deltas[board.pk][0], 0)
        board.post_count = max(board.post_count + deltas[board.pk][1], 0)
        _refresh_board(board)
        board.save(update_fields=["thread_count", "post_count", "last_post", "last_activity_at"])


def _counted(thread: Thread) -> tuple[int, int]:
    return (0 if thread.is_hidden else 1, _public_post_total(thread))


def _event(
    *, thread: Thread, actor: User, kind: str, other: Thread, after: int, now, side: str = ""
) -> None:
    # ``to_value`` tells the two "unmerged" lines apart: "target" is written in the thread
    # the posts left, "source" in the thread they came back to.
    ThreadEvent.objects.create(
        thread=thread,
        actor=actor,
        kind=kind,
        from_value=str(other.pk),
        to_value=side,
        reason=other.title,
        after_position=after,
        created_at=now,
    )


def _reindex_opening_post(post_id: int, thread: Thread) -> None:
    # The opening post carries its thread's title in the index; a reply carries none.
    post = Post.objects.only("pk", "position", "body").get(pk=post_id)
    index_post(post=post, thread=thread)


def _validate(source: Thread, target: Thread) -> None:
    if source.pk == target.pk:
        raise ValidationError(
            {"target": gettext("A thread can't be merged into itself. Give another thread.")}
        )
    if target.merged_into_id is not None:
        raise ValidationError(
            {
                "target": gettext(
                    "That thread was itself merged into #%(pk)s. Merge into that one instead."
                )
                % {"pk": target.merged_into_id}
            }
        )
    if source.merged_into_id is not None:
        raise ValidationError(gettext("This thread is already merged into another."))
    if source.is_hidden or target.is_hidden:
        raise ValidationError(
            {
                "target": gettext(
                    "Moderators hid one of these threads. Restore it before merging, so no "
                    "hidden post becomes visible by the move."
                )
            }
        )


@transaction.atomic
def thread_merge(*, source: Thread, target: Thread, actor: User) -> ThreadMerge:
    """Merge ``source`` into ``target`` (see the module docstring). Raises
    ValidationError keyed ``target`` for a thread merged into itself, into a merged or
    a hidden thread. Atomic with both threads, their posts and boards locked."""
    threads = _locked_threads(source.pk, target.pk)
    source, target = threads[source.pk], threads[target.pk]
    _validate(source, target)
    before = {pk: _counted(thread) for pk, thread in threads.items()}
    moved = list(
        Post.objects.select_for_update()
        .filter(thread=source)
        .order_by("position")
        .values_list("pk", "position")
    )
    base = target.post_total
    now = timezone.now()
    _set_positions([(pk, base + position) for pk, position in moved], target.pk)
    merge = ThreadMerge.objects.create(
        source=source,
        target=target,
        moved_posts=[[pk, position] for pk, position in moved],
        actor=actor,
        created_at=now,
    )
    _recount(target)
    _empty(source)
    source.merged_into = target
    _save_with_boards([source, target], before)
    _event(
        thread=target, actor=actor, kind=ThreadEvent.Kind.MERGED, other=source, after=base,
        now=now,
    )  # fmt: skip
    if moved:
        _reindex_opening_post(moved[0][0], target)
    _watch_target(source=source, target=target, now=now)
    _after_commit(source, target, actor)
    return merge


def _watch_target(*, source: Thread, target: Thread, now) -> None:
    """Who watched the duplicate watches the target, unless they chose a level there."""
    watching = Watch.objects.filter(thread=source, level=Watch.Level.WATCHING)
    chosen = Watch.objects.filter(thread=target).values("user_id")
    Watch.objects.bulk_create(
        [
            Watch(user_id=user_id, thread=target, level=Watch.Level.WATCHING, updated_at=now)
            for user_id in watching.exclude(user_id__in=chosen).values_list("user_id", flat=True)
        ]
    )


def _after_commit(source: Thread, target: Thread, actor: User) -> None:
    realtime.thread_changed(source.pk)
    realtime.thread_changed(target.pk)
    transaction.on_commit(lambda: ratelimit.record_write(actor.pk))


@transaction.atomic
def thread_merge_reverse(*, merge: ThreadMerge, actor: User) -> bool:
    """Split the merged thread back out (see the module docstring). Raises
    ValidationError when its posts have since left the target (the target was merged
    into a third thread: split that first). False when it already was split."""
    merge = ThreadMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.reversed_at is not None:
        return False
    threads = _locked_threads(merge.source_id, merge.target_id)
    source, target = threads[merge.source_id], threads[merge.target_id]
    originals = [(pk, position) for pk, position in merge.moved_posts]
    ids = [pk for pk, _ in originals]
    current = list(
        Post.objects.select_for_update()
        .filter(pk__in=ids, thread=target)
        .order_by("position")
        .values_list("position", flat=True)
    )
    if len(current) != len(ids):
        raise ValidationError(
            gettext(
                "These posts have moved on since the merge (the thread they were merged "
                "into was merged again). Split that merge first."
            )
        )
    before = {pk: _counted(thread) for pk, thread in threads.items()}
    source.is_hidden = False  # refreshed from its opening post below
    _set_positions(originals, source.pk)
    if current:
        _close_gap(target, after=current[0])
    _recount(target)
    _recount(source)
    source.is_hidden = Post.objects.filter(thread=source, position=1, is_hidden=True).exists()
    source.merged_into = None
    _save_with_boards([source, target], before)
    ReadMarker.objects.filter(thread=target, position__gt=target.post_total).update(
        position=target.post_total
    )
    merge.reversed_at = timezone.now()
    merge.reversed_by = actor
    merge.save(update_fields=["reversed_at", "reversed_by"])
    for thread, other, side in ((target, source, "target"), (source, target, "source")):
        _event(
            thread=thread, actor=actor, kind=ThreadEvent.Kind.UNMERGED, other=other,
            after=thread.post_total, now=merge.reversed_at, side=side,
        )  # fmt: skip
    if ids:
        _reindex_opening_post(originals[0][0], source)
    _after_commit(source, target, actor)
    return True


def _close_gap(thread: Thread, *, after: int) -> None:
    """Number the posts of ``thread`` from ``after`` on without gaps, in their order."""
    later = Post.objects.filter(thread=thread, position__gte=after)
    later.update(position=F("position") + _PARKED)
    rows = list(later.order_by("position").values_list("pk", flat=True))
    _set_positions([(pk, after + index) for index, pk in enumerate(rows)], thread.pk)

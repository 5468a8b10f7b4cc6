"""Reads for moving and merging threads: what the staff page offers to undo, and where
a merged thread's address leads."""

import re

from forum.models import Thread, ThreadMerge, ThreadMove

# "123", "#123", "/t/123/", "https://forum.example/t/123/?page=2#post-9"
_THREAD_REF = re.compile(r"^\s*(?:#?(\d{1,12})|\S*?/t/(\d{1,12})(?:[/?#]\S*)?)\s*$")


def thread_id_from_reference(text: str) -> int | None:
    """The thread id in a number or a thread's address, or None when there is none."""
    match = _THREAD_REF.match(text or "")
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


def latest_move(*, thread: Thread) -> ThreadMove | None:
    """The thread's latest move while it can still be undone (not reversed yet)."""
    move = (
        ThreadMove.objects.filter(thread=thread)
        .select_related("from_board", "to_board", "actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    return move if move is not None and move.reversed_at is None else None


def merges_into(*, thread: Thread) -> list[ThreadMerge]:
    """The threads merged into this one and not split back, newest first."""
    return list(
        ThreadMerge.objects.filter(target=thread, reversed_at__isnull=True)
        .select_related("source", "actor")
        .defer("moved_posts")  # a long thread's list of posts: not shown here
        .order_by("-created_at", "-pk")
    )


def merge_get(*, merge_id: int, target: Thread) -> ThreadMerge | None:
    return ThreadMerge.objects.filter(pk=merge_id, target=target).first()


def move_get(*, move_id: int, thread: Thread) -> ThreadMove | None:
    return ThreadMove.objects.filter(pk=move_id, thread=thread).first()


def merged_into_id(*, thread_id: int) -> int | None:
    """Where a merged thread's address leads (None when it was not merged)."""
    return (
        Thread.objects.filter(pk=thread_id, merged_into__isnull=False)
        .values_list("merged_into_id", flat=True)
        .first()
    )

"""Lockdowns (lock and slow mode, on a thread or a board): one log row per verb, a lift
that restores exactly what was there (including a lockdown it replaced), and bad input
that leaves nothing behind."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Board, Thread
from forum.permissions import check_reply, check_start_thread
from forum.services import post_create
from moderation.models import Lockdown, ModerationAction
from moderation.permissions import lockdown_message
from moderation.selectors import active_lockdowns
from moderation.services import action_reverse, lockdown_lift, lockdown_set
from tests.moderation.service_helpers import (
    START,
    clock_fixture,  # noqa: F401 - fixture "clock"
    counts,
    fresh,
    latest_message,
    new_rows,
    second_moderator_fixture,  # noqa: F401 - fixture "second_moderator"
)

Kind = ModerationAction.Kind


def _lock(moderator, *, thread=None, board=None, kind="lock", **kw):
    arguments = {"rule_codes": ["G3"], "reason": "The thread turned into a pile-on."} | kw
    return lockdown_set(actor=moderator, kind=kind, thread=thread, board=board, **arguments)


def _fields(lockdown: Lockdown) -> tuple:
    lockdown.refresh_from_db()
    return (
        lockdown.kind,
        lockdown.slow_minutes,
        lockdown.rule_codes,
        lockdown.reason,
        lockdown.starts_at,
        lockdown.ends_at,
        lockdown.lifted_at,
        lockdown.lifted_by_id,
        lockdown.lift_note,
    )


def _reload(thread) -> Thread:
    """A fresh thread object: lockdowns are memoised per object (one query a page)."""
    return Thread.objects.select_related("board").get(pk=thread.pk)


def test_locking_a_thread_logs_once_and_tells_its_author(
    guidelines, thread, member, moderator, clock
):
    before = counts()
    action = _lock(moderator, thread=thread, ends_at=START + timedelta(hours=6))
    assert new_rows(before) == {"actions": 1, "lockdowns": 1, "messages": 1}
    assert (action.kind, action.thread, action.member, action.rules) == (
        Kind.LOCK,
        thread,
        member,
        ["G3"],
    )
    assert active_lockdowns(thread=thread) == [action.lockdown]
    body = latest_message(member).body
    assert "Moderators locked your thread" in body
    assert "until 2 Mar 2026, 18:00 (UTC)" in body
    assert "G3 (Argue with ideas, not with people)" in body
    assert f"/moderation/appeals/new/{action.pk}/" in body
    assert "Morgan" not in body


def test_a_moderators_own_thread_is_locked_without_a_message(
    guidelines, make_thread, moderator, second_moderator
):
    own = make_thread(second_moderator, title="Announcements")
    before = counts()
    _lock(moderator, thread=own)
    assert new_rows(before) == {"actions": 1, "lockdowns": 1}


def test_slow_mode_logs_once(guidelines, thread, moderator):
    before = counts()
    action = _lock(moderator, thread=thread, kind="slow", slow_minutes=15)
    assert new_rows(before) == {"actions": 1, "lockdowns": 1, "messages": 1}
    assert action.kind == Kind.SLOW_MODE and action.lockdown.slow_minutes == 15


def test_a_board_lock_has_no_member_and_nobody_to_tell(guidelines, boards, moderator):
    before = counts()
    action = _lock(moderator, board=boards["bugs"])
    assert new_rows(before) == {"actions": 1, "lockdowns": 1}
    assert action.member is None and action.board == boards["bugs"]


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"kind": "slow", "slow_minutes": 0}, "from 1 to 1,440"),
        ({"kind": "slow", "slow_minutes": 1441}, "from 1 to 1,440"),
        ({"kind": "slow", "slow_minutes": None}, "from 1 to 1,440"),
        ({"kind": "slow", "slow_minutes": "10"}, "from 1 to 1,440"),
        ({"ends_at": START - timedelta(minutes=1)}, "The reopen time must be in the future"),
        ({"ends_at": START}, "The reopen time must be in the future"),
        ({"rule_codes": ["G12"]}, "There is no rule G12"),
        ({"rule_codes": []}, "Cite at least one guideline rule"),
        ({"reason": " "}, "Write a short reason"),
        ({"kind": "freeze"}, "Choose slow mode or lock"),
        ({"go_instead": "x" * 301}, "under 300 characters"),
    ],
)
def test_bad_lockdown_input_is_refused_with_no_partial_state(
    guidelines, thread, moderator, clock, arguments, words
):
    before = counts()
    with pytest.raises(ValidationError, match=words):
        _lock(moderator, thread=thread, **arguments)
    assert new_rows(before) == {}
    assert active_lockdowns(thread=thread) == []


def test_a_lockdown_needs_exactly_one_target(guidelines, thread, help_board, moderator):
    for target in ({}, {"thread": thread, "board": help_board}):
        with pytest.raises(ValidationError, match="one thread or one board"):
            _lock(moderator, **target)
    assert not Lockdown.objects.exists()


@pytest.mark.parametrize("minutes", [1, 1440])
def test_slow_mode_accepts_1_to_1440_minutes(guidelines, thread, moderator, minutes):
    assert _lock(moderator, thread=thread, kind="slow", slow_minutes=minutes).lockdown


# --- Lifting and reversing -----------------------------------------------------------------


def test_lifting_restores_posting_and_logs_one_reversal(
    guidelines, thread, member, moderator, clock
):
    action = _lock(moderator, thread=thread)
    with pytest.raises(PermissionDenied, match="Moderators locked this thread"):
        check_reply(fresh(member), _reload(thread))
    clock.advance(minutes=30)
    before = counts()
    lift = lockdown_lift(actor=moderator, lockdown=action.lockdown, note="Calmer now.")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert lift.kind == Kind.UNLOCK and lift.reverses == action and lift.member == member
    assert active_lockdowns(thread=thread) == []
    check_reply(fresh(member), _reload(thread))
    assert "Moderators lifted the lock" in latest_message(member).body
    before = counts()
    assert lockdown_lift(actor=moderator, lockdown=action.lockdown) is False
    assert new_rows(before) == {}


def test_reversing_a_lock_from_the_log_is_the_same_lift(guidelines, thread, moderator):
    action = _lock(moderator, thread=thread, kind="slow", slow_minutes=5)
    before = counts()
    reversal = action_reverse(actor=moderator, action=action)
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.kind == Kind.UNLOCK and reversal.reverses == action
    assert active_lockdowns(thread=thread) == []
    assert action_reverse(actor=moderator, action=action) is False


def test_a_new_lockdown_replaces_the_old_and_lifting_it_brings_the_old_back(
    guidelines, thread, moderator, clock
):
    slow = _lock(moderator, thread=thread, kind="slow", slow_minutes=10, reason="Heated.")
    slow_before = _fields(slow.lockdown)
    clock.advance(minutes=5)
    lock = _lock(moderator, thread=thread, ends_at=START + timedelta(days=1))
    assert lock.details == {"replaced_lockdown_ids": [slow.lockdown.pk]}
    assert _fields(slow.lockdown)[6:] == (clock.now, moderator.pk, "Replaced by a new lockdown.")
    assert active_lockdowns(thread=thread) == [lock.lockdown]
    clock.advance(minutes=5)
    before = counts()
    reversal = action_reverse(actor=moderator, action=lock)
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.details == {"revived_lockdown_ids": [slow.lockdown.pk]}
    assert _fields(slow.lockdown) == slow_before
    assert active_lockdowns(thread=thread) == [slow.lockdown]
    assert "The lockdown it had replaced applies again." in latest_message(thread.author).body


def test_a_replaced_lockdown_that_would_have_ended_stays_ended(
    guidelines, thread, moderator, clock
):
    slow = _lock(
        moderator, thread=thread, kind="slow", slow_minutes=10, ends_at=START + timedelta(hours=1)
    )
    lock = _lock(moderator, thread=thread)
    clock.advance(hours=2)
    reversal = lockdown_lift(actor=moderator, lockdown=lock.lockdown)
    assert reversal.details == {"revived_lockdown_ids": []}
    assert _fields(slow.lockdown)[8] == "Replaced by a new lockdown."
    assert active_lockdowns(thread=thread) == []


def test_a_board_lock_stops_new_threads_and_replies_until_lifted(
    guidelines, boards, make_thread, other_member, member, moderator
):
    bugs = boards["bugs"]
    inside = make_thread(other_member, board=bugs, title="Crash on save")
    action = _lock(moderator, board=bugs, go_instead="the Help board")
    for check, target in ((check_start_thread, bugs), (check_reply, _reload(inside))):
        with pytest.raises(PermissionDenied) as exc:
            check(fresh(member), target)
        assert "Moderators locked this board" in str(exc.value)
        assert "Meanwhile: the Help board" in str(exc.value)
    lockdown_lift(actor=moderator, lockdown=action.lockdown)
    check_start_thread(fresh(member), Board.objects.get(pk=bugs.pk))
    check_reply(fresh(member), _reload(inside))


def test_a_thread_lock_leaves_the_rest_of_the_board_open(
    guidelines, thread, help_board, member, moderator
):
    _lock(moderator, thread=thread)
    check_start_thread(fresh(member), help_board)


def test_the_lock_message_says_who_why_until_when_and_where_to_go(
    guidelines, thread, moderator, clock
):
    action = _lock(
        moderator,
        thread=thread,
        ends_at=START + timedelta(hours=3),
        go_instead="the Ideas board",
        reason="Cooling off",
    )
    words = lockdown_message(action.lockdown, user=None)
    assert words == (
        "Moderators locked this thread: reading continues, new posts are paused until "
        "2 Mar 2026, 15:00 (UTC), under rule G3 (Argue with ideas, not with people). "
        "Why: Cooling off. Meanwhile: the Ideas board"
    )
    assert "Morgan" not in words


def test_staff_post_in_a_locked_thread_is_marked(guidelines, thread, staff, moderator):
    from forum.permissions import posting_during_lock

    _lock(moderator, thread=thread)
    locked_thread = _reload(thread)
    check_reply(staff, locked_thread)
    assert posting_during_lock(staff, locked_thread) is True
    reply = post_create(
        thread=locked_thread,
        author=staff,
        body="We're on it.",
        posted_during_lock=posting_during_lock(staff, locked_thread),
    )
    assert reply.posted_during_lock is True

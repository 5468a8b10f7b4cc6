"""Blocks expire, locks reopen and slow mode lets a member post again at exactly the right
instant, with no job: time is injected (``django.utils.timezone.now`` is the clock, or
selectors take ``now=``), never slept through."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from forum.models import Board, Thread
from forum.permissions import check_edit_post, check_reply, check_start_thread
from forum.services import post_create
from moderation.models import Block
from moderation.selectors import active_block, active_lockdowns
from moderation.services import block_create, block_lift, lockdown_set
from tests.moderation.service_helpers import (
    START,
    clock_fixture,  # noqa: F401 - fixture "clock"
    fresh,
    set_time_zone,
)

SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _frozen(clock):
    """The clock starts before any other fixture writes, so every row is dated START."""
    return clock


def _thread(thread) -> Thread:
    return Thread.objects.select_related("board").get(pk=thread.pk)


def _refused(check, user, target) -> str:
    with pytest.raises(PermissionDenied) as exc:
        check(fresh(user), target)
    return str(exc.value)


# --- Blocks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "length"),
    [
        ("1h", timedelta(hours=1)),
        ("1d", timedelta(days=1)),
        ("3d", timedelta(days=3)),
        ("7d", timedelta(days=7)),
        ("30d", timedelta(days=30)),
    ],
)
def test_a_block_ends_exactly_at_its_end(
    guidelines, thread, member, moderator, clock, duration, length
):
    block_create(actor=moderator, member=member, duration=duration, rule_codes=["G3"], reason="x")
    ends_at = START + length
    clock.set(ends_at - SECOND)
    assert "blocked from posting" in _refused(check_reply, member, _thread(thread))
    clock.set(ends_at)
    check_reply(fresh(member), _thread(thread))
    assert active_block(member.pk) is None


def test_an_until_lifted_block_does_not_expire(guidelines, thread, member, moderator, clock):
    action = block_create(
        actor=moderator, member=member, duration="lifted", rule_codes=["G3"], reason="x"
    )
    clock.advance(days=3650)
    assert "until a moderator lifts the block" in _refused(check_reply, member, _thread(thread))
    block_lift(actor=moderator, block=action.block)
    check_reply(fresh(member), _thread(thread))


def test_the_selector_takes_the_instant_to_judge(guidelines, member, moderator, clock):
    block = block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="x"
    ).block
    assert active_block(member.pk, now=START - SECOND) is None  # not yet started
    assert active_block(member.pk, now=START) == block
    assert active_block(member.pk, now=block.ends_at - SECOND) == block
    assert active_block(member.pk, now=block.ends_at) is None
    assert block.is_active_at(block.ends_at - SECOND) and not block.is_active_at(block.ends_at)


def test_an_extension_moves_the_instant(guidelines, thread, member, moderator, clock):
    block_create(actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="x")
    clock.advance(hours=20)
    block_create(
        actor=moderator,
        member=member,
        duration="1h",
        rule_codes=["G3"],
        reason="y",
        on_existing="extend",
    )
    new_end = START + timedelta(days=1, hours=1)
    clock.set(new_end - SECOND)
    _refused(check_reply, member, _thread(thread))
    clock.set(new_end)
    check_reply(fresh(member), _thread(thread))


def test_the_block_refusal_gives_the_end_in_the_members_zone(
    guidelines, thread, member, moderator, clock
):
    member = set_time_zone(member, "America/New_York")
    action = block_create(
        actor=moderator, member=member, duration="7d", rule_codes=["G3"], reason="x"
    )
    words = _refused(check_reply, member, _thread(thread))
    # 9 March 2026, 12:00 UTC is 08:00 in New York (daylight saving starts on 8 March).
    assert "until 9 Mar 2026, 08:00 (America/New_York)" in words
    assert "G3 (Argue with ideas, not with people)" in words
    assert f"/moderation/appeals/new/{action.pk}/" in words
    for check, target in (
        (check_start_thread, thread.board),
        (check_edit_post, thread.posts.get()),
    ):
        assert _refused(check, member, target) == words  # the same words on every path


# --- Locks ---------------------------------------------------------------------------------


def test_a_lock_reopens_exactly_at_its_reopen_time(guidelines, thread, member, moderator, clock):
    reopens = START + timedelta(hours=6)
    lockdown = lockdown_set(
        actor=moderator,
        kind="lock",
        thread=thread,
        rule_codes=["G3"],
        reason="Cooling off.",
        ends_at=reopens,
    ).lockdown
    clock.set(reopens - SECOND)
    words = _refused(check_reply, member, _thread(thread))
    assert "Moderators locked this thread" in words and "until 2 Mar 2026, 18:00 (UTC)" in words
    assert active_lockdowns(thread=thread) == [lockdown]
    clock.set(reopens)
    check_reply(fresh(member), _thread(thread))
    assert active_lockdowns(thread=thread) == []
    assert active_lockdowns(thread=thread, now=reopens - SECOND) == [lockdown]
    assert not Block.objects.exists()


def test_a_board_lock_reopens_for_new_threads_too(guidelines, boards, member, moderator, clock):
    reopens = START + timedelta(minutes=90)
    lockdown_set(
        actor=moderator,
        kind="lock",
        board=boards["ideas"],
        rule_codes=["G2"],
        reason="Triage.",
        ends_at=reopens,
    )
    clock.set(reopens - SECOND)
    _refused(check_start_thread, member, Board.objects.get(slug="ideas"))
    clock.set(reopens)
    check_start_thread(fresh(member), Board.objects.get(slug="ideas"))


# --- Slow mode -------------------------------------------------------------------------------


def test_slow_mode_lets_a_member_post_again_after_exactly_n_minutes(
    guidelines, thread, member, other_member, moderator, clock
):
    lockdown_set(
        actor=moderator,
        kind="slow",
        thread=thread,
        slow_minutes=10,
        rule_codes=["G3"],
        reason="Heated.",
    )
    clock.advance(minutes=2)
    post_create(thread=_thread(thread), author=other_member, body="My point stands.")
    posted_at = clock.now
    clock.set(posted_at + timedelta(minutes=10) - SECOND)
    words = _refused(check_reply, other_member, _thread(thread))
    assert "Moderators put this thread in slow mode: one post per member every 10 minutes" in words
    assert "You can post again at 2 Mar 2026, 12:12 (UTC)" in words
    # Jamie last posted (the opening post) at START, more than 10 minutes ago.
    check_reply(fresh(member), _thread(thread))
    clock.set(posted_at + timedelta(minutes=10))
    check_reply(fresh(other_member), _thread(thread))


def test_slow_mode_does_not_hold_back_a_member_who_has_not_posted_lately(
    guidelines, thread, other_member, moderator, clock
):
    post_create(thread=thread, author=other_member, body="Earlier reply.")
    clock.advance(minutes=30)
    lockdown_set(
        actor=moderator,
        kind="slow",
        thread=thread,
        slow_minutes=30,
        rule_codes=["G3"],
        reason="Heated.",
    )
    check_reply(fresh(other_member), _thread(thread))
    clock.advance(minutes=1)
    check_reply(fresh(other_member), _thread(thread))


def test_slow_mode_that_ends_stops_holding_members_back(
    guidelines, thread, other_member, moderator, clock
):
    lockdown_set(
        actor=moderator,
        kind="slow",
        thread=thread,
        slow_minutes=60,
        rule_codes=["G3"],
        reason="Heated.",
        ends_at=START + timedelta(minutes=15),
    )
    post_create(thread=_thread(thread), author=other_member, body="Reply.")
    clock.set(START + timedelta(minutes=15) - SECOND)
    _refused(check_reply, other_member, _thread(thread))
    clock.set(START + timedelta(minutes=15))
    check_reply(fresh(other_member), _thread(thread))

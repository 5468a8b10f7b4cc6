"""The temperature's hour rows agree with a direct count of the rows they summarise, on
data written through the services at set times across several hours; rebuilding is
idempotent; the hottest threads are ranked from the same activity."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from forum.models import BoardHour, HotThread, Post, Thread, ThreadVote
from forum.services import post_create, thread_create
from forum.services.answers import prompt_respond
from forum.services.statuses import thread_mark_affected, thread_vote
from forum.services.temperature import hour_floor
from moderation.models import Flag, ModerationAction
from moderation.services import flag_create, post_hide
from moderation.services.temperature import (
    hot_threads_rank,
    temperature_rebuild,
    temperature_refresh,
)
from tests.task_runner import run_ready_tasks

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def seeded(clock, boards, member, other_member, staff, moderator, guidelines, make_user):
    """Threads, replies, a first staff reply, votes, flags and a hidden post, each at a
    set minute of four hours."""
    help_board, bugs = boards["help"], boards["bugs"]
    clock.set(BASE + timedelta(minutes=10))
    question = thread_create(board=help_board, author=member, title="Sync stops", body="Help")
    clock.set(BASE + timedelta(minutes=50))
    post_create(thread=question, author=other_member, body="Same here")
    clock.set(BASE + timedelta(hours=1, minutes=5))
    bug = thread_create(board=bugs, author=other_member, title="Export 502", body="Broken")
    clock.set(BASE + timedelta(hours=1, minutes=20))
    reply = post_create(thread=question, author=member, body="Still broken")
    clock.set(BASE + timedelta(hours=1, minutes=40))
    thread_vote(thread=bug, user=member, on=True)
    thread_mark_affected(thread=bug, user=staff, on=True)
    clock.set(BASE + timedelta(hours=2, minutes=10))
    flag_create(flagger=other_member, post=reply, reason=Flag.Reason.SPAM)
    clock.set(BASE + timedelta(hours=2, minutes=30))
    post_create(thread=question, author=staff, body="Fixed in 2.3, please update.")
    clock.set(BASE + timedelta(hours=2, minutes=50))
    post_hide(actor=moderator, post=reply, rule_codes=["G1"])
    clock.set(BASE + timedelta(hours=3, minutes=15))
    prompt_respond(thread=question, actor=member, solved=True)
    for n in range(3):
        post_create(thread=bug, author=make_user(f"reporter{n}"), body=f"Me too {n}")
    clock.set(BASE + timedelta(hours=5))
    return {"question": question, "bug": bug}


def _direct(board_id, hour):
    end = hour + timedelta(hours=1)
    in_hour = {"created_at__gte": hour, "created_at__lt": end}
    replied = Thread.objects.filter(
        board_id=board_id,
        is_hidden=False,
        first_staff_reply_at__gte=hour,
        first_staff_reply_at__lt=end,
    )
    questions = Thread.objects.filter(
        board_id=board_id, board__kind="help", is_hidden=False, **in_hour
    )
    return {
        "threads": Thread.objects.filter(board_id=board_id, **in_hour).count(),
        "posts": Post.objects.filter(thread__board_id=board_id, **in_hour).count(),
        "questions": questions.count(),
        "questions_solved": questions.filter(help_state="solved").count(),
        "first_reply_seconds": sorted(
            int((t.first_staff_reply_at - t.created_at).total_seconds()) for t in replied
        ),
        "votes": ThreadVote.objects.filter(
            thread__board_id=board_id, kind="vote", **in_hour
        ).count(),
        "affected": ThreadVote.objects.filter(
            thread__board_id=board_id, kind="affected", **in_hour
        ).count(),
        "flags": Flag.objects.filter(post__thread__board_id=board_id, **in_hour).count(),
        "actions": ModerationAction.objects.filter(
            post__thread__board_id=board_id, **in_hour
        ).count(),
    }


def _stored(board_id, hour):
    row = BoardHour.objects.filter(board_id=board_id, hour=hour).first()
    columns = _direct(board_id, hour).keys()
    if row is None:
        return {c: [] if c == "first_reply_seconds" else 0 for c in columns}
    return {c: getattr(row, c) for c in columns}


def test_hour_rows_agree_with_a_direct_count(seeded, boards):
    temperature_rebuild(start=BASE - timedelta(hours=2), end=BASE + timedelta(hours=6))
    hours = [BASE + timedelta(hours=h) for h in range(-1, 6)]
    for board in boards.values():
        for hour in hours:
            assert _stored(board.pk, hour) == _direct(board.pk, hour), (board.slug, hour)
    help_id, bugs_id = boards["help"].pk, boards["bugs"].pk
    # The numbers the seed was built to give, so the direct count is not trivially empty.
    assert _stored(help_id, BASE)["posts"] == 2
    assert _stored(help_id, BASE + timedelta(hours=2))["first_reply_seconds"] == [8400]
    assert _stored(help_id, BASE)["questions_solved"] == 1
    assert _stored(bugs_id, BASE + timedelta(hours=1))["votes"] == 1
    assert _stored(bugs_id, BASE + timedelta(hours=1))["affected"] == 1
    assert _stored(help_id, BASE + timedelta(hours=2))["flags"] == 1
    assert _stored(help_id, BASE + timedelta(hours=2))["actions"] == 1
    assert _stored(bugs_id, BASE + timedelta(hours=3))["posts"] == 3
    assert not BoardHour.objects.filter(hour=BASE + timedelta(hours=4)).exists()


def test_rebuilding_twice_changes_nothing_and_a_late_solve_is_refreshed(
    seeded, boards, member, staff, clock
):
    span = {"start": BASE - timedelta(hours=1), "end": BASE + timedelta(hours=6)}
    assert temperature_rebuild(**span) > 0
    before = list(BoardHour.objects.order_by("board_id", "hour").values())
    assert temperature_rebuild(**span) == 0
    assert list(BoardHour.objects.order_by("board_id", "hour").values()) == before

    clock.set(BASE + timedelta(hours=4, minutes=30))
    late = thread_create(board=boards["help"], author=member, title="Invoices", body="Where?")
    temperature_refresh(now=clock.now)
    row = BoardHour.objects.get(board=boards["help"], hour=BASE + timedelta(hours=4))
    assert (row.questions, row.questions_solved) == (1, 0)
    clock.set(BASE + timedelta(days=3))
    post_create(thread=late, author=staff, body="Under Billing.")
    prompt_respond(thread=late, actor=member, solved=True)
    # Days later the hourly refresh still counts it solved in the hour it was asked.
    temperature_refresh(now=clock.now)
    row.refresh_from_db()
    assert (row.questions, row.questions_solved) == (1, 1)


def test_the_command_rebuilds_all_history(seeded, boards):
    call_command("aggregate_temperature", "--all")
    for hour in (BASE + timedelta(hours=h) for h in range(4)):
        for board in boards.values():
            assert _stored(board.pk, hour) == _direct(board.pk, hour)


def test_the_hottest_threads_rank_replies_people_votes_and_flags(seeded, boards):
    now = BASE + timedelta(hours=5)
    hot_threads_rank(now=now)
    site = list(HotThread.objects.filter(period_hours=24, board=None).order_by("rank"))
    assert [h.thread_id for h in site] == [seeded["bug"].pk, seeded["question"].pk]
    bug = site[0]
    assert (bug.replies, bug.participants, bug.votes, bug.affected) == (3, 4, 1, 1)
    question = site[1]
    # The hidden reply is not counted; its flag is.
    assert (question.replies, question.flags) == (2, 1)
    per_board = HotThread.objects.get(period_hours=24, board=boards["help"])
    assert per_board.thread_id == seeded["question"].pk
    # A second run replaces the ranking rather than adding to it.
    hot_threads_rank(now=now)
    assert HotThread.objects.filter(period_hours=24, board=None).count() == 2


def test_the_hour_is_the_utc_hour():
    moment = datetime(2026, 3, 2, 9, 59, 59, tzinfo=UTC)
    assert hour_floor(moment) == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_hourly_command_queues_the_refresh_for_the_task_worker(boards, member, clock):
    thread_create(board=boards["help"], author=member, title="Sync stops", body="Help")
    call_command("aggregate_temperature", "--queue")
    assert not BoardHour.objects.exists()
    assert run_ready_tasks() == 1
    row = BoardHour.objects.get()
    assert (row.board_id, row.hour, row.threads, row.questions) == (
        boards["help"].pk,
        hour_floor(clock.now),
        1,
        1,
    )

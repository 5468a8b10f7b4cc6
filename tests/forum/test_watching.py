"""Watching threads and boards: levels, participation, and who watches a thread."""

import pytest
from django.db import transaction

from forum.models import Watch
from forum.services import post_create, thread_create
from forum.services.watching import (
    watch_on_participation,
    watch_set,
    watchers_of_board,
    watchers_of_thread,
)

pytestmark = pytest.mark.django_db


def level(user, *, thread=None, board=None):
    return (
        Watch.objects.filter(user=user, thread=thread, board=board)
        .values_list("level", flat=True)
        .first()
    )


def test_starting_a_thread_watches_it(thread, member):
    assert level(member, thread=thread) == Watch.Level.WATCHING


def test_replying_watches_the_thread(thread, other_member):
    assert level(other_member, thread=thread) is None
    post_create(thread=thread, author=other_member, body="Same here")
    assert level(other_member, thread=thread) == Watch.Level.WATCHING


def test_replying_to_a_muted_thread_keeps_it_muted(thread, other_member):
    watch_set(user=other_member, level=Watch.Level.MUTED, thread=thread)
    post_create(thread=thread, author=other_member, body="One last thing")
    assert level(other_member, thread=thread) == Watch.Level.MUTED


def test_replying_after_choosing_normal_keeps_normal(thread, other_member):
    watch_set(user=other_member, level=Watch.Level.NORMAL, thread=thread)
    post_create(thread=thread, author=other_member, body="Noted")
    assert level(other_member, thread=thread) == Watch.Level.NORMAL


def test_watch_on_participation_is_idempotent(thread, member):
    watch_on_participation(user=member, thread=thread)
    watch_on_participation(user=member, thread=thread)
    assert Watch.objects.filter(user=member, thread=thread).count() == 1


def test_watch_set_returns_false_when_unchanged(thread, help_board, other_member):
    assert watch_set(user=other_member, level=Watch.Level.WATCHING, thread=thread) is True
    assert watch_set(user=other_member, level=Watch.Level.WATCHING, thread=thread) is False
    assert watch_set(user=other_member, level=Watch.Level.MUTED, thread=thread) is True
    # A board without a row is already normal.
    assert watch_set(user=other_member, level=Watch.Level.NORMAL, board=help_board) is False
    assert watch_set(user=other_member, level=Watch.Level.WATCHING, board=help_board) is True
    assert watch_set(user=other_member, level=Watch.Level.NORMAL, board=help_board) is True
    assert level(other_member, board=help_board) == Watch.Level.NORMAL


@pytest.mark.parametrize(
    "kwargs", [{"level": "loud"}, {"level": "watching", "thread": None, "board": None}]
)
def test_watch_set_refuses_bad_input(other_member, kwargs):
    with pytest.raises(ValueError):
        watch_set(user=other_member, **kwargs)


def test_watch_set_refuses_thread_and_board_at_once(thread, help_board, other_member):
    with pytest.raises(ValueError):
        watch_set(user=other_member, level="watching", thread=thread, board=help_board)


def test_watchers_of_thread_include_board_watchers_unless_they_muted_it(
    thread, help_board, member, other_member, make_user, django_assert_num_queries
):
    board_fan, muter, normal = make_user("fan"), make_user("muter"), make_user("normal")
    for user in (board_fan, muter, normal):
        watch_set(user=user, level=Watch.Level.WATCHING, board=help_board)
    watch_set(user=muter, level=Watch.Level.MUTED, thread=thread)
    watch_set(user=normal, level=Watch.Level.NORMAL, thread=thread)
    watch_set(user=other_member, level=Watch.Level.WATCHING, thread=thread)
    with django_assert_num_queries(1):
        watchers = set(watchers_of_thread(thread))
    assert watchers == {member, other_member, board_fan}


def test_watchers_of_thread_leave_out_other_threads_and_boards(
    thread, make_thread, boards, other_member, make_user
):
    elsewhere = make_thread(other_member, board=boards["bugs"], title="Another one")
    bugs_fan = make_user("bugsfan")
    watch_set(user=bugs_fan, level=Watch.Level.WATCHING, board=boards["bugs"])
    assert other_member not in set(watchers_of_thread(thread))
    assert bugs_fan not in set(watchers_of_thread(thread))
    assert bugs_fan in set(watchers_of_thread(elsewhere))


def test_watchers_of_board(help_board, other_member, make_user):
    muted = make_user("quiet")
    watch_set(user=other_member, level=Watch.Level.WATCHING, board=help_board)
    watch_set(user=muted, level=Watch.Level.MUTED, board=help_board)
    assert list(watchers_of_board(help_board)) == [other_member]


def test_a_rolled_back_thread_leaves_no_watch(help_board, member):
    with pytest.raises(RuntimeError), transaction.atomic():
        thread_create(board=help_board, author=member, title="Gone soon", body="…")
        raise RuntimeError
    assert not Watch.objects.exists()

"""The thread a reply is written to is read by a query built once per process: it reads
every column as the ORM does (aware datetimes on SQLite too), and a hidden thread is the
same 404 as a missing one for all but its author and moderators."""

import pytest
from django.http import Http404
from django.utils import timezone

from forum.models import Board, Thread
from forum.selectors import thread_get_for_writer
from forum.services.visibility import posts_set_hidden

pytestmark = pytest.mark.django_db


def columns(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_writers_thread_and_board_read_as_the_orm_reads_them(thread, member):
    Thread.objects.filter(pk=thread.pk).update(solved_at=timezone.now())
    got = thread_get_for_writer(user=member, thread_id=thread.pk)
    expected = Thread.objects.select_related("board").get(pk=thread.pk)
    assert columns(got) == columns(expected)
    assert columns(got.board) == columns(expected.board)
    assert isinstance(got.board, Board)
    assert got.created_at.tzinfo is not None and got.solved_at.tzinfo is not None


def test_a_hidden_thread_is_a_404_for_others_not_its_author_or_moderators(
    thread, member, other_member, moderator
):
    opening = thread.posts.get(position=1)
    posts_set_hidden(post_ids=[opening.pk], hidden=True)
    with pytest.raises(Http404):
        thread_get_for_writer(user=other_member, thread_id=thread.pk)
    with pytest.raises(Http404):
        thread_get_for_writer(user=member, thread_id=thread.pk + 1000)
    assert thread_get_for_writer(user=member, thread_id=thread.pk).is_hidden
    assert thread_get_for_writer(user=moderator, thread_id=thread.pk).pk == thread.pk

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from forum.markup import RENDER_VERSION
from forum.models import BODY_MAX, TITLE_MAX, Board, Post, PostRevision, Thread
from forum.services import post_create, post_edit, thread_create, thread_set_pinned


def test_thread_create_makes_opening_post_and_counters(member, help_board):
    thread = thread_create(
        board=help_board, author=member, title="  CSV   export fails ", body="It **fails**."
    )
    thread.refresh_from_db()
    help_board.refresh_from_db()
    member.refresh_from_db()
    assert thread.title == "CSV export fails"
    assert thread.reply_count == 0
    opening = thread.posts.get()
    assert opening.position == 1 and opening.is_opening_post
    assert opening.body_html == "<p>It <strong>fails</strong>.</p>"
    assert opening.body_html_version == RENDER_VERSION
    assert thread.last_post == opening and thread.last_poster == member
    assert help_board.thread_count == 1 and help_board.post_count == 1
    assert help_board.last_post == opening
    assert member.post_count == 1
    assert opening.revisions.get().number == 1


def test_reply_updates_every_denormalised_counter(thread, member, other_member, help_board):
    reply = post_create(thread=thread, author=other_member, body="Same here.")
    second = post_create(thread=thread, author=member, body="Any news?")
    thread.refresh_from_db()
    help_board.refresh_from_db()
    other_member.refresh_from_db()
    assert (reply.position, second.position) == (2, 3)
    assert thread.reply_count == 2
    assert thread.last_post == second
    assert thread.last_poster == member
    assert thread.last_activity_at == second.created_at
    assert help_board.post_count == 3 and help_board.thread_count == 1
    assert help_board.last_post == second
    assert other_member.post_count == 1


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "at least 3"), ("ab", "at least 3"), ("x" * (TITLE_MAX + 1), "at most 150")],
)
def test_bad_titles_are_refused_and_nothing_is_saved(member, help_board, title, message):
    with pytest.raises(ValidationError) as exc:
        thread_create(board=help_board, author=member, title=title, body="body")
    assert message in exc.value.message_dict["title"][0]
    assert not Thread.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("  \n ", "empty"), ("x" * (BODY_MAX + 1), "at most 50,000")],
)
def test_bad_bodies_are_refused_and_nothing_is_saved(thread, member, body, message):
    with pytest.raises(ValidationError) as exc:
        post_create(thread=thread, author=member, body=body)
    assert message in exc.value.message_dict["body"][0]
    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert thread.posts.count() == 1


def test_limits_are_inclusive(member, help_board):
    thread = thread_create(board=help_board, author=member, title="abc", body="x" * BODY_MAX)
    assert len(thread.posts.get().body) == BODY_MAX
    thread_create(board=help_board, author=member, title="t" * TITLE_MAX, body="y")


def test_double_submit_returns_the_first_post(thread, other_member):
    first = post_create(thread=thread, author=other_member, body="Hello", submission_key="k1")
    again = post_create(thread=thread, author=other_member, body="Hello", submission_key="k1")
    assert again.pk == first.pk
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_double_submit_of_a_new_thread_creates_one_thread(member, help_board):
    first = thread_create(
        board=help_board, author=member, title="Once", body="b", submission_key="t1"
    )
    again = thread_create(
        board=help_board, author=member, title="Once", body="b", submission_key="t1"
    )
    assert first.pk == again.pk
    help_board.refresh_from_db()
    assert help_board.thread_count == 1


def test_edit_keeps_every_revision_and_rerenders_once(thread, member):
    post = thread.posts.get()
    assert post_edit(post=post, editor=member, body="Second *version*") is True
    assert post_edit(post=post, editor=member, body="Third version", title="New title") is True
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.body == "Third version"
    assert post.body_html == "<p>Third version</p>"
    assert post.edited_at is not None
    assert thread.title == "New title"
    revisions = list(post.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[0].body == "It fails **every** time."
    assert revisions[1].body_html == "<p>Second <em>version</em></p>"
    assert revisions[2].title == "New title"


def test_edit_with_no_change_writes_nothing(thread, member):
    post = thread.posts.get()
    assert post_edit(post=post, editor=member, body=post.body) is False
    assert PostRevision.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.edited_at is None


def test_failed_edit_keeps_the_post_unchanged(thread, member):
    post = thread.posts.get()
    with pytest.raises(ValidationError):
        post_edit(post=post, editor=member, body="x" * (BODY_MAX + 1))
    post.refresh_from_db()
    assert post.body == "It fails **every** time."
    assert post.revisions.count() == 1


def test_pin_reports_whether_anything_changed(thread):
    assert thread_set_pinned(thread=thread, pinned=True) is True
    assert thread_set_pinned(thread=thread, pinned=True) is False
    thread.refresh_from_db()
    assert thread.is_pinned


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_replies_get_distinct_positions_and_exact_counts(boards):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL; SQLite serialises writers")
    from accounts.services import user_create

    author = user_create(username="racer", email="r@example.com", password="x" * 12)
    thread = thread_create(board=boards["help"], author=author, title="Race", body="start")
    users = [
        user_create(username=f"r{i}", email=f"r{i}@example.com", password="x" * 12)
        for i in range(6)
    ]
    errors = []

    def reply(user):
        try:
            for n in range(3):
                post_create(thread=Thread.objects.get(pk=thread.pk), author=user, body=f"{n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=reply, args=(user,)) for user in users]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    thread.refresh_from_db()
    positions = sorted(thread.posts.values_list("position", flat=True))
    assert positions == list(range(1, 20))
    assert thread.reply_count == 18
    board = Board.objects.get(pk=thread.board_id)
    assert board.post_count == 19
    assert User.objects.get(username="r0").post_count == 3


def test_invisible_control_characters_are_removed_not_stored(member, help_board):
    thread = thread_create(
        board=help_board, author=member, title="Null\x00 byte\x07 title", body="a\x00b\x1bc\tok"
    )
    thread.refresh_from_db()
    assert thread.title == "Null byte title"
    assert thread.posts.get().body == "abc\tok"


def test_a_body_of_only_control_characters_is_empty(thread, member):
    with pytest.raises(ValidationError) as exc:
        post_create(thread=thread, author=member, body="\x00\x00")
    assert "empty" in exc.value.message_dict["body"][0]

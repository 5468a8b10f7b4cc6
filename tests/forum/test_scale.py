"""The scale data set and what keeps big boards fast: ``manage.py seed_scale`` writes
consistent counters and never duplicates; a deep board page costs the queries of the first
and lists the same threads as a plain OFFSET; the indexes the pages need exist."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext

from forum.management.commands.seed_scale import MEMBER_PREFIX
from forum.models import Board, BoardHour, Post, Thread
from forum.selectors import thread_page_for_board
from forum.services import thread_set_pinned
from forum.services.search import search_vector

User = get_user_model()
SMALL = {"members": 12, "threads": 40, "posts": 400, "long_replies": 90, "quiet": True}


def seed(**sizes):
    call_command("seed_scale", **(SMALL | sizes))


def seed_boards():
    return Board.objects.filter(slug__startswith="scale-")


def assert_counters_match_a_recount():
    for thread in Thread.objects.filter(board__in=seed_boards()):
        posts = Post.objects.filter(thread=thread).order_by("position")
        last = posts.last()
        assert thread.reply_count == posts.count() - 1 == last.position - 1
        assert thread.last_post_id == last.pk
        assert thread.last_poster_id == last.author_id
        assert thread.last_activity_at == last.created_at
        assert thread.hidden_reply_count == 0
    for board in seed_boards():
        threads = Thread.objects.filter(board=board, is_hidden=False)
        assert board.thread_count == threads.count()
        assert board.post_count == Post.objects.filter(thread__in=threads).count()
        newest = threads.order_by("-last_activity_at", "-pk").first()
        assert board.last_post_id == newest.last_post_id
        assert board.last_activity_at == newest.last_activity_at
    recount = dict(
        Post.objects.filter(author__username__startswith=MEMBER_PREFIX)
        .values_list("author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for user in User.objects.filter(username__startswith=MEMBER_PREFIX):
        assert user.post_count == recount.get(user.pk, 0)


def totals():
    return (
        User.objects.filter(username__startswith=MEMBER_PREFIX).count(),
        Thread.objects.filter(board__in=seed_boards()).count(),
        Post.objects.filter(thread__board__in=seed_boards()).count(),
    )


@pytest.mark.django_db
def test_seed_scale_builds_the_sizes_asked_with_every_counter_recounted():
    seed()
    assert totals() == (12, 40, 400)
    assert_counters_match_a_recount()
    longest = Thread.objects.filter(board__in=seed_boards()).aggregate(Max("reply_count"))
    assert longest["reply_count__max"] == 90
    opening = Post.objects.filter(thread__board__in=seed_boards(), position=1).first()
    assert opening.body_html.startswith("<") and "**" not in opening.body_html


@pytest.mark.django_db
def test_seed_scale_twice_adds_nothing_and_a_larger_size_tops_up():
    seed()
    before = list(Post.objects.order_by("pk").values_list("pk", "thread_id", "position"))
    seed()
    assert list(Post.objects.order_by("pk").values_list("pk", "thread_id", "position")) == before
    assert totals() == (12, 40, 400)
    seed(members=15, threads=50, posts=600)
    assert totals() == (15, 50, 600)
    assert not (
        Post.objects.values("thread_id", "position").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert_counters_match_a_recount()


@pytest.mark.django_db
def test_seeded_posts_carry_the_search_vector_the_services_write():
    if connection.vendor != "postgresql":
        pytest.skip("the stored search vector is PostgreSQL's")
    seed()
    opening = Post.objects.filter(thread__board__in=seed_boards(), position=1).first()
    reply = Post.objects.filter(thread__board__in=seed_boards(), position=2).first()
    for post, title in ((opening, opening.thread.title), (reply, "")):
        expected = (
            Post.objects.filter(pk=post.pk)
            .annotate(v=search_vector(title=title, body=post.body))
            .values_list("v", flat=True)[0]
        )
        assert post.search_vector == expected


@pytest.fixture
def full_board(help_board, make_user, make_thread, settings):
    settings.FORUM_THREADS_PER_PAGE = 4
    users = [make_user() for _ in range(3)]
    threads = [make_thread(users[i % 3], title=f"Thread {i:03}") for i in range(30)]
    thread_set_pinned(thread=threads[3], pinned=True)
    help_board.refresh_from_db()
    return help_board


def plain_offset_page(board, number, per_page=4):
    threads = Thread.objects.filter(board=board, is_hidden=False).order_by(
        "-is_pinned", "-last_activity_at", "-pk"
    )
    return list(threads.values_list("pk", flat=True)[(number - 1) * per_page : number * per_page])


@pytest.mark.django_db
def test_a_deep_board_page_lists_what_a_plain_offset_lists(full_board):
    for number in (1, 2, 5, 8):
        page = thread_page_for_board(board=full_board, page_number=number)
        assert [t.pk for t in page.object_list] == plain_offset_page(full_board, number)
    last = thread_page_for_board(board=full_board, page_number=99)
    assert last.number == 8
    assert [t.pk for t in last.object_list] == plain_offset_page(full_board, 8)


@pytest.mark.django_db
def test_a_deep_board_page_costs_the_queries_of_the_first(client, full_board):
    counts = []
    for query in ("", "?page=7"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/b/{full_board.slug}/{query}")
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    first, deep = counts
    assert first == deep
    html = response.content.decode()
    for pk in plain_offset_page(full_board, 7):
        assert f"/t/{pk}/" in html


@pytest.mark.django_db
def test_the_board_list_index_exists_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL partial index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_thread'"
            " AND indexname = 'thread_board_list_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "(board_id, is_pinned DESC, last_activity_at DESC, id DESC)" in definition
    assert "WHERE (NOT is_hidden)" in definition


@pytest.mark.django_db
def test_sorted_and_filtered_board_pages_match_a_plain_offset(client, full_board, member):
    newest = Thread.objects.filter(board=full_board, is_hidden=False).order_by(
        "-is_pinned", "-created_at", "-pk"
    )
    for number in (2, 7):
        response = client.get(f"/b/{full_board.slug}/?sort=newest&page={number}")
        rows = [t.pk for t in response.context["page"].object_list]
        assert rows == list(newest.values_list("pk", flat=True)[(number - 1) * 4 : number * 4])
    mine = newest.filter(author=full_board.threads.order_by("pk")[0].author)
    response = client.get(
        f"/b/{full_board.slug}/?sort=newest&author={mine[0].author.username}&page=3"
    )
    rows = [t.pk for t in response.context["page"].object_list]
    assert rows == list(mine.values_list("pk", flat=True)[8:12])


@pytest.mark.django_db
def test_seeding_fills_the_temperature_hour_rows_with_the_seeds_posts():
    seed()
    hours = BoardHour.objects.filter(board__in=seed_boards())
    assert sum(hours.values_list("posts", flat=True)) == Post.objects.count() == 400
    assert sum(hours.values_list("threads", flat=True)) == 40
    # A second run adds nothing and leaves the rows as they are.
    before = list(hours.order_by("board_id", "hour").values("board_id", "hour", "posts"))
    seed()
    assert list(hours.order_by("board_id", "hour").values("board_id", "hour", "posts")) == before

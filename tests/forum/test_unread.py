"""Unread tracking: the read marker only rises, posting counts as reading, and a member
opening a thread lands on their first unread post with a "New since your last visit"
divider above it."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services as forum_services
from forum.models import Post, ReadMarker
from forum.services.reading import mark_read
from forum.views.reading import annotate_unread

PER_PAGE = settings.FORUM_POSTS_PER_PAGE
DIVIDER = "New since your last visit"


def marker(user, thread) -> int | None:
    return (
        ReadMarker.objects.filter(user=user, thread=thread)
        .values_list("position", flat=True)
        .first()
    )


def reply(thread, author, n=1):
    return [
        forum_services.post_create(thread=thread, author=author, body=f"Reply {i}")
        for i in range(n)
    ]


def post_at(thread, position) -> Post:
    return Post.objects.get(thread=thread, position=position)


def readmarker_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "readmarker" in q["sql"].lower()]


# --- the service ------------------------------------------------------------------------------


def test_marker_is_created_then_only_rises(thread, other_member):
    mark_read(user=other_member, thread=thread, position=3)
    assert marker(other_member, thread) == 3
    mark_read(user=other_member, thread=thread, position=2)
    assert marker(other_member, thread) == 3
    mark_read(user=other_member, thread=thread, position=7)
    assert marker(other_member, thread) == 7
    assert ReadMarker.objects.filter(user=other_member, thread=thread).count() == 1


def test_stale_knowledge_never_lowers_or_duplicates_the_marker(thread, other_member):
    """A request that read "no marker" and then lost a race to another request creating
    it: no IntegrityError, and the higher position wins either way."""
    mark_read(user=other_member, thread=thread, position=9)
    mark_read(user=other_member, thread=thread, position=5, known_position=None)
    assert marker(other_member, thread) == 9
    ReadMarker.objects.filter(user=other_member, thread=thread).update(position=2)
    mark_read(user=other_member, thread=thread, position=5, known_position=None)
    assert marker(other_member, thread) == 5
    mark_read(user=other_member, thread=thread, position=4, known_position=1)
    assert marker(other_member, thread) == 5
    assert ReadMarker.objects.filter(user=other_member, thread=thread).count() == 1


def test_query_costs_of_marking(thread, other_member):
    with CaptureQueriesContext(connection) as ctx:
        mark_read(user=other_member, thread=thread, position=1, known_position=None)
    assert len(ctx.captured_queries) == 1  # one upsert: creates or lifts, never lowers
    with CaptureQueriesContext(connection) as ctx:
        mark_read(user=other_member, thread=thread, position=4, known_position=1)
    assert len(ctx.captured_queries) == 1  # one conditional update
    with CaptureQueriesContext(connection) as ctx:
        mark_read(user=other_member, thread=thread, position=4, known_position=4)
        mark_read(user=AnonymousUser(), thread=thread, position=4)
    assert ctx.captured_queries == []


def test_visitors_have_no_marker(thread):
    mark_read(user=AnonymousUser(), thread=thread, position=1)
    assert not ReadMarker.objects.exclude(user=thread.author).exists()


def test_posting_counts_as_reading_up_to_ones_own_post(thread, member, other_member):
    assert marker(member, thread) == 1  # the opening post
    reply(thread, other_member, 2)
    assert marker(other_member, thread) == 3
    assert marker(member, thread) == 1
    reply(thread, member)
    assert marker(member, thread) == 4


# --- the thread page --------------------------------------------------------------------------


@pytest.fixture
def long_thread(thread, member, other_member):
    """Jamie's thread with replies by Priya filling page 1 and part of page 2; Jamie has
    seen only the opening post."""
    reply(thread, other_member, PER_PAGE + 4)
    thread.refresh_from_db()
    return thread


def test_opening_a_thread_lands_on_the_first_unread_post_on_page_2(client, long_thread, member):
    url = long_thread.get_absolute_url()
    client.force_login(member)
    client.get(url + "?page=1")  # reads page 1
    assert marker(member, long_thread) == PER_PAGE
    reply(long_thread, long_thread.posts.last().author)  # one more while Jamie is away
    first_unread = post_at(long_thread, PER_PAGE + 1)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=2#post-{first_unread.pk}"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert html.count(DIVIDER) == 1
    assert re.search(rf'{DIVIDER}</span></p>\s*<article[^>]*id="post-{first_unread.pk}"', html)
    assert marker(member, long_thread) == long_thread.posts.count()


def test_first_unread_on_page_1_lands_there_with_the_page_given(
    client, thread, member, other_member
):
    reply(thread, other_member, 3)
    client.force_login(member)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == (
        f"{thread.get_absolute_url()}?page=1#post-{post_at(thread, 2).pk}"
    )
    html = client.get(response["Location"]).content.decode()
    assert html.count(DIVIDER) == 1
    assert marker(member, thread) == 4


def test_explicit_page_is_never_redirected(client, long_thread, member):
    client.force_login(member)
    response = client.get(long_thread.get_absolute_url() + "?page=1")
    assert response.status_code == 200
    assert response.content.decode().count(DIVIDER) == 1  # post 2 is new
    assert marker(member, long_thread) == PER_PAGE


def test_visitors_see_the_top_and_no_divider(client, long_thread):
    response = client.get(long_thread.get_absolute_url())
    assert response.status_code == 200
    assert DIVIDER not in response.content.decode()


def test_a_thread_never_opened_starts_at_the_top_without_a_divider(client, long_thread, make_user):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    response = client.get(long_thread.get_absolute_url())
    assert response.status_code == 200
    assert DIVIDER not in response.content.decode()
    assert marker(newcomer, long_thread) == PER_PAGE  # the page shown is now read


def test_everything_read_shows_the_thread_plainly(client, thread, member, other_member):
    reply(thread, other_member)
    client.force_login(other_member)  # wrote the last post: read to the end
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert DIVIDER not in response.content.decode()
    # …and after reading the new post, Jamie too.
    client.force_login(member)
    landing = client.get(thread.get_absolute_url())
    assert landing.status_code == 302
    client.get(landing["Location"])
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert DIVIDER not in response.content.decode()


def test_no_divider_when_the_new_posts_are_on_another_page(client, long_thread, member):
    client.force_login(member)
    client.get(long_thread.get_absolute_url() + "?page=2")  # skipped ahead: all read
    response = client.get(long_thread.get_absolute_url() + "?page=1")
    assert DIVIDER not in response.content.decode()


def test_thread_page_query_cost_for_members(client, long_thread, member, make_user):
    """What unread tracking adds to the thread page for a signed-in member: reading the
    marker (1, with the member's other state) and raising it (1); creating it on a first
    visit costs 1 too (an upsert); nothing to write
    when the page holds nothing new. Landing redirects cost the marker and the post id."""
    url = long_thread.get_absolute_url()
    client.force_login(member)

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 302
    assert len(readmarker_queries(ctx)) == 1
    # The thread's own query reads the member's latest hidden post in a subquery.
    post_queries = [
        q for q in ctx.captured_queries if q["sql"].lower().startswith('select "forum_post"')
    ]
    assert len(post_queries) == 1

    with CaptureQueriesContext(connection) as ctx:
        client.get(url + "?page=1")  # new posts on it: read + raise
    assert len(readmarker_queries(ctx)) == 2
    with CaptureQueriesContext(connection) as ctx:
        client.get(url + "?page=1")  # nothing new on it: read only
    assert len(readmarker_queries(ctx)) == 1

    client.force_login(make_user("newcomer"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)  # never opened: read, then one upsert
    assert len(readmarker_queries(ctx)) == 2


def test_reading_writes_nothing_for_visitors(client, long_thread):
    with CaptureQueriesContext(connection) as ctx:
        client.get(long_thread.get_absolute_url())
    assert readmarker_queries(ctx) == []


# --- board lists: unread counts (optional helper) --------------------------------------------


def test_unread_counts_for_a_page_of_threads_in_one_query(rf, make_thread, member, other_member):
    opened, never = make_thread(member, title="Opened"), make_thread(other_member, title="New")
    reply(opened, other_member, 3)
    opened.refresh_from_db()
    request = rf.get("/b/help/")
    request.user = member
    threads = [opened, never]
    with CaptureQueriesContext(connection) as ctx:
        annotate_unread(request, threads)
    assert len(ctx.captured_queries) == 1
    assert (opened.unread_count, never.unread_count) == (3, None)

    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as ctx:
        annotate_unread(request, threads)
    assert ctx.captured_queries == []
    assert opened.unread_count is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_first_reads_end_at_the_highest_position(make_user, boards):
    """Several requests creating the same member's marker at once (each saw "no marker"):
    no IntegrityError, one row, the highest position."""
    import threading

    from django.db import connections

    author, reader = make_user("author"), make_user("reader")
    thread = forum_services.thread_create(
        board=boards["help"], author=author, title="Race", body="Go"
    )
    barrier = threading.Barrier(4)
    errors = []

    def read(position):
        try:
            barrier.wait(timeout=10)
            mark_read(user=reader, thread=thread, position=position, known_position=None)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=read, args=(p,)) for p in (3, 9, 5, 7)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert list(
        ReadMarker.objects.filter(user=reader, thread=thread).values_list("position", flat=True)
    ) == [9]


def test_reading_a_thread_reads_its_notifications(client, thread, member, other_member):
    """The bell stops counting a reply once the member has seen it on the thread page."""
    from forum.models import Notification

    forum_services.post_create(thread=thread, author=other_member, body="Here is what fixed it.")
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    assert unread.count() == 1
    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=1")
    assert unread.count() == 0


def test_board_rows_show_how_many_posts_are_new(client, thread, member, other_member):
    client.force_login(member)
    forum_services.post_create(thread=thread, author=other_member, body="One.")
    forum_services.post_create(thread=thread, author=other_member, body="Two.")
    html = client.get(thread.board.get_absolute_url()).content.decode()
    assert "2 new" in html
    client.get(thread.get_absolute_url() + "?page=1")
    assert "new</a>" not in client.get(thread.board.get_absolute_url()).content.decode()


def _read_url(thread) -> str:
    return f"/t/{thread.pk}/read/"


def test_posts_read_live_raise_the_marker_and_read_their_notifications(
    client, thread, member, other_member
):
    """The page script reports replies that arrived on an open page: the next visit starts
    after them and the bell forgets them."""
    from forum.models import Notification

    client.force_login(member)
    client.get(thread.get_absolute_url() + "?page=1")
    forum_services.post_create(thread=thread, author=other_member, body="Arrived live.")
    assert ReadMarker.objects.get(user=member, thread=thread).position == 1
    response = client.post(_read_url(thread), {"position": "2"})
    assert response.status_code == 204
    assert ReadMarker.objects.get(user=member, thread=thread).position == 2
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    # Never past the last post, never lower.
    client.post(_read_url(thread), {"position": "99"})
    assert ReadMarker.objects.get(user=member, thread=thread).position == 2
    client.post(_read_url(thread), {"position": "1"})
    assert ReadMarker.objects.get(user=member, thread=thread).position == 2


@pytest.mark.parametrize("position", ["", "0", "-1", "two", "1" * 12])
def test_marking_read_refuses_a_bad_position(client, thread, member, position):
    client.force_login(member)
    response = client.post(_read_url(thread), {"position": position})
    assert response.status_code == 400
    assert "whole number" in response.content.decode()


def test_visitors_cannot_mark_read_and_get_is_refused(client, thread, member):
    assert client.post(_read_url(thread), {"position": "1"}).status_code == 403
    client.force_login(member)
    assert client.get(_read_url(thread)).status_code == 405

"""Delete-as-spam removes a spammer's posts from every public surface — board lists and
their order, the counts and "latest" of the board index, the staff unanswered queue,
search, feeds, notifications (list, bell, emails), live fragments, the thread and profile
pages — and an admin's reversal brings every one of them back exactly.

Each test reads through real HTTP requests as a visitor, a member and staff. The scene: on
Help, Jamie asked "Export drops rows" (10:00) and Priya "Import is slow" (10:30); a new
account then started a spam thread (11:00), replied with spam in Jamie's thread (11:30),
and Priya replied in the spam thread (12:00). The moderator deletes the account as spam.
"""

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from forum.models import Board, Notification, Post, Thread, Watch
from forum.services import emails, keywords, notifications, post_create, thread_create, watching
from moderation.models import ModerationAction
from moderation.services import spam_delete

SPAM_TITLE = "BUY CHEAP WATCHES viagra casino"
SPAM_BODY = "Cheap watches at [our shop](https://watches.example) and @priya call +1-888-555-0100"
SPAM_REPLY = "great post! cheap watches here [loans](https://watches.example/loans)"
PRIYA_IN_SPAM = "Is this watches offer genuine?"
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

# Words of the spam that must appear on no public page once it is deleted.
TRACES = ("WATCHES", "watches.example", "great post! cheap", "genuine?")


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def no_trace(html: str) -> None:
    for trace in TRACES:
        assert trace not in html


@pytest.fixture
def scene(clock, help_board, make_user, member, other_member, staff, moderator, guidelines):
    clock.set(START)
    watching.watch_set(user=other_member, board=help_board, level=Watch.Level.WATCHING)
    keywords.keyword_watch_add(user=staff, term="watches")
    export = thread_create(
        board=help_board, author=member, title="Export drops rows", body="Rows vanish."
    )
    clock.advance(minutes=30)
    importing = thread_create(
        board=help_board, author=other_member, title="Import is slow", body="Takes an hour."
    )
    spammer = make_user("watchdeals", display_name="Watch Deals")
    clock.advance(minutes=30)
    spam = thread_create(board=help_board, author=spammer, title=SPAM_TITLE, body=SPAM_BODY)
    clock.advance(minutes=30)
    spam_reply = post_create(thread=export, author=spammer, body=SPAM_REPLY)
    clock.advance(minutes=30)
    post_create(thread=spam, author=other_member, body=PRIYA_IN_SPAM)
    clock.advance(minutes=30)
    return {
        "export": export,
        "import": importing,
        "spam": spam,
        "spam_reply": spam_reply,
        "spammer": spammer,
        "board": help_board,
    }


def delete_as_spam(client, moderator, spammer) -> ModerationAction:
    client.force_login(moderator)
    response = client.post(
        f"/moderation/members/{spammer.pk}/spam/", {"rules": ["G4"], "note": "Watch spam."}
    )
    assert response.status_code == 302
    client.logout()
    return ModerationAction.objects.get(kind=ModerationAction.Kind.SPAM_DELETE)


def reverse_spam(client, admin_user, action) -> None:
    client.force_login(admin_user)
    response = client.post(f"/moderation/log/{action.pk}/reverse/", {"note": "A real shop."})
    assert response.status_code == 302
    client.logout()
    assert action.__class__.objects.filter(reverses=action).exists()


@pytest.fixture
def readers(member, other_member, staff):
    """(name, user) for a visitor, a member and staff."""
    return [("visitor", None), ("member", member), ("other", other_member), ("staff", staff)]


def as_each(client, readers):
    for _name, user in readers:
        client.logout()
        if user is not None:
            client.force_login(user)
        yield user
    client.logout()


# --- Board index and board pages ------------------------------------------------------


def board_index_help(html: str) -> str:
    start = html.index('board-card--help"')
    return html[start : html.index("</li>", start)]


def test_board_index_counts_and_latest_leave_out_the_spam(client, scene, moderator, readers):
    before = board_index_help(page(client, "/"))
    assert "3 threads · 5 posts" in before and "latest:" in before
    assert "Is this watches offer" not in before  # titles, not bodies, are shown
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        card = board_index_help(page(client, "/"))
        assert "2 threads · 2 posts" in card
        assert "latest: " in card and "Import is slow" in card and "by Priya" in card
        no_trace(card)
        assert "Watch Deals" not in card
    board = Board.objects.get(pk=scene["board"].pk)
    assert (board.thread_count, board.post_count) == (2, 2)
    assert board.last_post_id == Post.objects.get(thread=scene["import"], position=1).pk


def thread_rows(html: str) -> list[str]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.split('<tr class="thread-row')[1:]


def test_board_page_lists_order_and_counts_without_the_spam(client, scene, moderator, readers):
    rows = thread_rows(page(client, "/b/help/"))
    assert SPAM_TITLE in rows[0] and "Export drops rows" in rows[1]  # spam bumped both
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        html = page(client, "/b/help/")
        no_trace(html)
        rows = thread_rows(html)
        assert len(rows) == 2
        # By last activity: the spam reply no longer keeps "Export drops rows" on top.
        assert "Import is slow" in rows[0] and "Export drops rows" in rows[1]
        assert 'data-label="Replies">0<' in rows[1]
        assert "Watch Deals" not in rows[1] and "Jamie, <time" in rows[1]
        # Sorts and filters read the same list.
        for query in ("?sort=replies", "?sort=newest", "?state=awaiting_staff"):
            listed = page(client, "/b/help/" + query)
            no_trace(listed)
        # "Most replies" counts the replies shown: the hidden one lifts nothing.
        assert "Import is slow" in thread_rows(page(client, "/b/help/?sort=replies"))[0]
    export = Thread.objects.get(pk=scene["export"].pk)
    assert export.shown_reply_count == 0 and export.last_poster_id == export.author_id
    assert export.last_activity_at == export.created_at


def test_the_spam_thread_and_its_posts_are_missing_but_moderators_still_see_them(
    client, scene, moderator, readers
):
    spam, reply = scene["spam"], scene["spam_reply"]
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        page(client, f"/t/{spam.pk}/", status=404)
        page(client, f"/p/{Post.objects.get(thread=spam, position=2).pk}/", status=404)
        html = page(client, f"/t/{scene['export'].pk}/?page=1")
        assert "great post! cheap" not in html and "Hidden by moderators" in html
        assert "0 replies" in html
    client.force_login(moderator)
    assert SPAM_TITLE in page(client, f"/t/{spam.pk}/")
    assert SPAM_REPLY.split("[")[0].strip() in page(client, f"/t/{reply.thread_id}/")


def test_profile_lists_no_spam(client, scene, moderator, readers):
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        no_trace(page(client, "/u/watchdeals/"))
        html = page(client, "/u/priya/")
        assert "Import is slow" in html and "genuine" not in html and SPAM_TITLE not in html


# --- The staff unanswered queue --------------------------------------------------------


def test_unanswered_queue_leaves_out_the_spam_thread(client, scene, moderator, staff):
    client.force_login(staff)
    assert SPAM_TITLE in page(client, "/staff/unanswered/")
    delete_as_spam(client, moderator, scene["spammer"])
    client.force_login(staff)
    html = page(client, "/staff/unanswered/")
    no_trace(html)
    assert "Export drops rows" in html and "Import is slow" in html


# --- Search (SQLite FTS5 or PostgreSQL full text, whichever this run uses) --------------


@pytest.mark.parametrize("words", ["watches", "casino", "genuine", "loans"])
def test_search_finds_nothing_of_the_spam(client, scene, moderator, readers, words):
    client.force_login(moderator)
    assert "search-hit" in page(client, f"/search/?q={words}")
    client.logout()
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        html = page(client, f"/search/?q={words}")
        assert "search-hit__title" not in html
        no_trace(html.split('name="q"')[1].split(">", 1)[1])  # the query box echoes it


# --- Feeds -----------------------------------------------------------------------------


def test_feeds_carry_no_spam(client, scene, moderator, readers):
    spam, export = scene["spam"], scene["export"]
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        for kind in ("rss", "atom"):
            board_feed = page(client, f"/b/help/feed/{kind}/")
            no_trace(board_feed)
            assert "Import is slow" in board_feed and "Export drops rows" in board_feed
            no_trace(page(client, f"/t/{export.pk}/feed/{kind}/"))
            page(client, f"/t/{spam.pk}/feed/{kind}/", status=404)
            member_feed = page(client, f"/feeds/u/watchdeals/{kind}/")
            assert "<item>" not in member_feed and "<entry>" not in member_feed
            priya_feed = page(client, f"/feeds/u/priya/{kind}/")
            no_trace(priya_feed)
            assert "Import is slow" in priya_feed
            no_trace(page(client, f"/search/feed/{kind}/?q=watches+OR+genuine"))


# --- Notifications -------------------------------------------------------------------------


def bell(html: str) -> str:
    start = html.index("data-notification-bell")
    return html[html.rindex("<a ", 0, start) : html.index("</a>", start)]


def test_notifications_about_the_spam_leave_the_list_and_the_bell(
    client, scene, moderator, member, other_member, staff
):
    # Priya: mentioned in the spam thread (and watching Help); Jamie: the spam reply in his
    # thread; Sam: both posts matched his keyword watch.
    unread_before = {member: "1 unread", other_member: "3 unread", staff: "3 unread"}
    for user, words in unread_before.items():
        client.force_login(user)
        assert words in bell(page(client, "/"))
    delete_as_spam(client, moderator, scene["spammer"])
    # Only Priya's notice of Jamie's thread is left.
    unread_after = {member: "Notifications", other_member: "1 unread", staff: "Notifications"}
    for user, words in unread_after.items():
        client.force_login(user)
        html = page(client, "/notifications/")
        no_trace(html)
        assert words in bell(html)
        assert words in bell(page(client, "/"))
    client.force_login(other_member)
    assert "Watch Deals" not in page(client, "/notifications/")


# --- Live updates ---------------------------------------------------------------------------


def test_live_fragments_never_carry_the_spam(client, scene, moderator, readers):
    spam, export = scene["spam"], scene["export"]
    delete_as_spam(client, moderator, scene["spammer"])
    for _ in as_each(client, readers):
        page(client, f"/t/{spam.pk}/live/posts/?after=0", status=404)
        page(client, f"/t/{spam.pk}/live/banners/", status=404)
        response = client.get(f"/t/{export.pk}/live/posts/?after=1")
        assert response.status_code == 200
        no_trace(response.content.decode())
        assert response["X-Reply-Count"] == "0"


# --- The reversal ----------------------------------------------------------------------------


def public_view(client, scene, readers) -> list[str]:
    """What a visitor, members and staff read on every surface, as text to compare."""
    seen = []
    for user in as_each(client, readers):
        urls = [
            "/",
            "/b/help/",
            "/b/help/?sort=replies",
            f"/t/{scene['spam'].pk}/?page=1",
            f"/t/{scene['export'].pk}/?page=1",
            "/search/?q=watches",
            "/search/?q=genuine",
            "/b/help/feed/atom/",
            f"/feeds/u/{scene['spammer'].username}/rss/",
            "/u/watchdeals/",
        ]
        if user is not None:
            urls.append("/notifications/")
        if user is not None and user.is_employee:
            urls.append("/staff/unanswered/")
        for url in urls:
            response = client.get(url)
            html = response.content.decode()
            html = html.split("<main", 1)[-1] if "<main" in html else html
            # Times are written relative to now ("2 hours ago"); feeds carry build times.
            seen.append(f"{url} {response.status_code} {_without_times(html)}")
    return seen


def _without_times(html: str) -> str:
    html = re.sub(r"<time[^>]*>[^<]*</time>", "", html)
    html = re.sub(r"<(lastBuildDate|updated)>[^<]*</\1>", "", html)
    html = re.sub(r'name="submission_key" value="[^"]*"', "", html)
    html = re.sub(r' nonce="[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_reversing_the_spam_deletion_brings_every_surface_back_exactly(
    client, scene, moderator, admin_user, readers
):
    def counters():
        board = Board.objects.get(pk=scene["board"].pk)
        threads = Thread.objects.filter(board=board).order_by("pk")
        return (
            (board.thread_count, board.post_count, board.last_post_id, board.last_activity_at),
            [
                (t.is_hidden, t.shown_reply_count, t.last_post_id, t.last_poster_id,
                 t.last_activity_at)
                for t in threads
            ],
        )  # fmt: skip

    public_view(client, scene, readers)  # reading marks threads and notifications read
    counters_before = counters()
    bells_before = {user.pk: notifications_unread(user) for _, user in readers if user is not None}
    before = public_view(client, scene, readers)
    action = delete_as_spam(client, moderator, scene["spammer"])
    assert public_view(client, scene, readers) != before
    reverse_spam(client, admin_user, action)
    assert counters() == counters_before
    after = public_view(client, scene, readers)
    assert after == before
    assert {
        user.pk: notifications_unread(user) for _, user in readers if user is not None
    } == bells_before


def notifications_unread(user: User) -> int:
    from forum.selectors.notifications import unread_notification_count

    return unread_notification_count(user=user)


# --- Read costs: hiding is a filter on rows already read, never a query more ---------------


@pytest.mark.parametrize(
    ("url", "user"), [("/", None), ("/b/help/", None), ("/staff/unanswered/", "staff")]
)
def test_lists_read_as_many_queries_with_spam_deleted(client, scene, moderator, url, user, request):
    def queries() -> int:
        client.logout()
        if user:
            client.force_login(request.getfixturevalue(user))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    delete_as_spam(client, moderator, scene["spammer"])
    assert queries() == before


# --- Email: nothing about a spam post leaves later ----------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_email_about_the_spam_leaves_after_the_deletion(
    client, clock, help_board, make_user, member, other_member, staff, moderator, guidelines
):
    """Jamie takes a daily digest, Priya and Sam immediate emails whose task has not run yet
    when the moderator acts: neither the digest nor the queued emails mention the spam."""
    from tests.task_runner import run_worker

    clock.set(START)
    notifications.email_frequency_set(user=member, frequency=User.EmailFrequency.DAILY)
    watching.watch_set(user=other_member, board=help_board, level=Watch.Level.WATCHING)
    keywords.keyword_watch_add(user=staff, term="watches")
    export = thread_create(board=help_board, author=member, title="Export drops rows", body="x")
    spammer = make_user("watchdeals", display_name="Watch Deals")
    spam = thread_create(board=help_board, author=spammer, title=SPAM_TITLE, body=SPAM_BODY)
    post_create(thread=export, author=spammer, body=SPAM_REPLY)
    # Sam's keyword watch matches Priya's reply too: its summary names the spam thread.
    post_create(thread=spam, author=other_member, body=PRIYA_IN_SPAM)
    post_create(thread=export, author=other_member, body="Try the CSV option.")
    assert Notification.objects.filter(emailed_at__isnull=True).count() >= 4
    spam_delete(actor=moderator, member=spammer)
    run_worker()
    clock.advance(hours=3)
    call_command("send_digests", stdout=StringIO())
    run_worker()
    sent = [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]
    assert sent, "the legitimate reply is still emailed"
    for message in sent:
        no_trace(message.subject + message.body)
    assert any("Try the CSV option" in m.body for m in sent)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emails_still_in_the_outbox_are_taken_back(
    clock, help_board, make_user, member, other_member, moderator, guidelines
):
    """The mail server was down: Priya's immediate email about the spam thread and Jamie's
    digest listing the spam reply (with a real reply) wait in the outbox. Delete-as-spam
    takes both back; Jamie gets a fresh digest without the spam; nothing else changes."""
    from accounts.models import OutboundEmail
    from tests.task_runner import run_worker

    clock.set(START)
    notifications.email_frequency_set(user=member, frequency=User.EmailFrequency.DAILY)
    watching.watch_set(user=other_member, board=help_board, level=Watch.Level.WATCHING)
    export = thread_create(board=help_board, author=member, title="Export drops rows", body="x")
    spammer = make_user("watchdeals", display_name="Watch Deals")
    thread_create(board=help_board, author=spammer, title=SPAM_TITLE, body=SPAM_BODY)
    post_create(thread=export, author=spammer, body=SPAM_REPLY)
    post_create(thread=export, author=other_member, body="Try the CSV option.")
    DBTaskResult.objects.all().delete()  # the server is down: nothing is delivered yet
    priya = Notification.objects.get(recipient=other_member, post__thread__title=SPAM_TITLE)
    assert emails.email_send_immediate(notification_ids=[priya.pk]) == 1
    assert emails.email_send_digest(user_id=member.pk) == 2
    queued = list(OutboundEmail.objects.values_list("pk", flat=True))
    assert len(queued) == 2

    spam_delete(actor=moderator, member=spammer)

    assert not OutboundEmail.objects.filter(pk__in=queued).exists()
    [digest] = OutboundEmail.objects.filter(kind="digest")
    assert "Try the CSV option" in digest.body
    no_trace(digest.subject + digest.body)
    priya.refresh_from_db()
    assert priya.emailed_at is None and priya.email_id is None
    run_worker()
    sent = [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]
    assert [m.to for m in sent] == [[member.email]]
    no_trace(sent[0].body)


# --- Counters stay exact: a recount from the posts agrees, also under concurrent writes -----


def assert_counters_match_a_recount(board: Board) -> None:
    board = Board.objects.get(pk=board.pk)
    public = Thread.objects.filter(board=board, is_hidden=False)
    shown = Post.objects.filter(thread__board=board, is_hidden=False, thread__is_hidden=False)
    latest = public.order_by("-last_activity_at", "-pk").first()
    assert (board.thread_count, board.post_count) == (public.count(), shown.count())
    assert board.last_post_id == (latest.last_post_id if latest else None)
    for thread in Thread.objects.filter(board=board):
        visible = Post.objects.filter(thread=thread, is_hidden=False).order_by("-position")
        assert thread.shown_reply_count == visible.filter(position__gt=1).count()
        assert thread.is_hidden == Post.objects.get(thread=thread, position=1).is_hidden
        if visible.exists():
            assert thread.last_post_id == visible.first().pk
            assert thread.last_activity_at == visible.first().created_at


def test_counters_match_a_recount_after_deletion_and_reversal(client, scene, moderator, admin_user):
    assert_counters_match_a_recount(scene["board"])
    action = delete_as_spam(client, moderator, scene["spammer"])
    assert_counters_match_a_recount(scene["board"])
    reverse_spam(client, admin_user, action)
    assert_counters_match_a_recount(scene["board"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_replies_racing_a_spam_deletion_leave_exact_counters(
    help_board, make_user, member, other_member, moderator, guidelines
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL; SQLite serialises writers")
    from tests.threads import run_together

    spammer = make_user("watchdeals")
    threads = [
        thread_create(board=help_board, author=member, title=f"Question {n}", body="?")
        for n in range(3)
    ]
    spam = thread_create(board=help_board, author=spammer, title=SPAM_TITLE, body=SPAM_BODY)
    for thread in threads:
        post_create(thread=thread, author=spammer, body=SPAM_REPLY)

    def reply(thread):
        return lambda: post_create(thread=thread, author=other_member, body="A real answer.")

    results, errors = run_together(
        lambda: spam_delete(actor=moderator, member=spammer),
        *(reply(thread) for thread in [*threads, spam]),
    )
    assert errors == [None] * 5
    assert_counters_match_a_recount(help_board)
    board = Board.objects.get(pk=help_board.pk)
    assert board.thread_count == 3 and board.post_count == 6


# --- Live updates over the WebSocket ---------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_open_copies_of_the_spam_thread_lose_it_and_get_nothing_new(
    help_board, make_user, member, other_member, moderator, guidelines
):
    """A visitor and a member had the spam thread open: the deletion replaces its content
    with the placeholder, a later reply in it is pushed to moderators only, and the thread
    can no longer be followed."""
    from channels.db import database_sync_to_async

    from tests.forum.test_live_consumer import TIMEOUT, connect, run, subscribe

    spammer = make_user("watchdeals", display_name="Watch Deals")
    spam = thread_create(board=help_board, author=spammer, title=SPAM_TITLE, body=SPAM_BODY)

    async def scenario():
        visitor, jamie, mod = await connect(), await connect(member), await connect(moderator)
        for communicator in (visitor, jamie, mod):
            assert (await subscribe(communicator, thread=spam.pk))["type"] == "subscribed"
        await database_sync_to_async(spam_delete)(actor=moderator, member=spammer)
        for communicator in (visitor, jamie):
            event = await communicator.receive_json_from(timeout=TIMEOUT)
            assert event["type"] == "post.changed" and "Hidden by moderators" in event["html"]
            no_trace(event["html"])
        assert "Cheap watches" in (await mod.receive_json_from(timeout=TIMEOUT))["html"]
        await database_sync_to_async(post_create)(
            thread=spam, author=other_member, body=PRIYA_IN_SPAM
        )
        assert "genuine?" in (await mod.receive_json_from(timeout=TIMEOUT))["html"]
        for communicator in (visitor, jamie):
            assert await communicator.receive_nothing(timeout=0.2)
        late = await connect(member)
        await late.send_json_to({"action": "subscribe", "thread": spam.pk})
        assert await late.receive_json_from(timeout=TIMEOUT) == {
            "type": "error",
            "reason": "No such thread.",
        }
        for communicator in (visitor, jamie, mod, late):
            await communicator.disconnect()

    run(scenario)


def test_the_migration_counts_posts_hidden_before_it(scene):
    """Posts hidden before counters knew about hiding: the migration that added them
    recomputes every thread and board from the posts."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("forum.migrations.0008_thread_visibility")
    spam_ids = Post.objects.filter(author=scene["spammer"]).values_list("pk", flat=True)
    Post.objects.filter(pk__in=list(spam_ids)).update(is_hidden=True, hidden_rule_code="G4")
    migration.fill_from_hidden_posts(apps, None)
    assert_counters_match_a_recount(scene["board"])
    assert Thread.objects.get(pk=scene["spam"].pk).is_hidden

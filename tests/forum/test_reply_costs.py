"""A reply costs a fixed number of queries, whoever watches the thread or its board: the
watchers and the mutes come from one read of the watch rows, the notifications are one
INSERT, and nothing is read twice."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.models import Notification, Post
from forum.selectors.notifications import unread_notification_counts
from forum.services import post_create
from forum.services.watching import watch_set

# At most, up to the commit: session, user, the thread, the member's block, lockdowns,
# spam screening (author's public posts, token counts, recent bodies), the service's
# transaction (the view adds none unless the post goes to the review queue), the locked
# thread with its notice flag, the post (indexed for search as it is written), its
# revision, thread, board and author counters, the watch rows (which say whether the
# author watches the thread already), their read marker; with anyone to tell, the
# watchers and the notifications' INSERT in its savepoint. A repeated submission key is
# found by its unique constraint, not looked for first.
REPLY_MAX_QUERIES = 18
TELLING_EXTRA = 4


def reply(client, thread, body, key):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(f"/t/{thread.pk}/reply/", {"body": body, "submission_key": key})
    assert response.status_code == 302
    # SQLite keeps its full-text index in a table of its own (two statements per post);
    # PostgreSQL indexes the post as it is inserted.
    return [q["sql"] for q in ctx.captured_queries if "forum_post_fts" not in q["sql"]]


def inserts_watch(sqls) -> bool:
    return any(sql.startswith("INSERT") and '"forum_watch"' in sql for sql in sqls)


@pytest.mark.parametrize("watchers", [0, 6])
def test_a_reply_costs_the_same_queries_whatever_the_watchers(
    thread, member, make_user, help_board, watchers
):
    for _ in range(watchers):
        watch_set(user=make_user(), thread=thread, level="watching")
        watch_set(user=make_user(), board=help_board, level="watching")
    muted = make_user()
    watch_set(user=muted, thread=thread, level="muted")
    client = Client()
    client.force_login(member)
    client.get(thread.get_absolute_url())
    sqls = reply(client, thread, "A first reply to settle the read marker.", "k1")
    sqls = reply(client, thread, "Another reply, counted this time.", "k2")
    told = Notification.objects.filter(post=Post.objects.get(submission_key="k2"))
    assert told.count() == 2 * watchers
    assert not told.filter(recipient=muted).exists()
    assert len(sqls) <= REPLY_MAX_QUERIES + (TELLING_EXTRA if watchers else 0)
    assert not [sql for sql in sqls if sql.startswith('UPDATE "forum_post"')]
    # The notice flag comes with the locked thread row.
    assert not [
        sql
        for sql in sqls
        if 'FROM "forum_notice"' in sql and not sql.startswith('SELECT "forum_thread"."id"')
    ]


def test_a_resent_reply_form_makes_one_post(thread, member):
    client = Client()
    client.force_login(member)
    reply(client, thread, "Sent twice by a double click.", "same-key")
    reply(client, thread, "Sent twice by a double click.", "same-key")
    assert Post.objects.filter(thread=thread, submission_key="same-key").count() == 1
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_replying_watches_the_thread_once_and_keeps_a_chosen_level(thread, make_user):
    replier, muting = make_user(), make_user()
    watch_set(user=muting, thread=thread, level="muted")
    client = Client()
    client.force_login(replier)
    first = reply(client, thread, "Replying watches the thread.", "w1")
    assert inserts_watch(first)
    second = reply(client, thread, "Already watching: no second insert.", "w2")
    assert not inserts_watch(second)
    assert thread.watches.get(user=replier).level == "watching"
    client.force_login(muting)
    reply(client, thread, "Muted, and it stays muted.", "w3")
    assert thread.watches.get(user=muting).level == "muted"


def test_the_told_members_unread_counts_are_read_in_one_query_after_commit(
    thread, member, make_user, django_capture_on_commit_callbacks
):
    watchers = [make_user() for _ in range(4)]
    for watcher in watchers:
        watch_set(user=watcher, thread=thread, level="watching")
    with django_capture_on_commit_callbacks() as callbacks:
        post_create(thread=thread, author=member, body="A reply four watchers hear about.")
    with CaptureQueriesContext(connection) as ctx:
        for callback in callbacks:
            callback()
    counts = [q["sql"] for q in ctx.captured_queries if 'FROM "forum_notification"' in q["sql"]]
    assert len(counts) == 1
    assert unread_notification_counts(user_ids=[w.pk for w in watchers] + [member.pk]) == {
        **{watcher.pk: 1 for watcher in watchers},
        member.pk: 0,
    }

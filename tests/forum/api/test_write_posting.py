"""Starting a thread and replying through the API: the site's form, spam screening and
service over JSON — field errors in the form's words, a held post still created (held),
the Idempotency-Key as the form's submission key, and the write budget."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.forms import PostForm, ThreadForm
from forum.models import Post, Thread
from forum.services.validation import validate_title
from moderation.models import ReviewItem
from tests.forum.api.write_helpers import bearer, error_of, send

pytestmark = pytest.mark.django_db

# A new account's post with a link is held for review by the default spam policy.
LINKED = "The export stops halfway; I followed https://docs.python.org/3/library/csv.html first."


def test_a_write_token_starts_a_thread_with_its_location(client, member, help_board):
    response = send(
        client,
        "post",
        "/api/v1/boards/help/threads",
        {"title": "Export drops the last rows", "body": "It happens **every** time."},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    thread = Thread.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/threads/{thread.pk}"
    assert thread.author == member and thread.board == help_board
    assert body["title"] == "Export drops the last rows"
    assert body["board"]["slug"] == "help"
    assert body["author"]["username"] == "jamie"
    assert body["state"] == "awaiting_staff"
    assert thread.posts.get().body_html == "<p>It happens <strong>every</strong> time.</p>"


def test_a_reply_is_created_and_returned_rendered(client, member, other_member, thread):
    response = send(
        client,
        "post",
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": "Same here, with *CSV* files."},
        **bearer(other_member),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    post = Post.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/posts/{post.pk}"
    assert (post.thread_id, post.author, post.position) == (thread.pk, other_member, 2)
    assert body["body"] == "Same here, with *CSV* files."
    assert body["body_html"] == "<p>Same here, with <em>CSV</em> files.</p>"
    assert body["is_held"] is False
    assert body["url"] == post.get_absolute_url()


def test_missing_fields_are_answered_in_the_forms_words(client, member, help_board, thread):
    token = bearer(member)
    response = send(client, "post", "/api/v1/boards/help/threads", {"title": "Hi"}, **token)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    required = str(ThreadForm.base_fields["body"].error_messages["required"])
    assert error["fields"] == {"body": [required]}
    # The service's length rule names its field, as on the site's form.
    with pytest.raises(ValidationError) as refused:
        validate_title("Hi")
    response = send(
        client,
        "post",
        "/api/v1/boards/help/threads",
        {"title": "Hi", "body": "Enough of a body."},
        **token,
    )
    assert error_of(response)["fields"] == refused.value.message_dict
    response = send(client, "post", f"/api/v1/threads/{thread.pk}/posts", {"body": ""}, **token)
    required = str(PostForm.base_fields["body"].error_messages["required"])
    assert error_of(response)["fields"] == {"body": [required]}
    assert Thread.objects.count() == 1 and Post.objects.count() == 1


def test_a_held_reply_is_created_held_and_queued(client, member, other_member, thread):
    response = send(
        client,
        "post",
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": LINKED},
        **bearer(other_member),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_held"] is True
    post = Post.objects.get(pk=body["id"])
    assert post.held_at is not None and post.is_hidden
    assert ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.HELD_POST).exists()
    # Nobody else sees it: a visitor's read of the thread still shows no reply.
    thread.refresh_from_db()
    assert thread.shown_reply_count == 0


def test_a_held_thread_is_created_hidden(client, member, help_board):
    response = send(
        client,
        "post",
        "/api/v1/boards/help/threads",
        {"title": "Export stops halfway", "body": LINKED},
        **bearer(member),
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(pk=response.json()["id"])
    assert thread.is_hidden and thread.posts.get().held_at is not None
    assert response.json()["state"] == ""


def test_an_idempotency_key_posts_a_reply_once(client, other_member, thread):
    token = bearer(other_member)
    key = {"HTTP_IDEMPOTENCY_KEY": "4f1c2b9e-reply-1"}
    first = send(
        client, "post", f"/api/v1/threads/{thread.pk}/posts", {"body": "Once."}, **token, **key
    )
    again = send(
        client, "post", f"/api/v1/threads/{thread.pk}/posts", {"body": "Once."}, **token, **key
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Post.objects.filter(thread=thread).count() == 2
    # Without a key, or with another, each request is its own reply.
    send(client, "post", f"/api/v1/threads/{thread.pk}/posts", {"body": "Twice."}, **token)
    send(
        client,
        "post",
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": "Once."},
        HTTP_IDEMPOTENCY_KEY="another",
        **token,
    )
    assert Post.objects.filter(thread=thread).count() == 4


def test_an_idempotency_key_starts_a_thread_once(client, member, help_board):
    token = {**bearer(member), "HTTP_IDEMPOTENCY_KEY": "start-1"}
    data = {"title": "Export drops the last rows", "body": "Every time."}
    first = send(client, "post", "/api/v1/boards/help/threads", data, **token)
    again = send(client, "post", "/api/v1/boards/help/threads", data, **token)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Thread.objects.count() == 1


def test_an_overlong_idempotency_key_is_refused_by_its_name(client, other_member, thread):
    response = send(
        client,
        "post",
        f"/api/v1/threads/{thread.pk}/posts",
        {"body": "Kept."},
        HTTP_IDEMPOTENCY_KEY="k" * 65,
        **bearer(other_member),
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["Idempotency-Key"]
    assert not Post.objects.filter(author=other_member).exists()


def test_a_missing_or_hidden_board_or_thread_is_the_same_404(client, member, moderator, thread):
    token = bearer(member)
    data = {"title": "Export drops rows", "body": "Every time."}
    missing = send(client, "post", "/api/v1/boards/nowhere/threads", data, **token)
    assert missing.status_code == 404
    gone = send(client, "post", "/api/v1/threads/987654/posts", {"body": "Hi"}, **token)
    assert gone.status_code == 404
    assert error_of(missing)["message"] == error_of(gone)["message"]


# The token; the thread; the member's block; lockdowns; spam screening (public posts,
# token counts, recent bodies); the service's savepoint, the locked thread, the post, its
# revision, thread, board and author counters; the watch rows; the read marker; the
# thread's author, told in a savepoint of its own (three). As the site's reply form, with
# the token in place of the session and its user. SQLite's full-text table is left out
# (PostgreSQL indexes the post as it is inserted).
REPLY_QUERIES = 21


def test_a_reply_costs_a_pinned_number_of_queries(client, other_member, thread):
    token = bearer(other_member)
    send(client, "post", f"/api/v1/threads/{thread.pk}/posts", {"body": "Warm."}, **token)
    with CaptureQueriesContext(connection) as ctx:
        response = send(
            client, "post", f"/api/v1/threads/{thread.pk}/posts", {"body": "Counted."}, **token
        )
    assert response.status_code == 201
    sqls = [q["sql"] for q in ctx.captured_queries if "forum_post_fts" not in q["sql"]]
    assert len(sqls) == REPLY_QUERIES, "\n".join(sqls)


def test_a_read_token_is_refused_before_the_lookup_and_the_form(client, member, help_board):
    token = bearer(member, "read")
    for path, data in [
        ("/api/v1/threads/987654/posts", {"body": "Hi"}),
        ("/api/v1/boards/nowhere/threads", {}),
        ("/api/v1/boards/help/threads", {"title": "Hi"}),
    ]:
        response = send(client, "post", path, data, **token)
        assert response.status_code == 403, path
        assert error_of(response)["message"].startswith("This token's scope is “read”"), path
    assert not Thread.objects.exists()

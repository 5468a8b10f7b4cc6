import re

import pytest
from django.test import override_settings
from django.urls import reverse

from forum.models import Post, Thread
from forum.ratelimit import record_write
from forum.services import post_create, post_edit, thread_set_pinned


def html_of(response) -> str:
    return response.content.decode()


def test_board_index_lists_the_three_boards(client, boards):
    html = html_of(client.get(reverse("forum:board-index")))
    for name in ("Help", "Bugs", "Ideas"):
        assert f">{name}</a>" in html


def test_board_page_orders_pinned_first_then_by_last_activity(
    client, member, other_member, make_thread
):
    old = make_thread(member, title="Old but pinned")
    quiet = make_thread(member, title="Quiet thread")
    busy = make_thread(member, title="Busy thread")
    post_create(thread=quiet, author=other_member, body="bump")  # quiet is now most recent
    thread_set_pinned(thread=old, pinned=True)
    html = html_of(client.get(reverse("forum:board-detail", kwargs={"board_slug": "help"})))
    order = [html.index(t) for t in ("Old but pinned", "Quiet thread", "Busy thread")]
    assert order == sorted(order)
    assert "Pinned" in html
    assert busy.title in html


def test_board_page_shows_reply_count_and_last_poster(client, thread, other_member):
    post_create(thread=thread, author=other_member, body="me too")
    html = html_of(client.get(reverse("forum:board-detail", kwargs={"board_slug": "help"})))
    row = html[html.index(thread.title) :]
    assert re.search(r'data-label="Replies">1<', row)
    assert "Priya" in row


@override_settings(FORUM_THREADS_PER_PAGE=2)
def test_board_page_paginates(client, member, make_thread):
    for n in range(5):
        make_thread(member, title=f"Thread number {n}")
    first = html_of(client.get("/b/help/"))
    third = html_of(client.get("/b/help/?page=3"))
    assert "Page 1 of 3" in first and "Thread number 4" in first
    assert "Thread number 0" in third and "Thread number 4" not in third
    assert client.get("/b/help/?page=999").status_code == 200  # clamps to the last page


def test_unknown_board_and_thread_are_404(client, db):
    assert client.get("/b/nope/").status_code == 404
    assert client.get("/t/999999/").status_code == 404
    assert client.get("/p/999999/").status_code == 404


def test_thread_page_shows_badges_and_permalinks(client, thread, staff, moderator):
    reply = post_create(thread=thread, author=staff, body="Use **UTF-8**.")
    post_create(thread=thread, author=moderator, body="Please keep it civil.")
    html = html_of(client.get(thread.get_absolute_url()))
    staff_post = html[html.index(f'id="post-{reply.pk}"') :]
    staff_post = staff_post[: staff_post.index("</article>")]
    assert 'class="badge badge--staff"' in staff_post and "Support Engineer" in staff_post
    assert "post--staff" in html
    assert 'class="badge badge--moderator"' in html
    assert f'href="/p/{reply.pk}/"' in html
    assert "<strong>UTF-8</strong>" in html


@override_settings(FORUM_POSTS_PER_PAGE=3)
def test_thread_pages_and_permalinks_land_on_the_right_page(client, thread, other_member):
    posts = [post_create(thread=thread, author=other_member, body=f"reply {n}") for n in range(5)]
    page_two = html_of(client.get(thread.get_absolute_url() + "?page=2"))
    assert "reply 2" in page_two and "reply 0" not in page_two
    response = client.get(reverse("forum:post-permalink", kwargs={"post_id": posts[-1].pk}))
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/?page=2#post-{posts[-1].pk}"


def test_visitor_is_sent_to_sign_in_to_write(client, help_board, thread):
    for url in ("/b/help/new/", f"/t/{thread.pk}/reply/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "hi"})
    assert response.status_code == 302
    assert thread.posts.count() == 1


def test_start_a_thread(client, member, help_board):
    client.force_login(member)
    form_html = html_of(client.get("/b/help/new/"))
    key = re.search(r'name="submission_key" value="(\w+)"', form_html).group(1)
    response = client.post(
        "/b/help/new/",
        {"title": "How do I export?", "body": "Steps **here**", "submission_key": key},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    again = client.post(
        "/b/help/new/",
        {"title": "How do I export?", "body": "Steps **here**", "submission_key": key},
    )
    assert again["Location"] == f"/t/{thread.pk}/"
    assert Thread.objects.count() == 1


def test_over_long_title_shows_the_error_and_keeps_the_text(client, member, help_board):
    client.force_login(member)
    title = "T" * 151
    body = "A long message I do not want to type again.\n\nWith <two> paragraphs & symbols."
    response = client.post("/b/help/new/", {"title": title, "body": body, "submission_key": "abc"})
    assert response.status_code == 400
    html = html_of(response)
    assert "at most 150 characters; this one has 151" in html
    assert f'value="{title}"' in html
    assert "With &lt;two&gt; paragraphs &amp; symbols." in html
    assert "maxlength" not in html  # the browser must not cut a paste short
    # the error sits with its field
    field = html[html.index('for="id_title"') - 200 : html.index('id="id_title"')]
    assert "field--error" in field and "field__errors" in field
    assert not Thread.objects.exists()


def test_empty_reply_is_refused_with_a_clear_error(client, member, thread):
    client.force_login(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "   ", "submission_key": "k"})
    assert response.status_code == 400
    assert "This field is required." in html_of(response) or "empty" in html_of(response)
    assert thread.posts.count() == 1


def test_over_long_reply_keeps_the_text(client, member, thread):
    client.force_login(member)
    body = "word " * 10_001
    response = client.post(f"/t/{thread.pk}/reply/", {"body": body, "submission_key": "k"})
    assert response.status_code == 400
    html = html_of(response)
    assert "at most 50,000 characters" in html
    assert body.strip() in html
    assert thread.posts.count() == 1


def test_reply_redirects_to_the_new_post(client, other_member, thread):
    client.force_login(other_member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Me too", "submission_key": "r1"})
    post = Post.objects.get(position=2)
    assert response["Location"] == f"/t/{thread.pk}/#post-{post.pk}"
    client.post(f"/t/{thread.pk}/reply/", {"body": "Me too", "submission_key": "r1"})
    assert thread.posts.count() == 2


@override_settings(FORUM_WRITE_RATE="2/m")
def test_rate_limited_reply_explains_and_keeps_text(client, other_member, thread):
    client.force_login(other_member)
    record_write(other_member.pk)
    record_write(other_member.pk)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "Keep me", "submission_key": "z"})
    assert response.status_code == 403
    html = html_of(response)
    assert "posting faster than we allow" in html
    assert "Keep me" in html
    assert thread.posts.count() == 1


def test_successful_writes_spend_the_budget_after_commit(
    client, other_member, thread, django_capture_on_commit_callbacks
):
    from forum.ratelimit import write_budget_left

    client.force_login(other_member)
    before, _ = write_budget_left(other_member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/t/{thread.pk}/reply/", {"body": "one", "submission_key": "a"})
    after, _ = write_budget_left(other_member.pk)
    assert after == before - 1


def test_edit_own_post(client, member, thread):
    client.force_login(member)
    post = thread.posts.get()
    page = html_of(client.get(f"/p/{post.pk}/edit/"))
    assert 'name="title"' in page  # the opening post also edits the thread title
    response = client.post(f"/p/{post.pk}/edit/", {"title": "Better title", "body": "Edited body"})
    assert response.status_code == 302
    thread.refresh_from_db()
    post.refresh_from_db()
    assert thread.title == "Better title" and post.body == "Edited body"
    html = html_of(client.get(thread.get_absolute_url()))
    assert ">edited<" in html
    history = html_of(client.get(f"/p/{post.pk}/revisions/"))
    assert "Version 2 (current)" in history and "It fails <strong>every</strong> time." in history


def test_cannot_edit_someone_elses_post(client, other_member, thread):
    client.force_login(other_member)
    post = thread.posts.get()
    response = client.get(f"/p/{post.pk}/edit/")
    assert response.status_code == 403
    assert "You can only edit your own posts." in html_of(response)
    response = client.post(f"/p/{post.pk}/edit/", {"title": "Hijack", "body": "mine now"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.body == "It fails **every** time."


def test_revision_history_is_private_to_author_and_moderators(
    client, thread, member, other_member, moderator
):
    post = thread.posts.get()
    post_edit(post=post, editor=member, body="v2")
    client.force_login(other_member)
    assert client.get(f"/p/{post.pk}/revisions/").status_code == 403
    client.force_login(moderator)
    assert client.get(f"/p/{post.pk}/revisions/").status_code == 200


def test_archived_board_hides_the_reply_form_and_refuses_posts(client, member, thread, help_board):
    help_board.is_archived = True
    help_board.save(update_fields=["is_archived"])
    client.force_login(member)
    html = html_of(client.get(thread.get_absolute_url()))
    assert 'action="/t/' not in html
    assert "archived" in html
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "hello?", "submission_key": "q"})
    assert response.status_code == 403
    assert "hello?" in html_of(response)
    assert thread.posts.count() == 1


@pytest.mark.parametrize("path", ["/", "/b/help/", "/help/", "/guidelines/", "/accounts/login/"])
def test_every_page_has_help_at_top_and_bottom_and_landmarks(client, boards, path):
    html = html_of(client.get(path))
    header = html[html.index("<header") : html.index("</header>")]
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert 'href="/help/"' in header and 'href="/help/"' in footer
    assert '<main id="main"' in html
    assert 'id="sitewide-notices"' in html
    assert 'name="viewport"' in html
    assert "https://" not in html.split("<body")[0]  # no CDN assets in <head>

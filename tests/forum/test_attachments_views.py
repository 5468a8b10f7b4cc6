"""Attachments over HTTP: the editor's upload (JSON, CSRF, one permission check, the write
budget), the forms' file field without JavaScript (errors beside it, the text kept), who
may fetch an image (the post's visibility decides) and with which headers, and the thread
page's cost with images in it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.models import Attachment, Post
from forum.services import attachment_create, markdown_for, post_create
from moderation.services import block_create, post_hide
from tests.forum.attachment_images import has_exif, jpeg_with_gps, png_bytes
from tests.forum.test_attachments import stored, upload

HOLD = {"action": "hold", "score": 0.93, "reasons": ["It links to a shop."]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def post_upload(client, data=None, name="screenshot.png", alt=""):
    return client.post(
        "/attachments/", {"image": upload(data or png_bytes(), name), "image_alt": alt}
    )


def test_the_editor_upload_answers_the_markdown_to_insert(member):
    response = post_upload(signed_in(member), jpeg_with_gps(), "crash.jpg", alt="The crash")
    assert response.status_code == 201
    body = response.json()
    attachment = Attachment.objects.get()
    assert body["markdown"] == f"![The crash](/attachments/{attachment.pk}/)"
    assert body["url"] == f"/attachments/{attachment.pk}/"
    assert attachment.uploader == member and attachment.post is None
    assert not has_exif(stored(attachment.image))


def test_the_upload_needs_the_csrf_token(member):
    response = post_upload(signed_in(member, enforce_csrf_checks=True))
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_visitor_cannot_upload(db):
    response = post_upload(Client())
    assert response.status_code == 403 and "sign in" in response.json()["error"]
    assert not Attachment.objects.exists()


def test_a_blocked_member_cannot_upload(member, moderator, guidelines):
    block_create(actor=moderator, member=member, duration="1d", rule_codes=["G1"], reason="Spam.")
    response = post_upload(signed_in(member))
    assert response.status_code == 403 and response.json()["error"]
    assert not Attachment.objects.exists()


# Committed for real: the budget is kept by the upload's on-commit callback.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_uploads_spend_the_write_budget(member, settings):
    settings.FORUM_WRITE_RATE = "2/m"
    client = signed_in(member)
    assert post_upload(client).status_code == 201
    assert post_upload(client).status_code == 201
    refused = post_upload(client)
    assert refused.status_code == 403
    assert "posting faster than we allow" in refused.json()["error"]
    assert Attachment.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refused_upload_gives_its_budget_back(member, settings):
    settings.FORUM_WRITE_RATE = "1/m"
    client = signed_in(member)
    refused = post_upload(client, b"plain text", "notes.png")
    assert refused.status_code == 400
    assert "isn't a PNG, JPEG, WebP or GIF image" in refused.json()["error"]
    assert post_upload(client).status_code == 201
    assert post_upload(client).status_code == 403


def test_the_upload_refuses_a_request_without_a_file(member):
    response = signed_in(member).post("/attachments/", {"image_alt": "x"})
    assert response.status_code == 400 and "Choose an image file" in response.json()["error"]


# --- Without JavaScript: the file field posts with the form ------------------------------


def test_a_reply_with_an_image_shows_it_in_the_thread(client, thread, member, other_member):
    client.force_login(other_member)
    response = client.post(
        f"/t/{thread.pk}/reply/",
        {
            "body": "Same here, see the screenshot.",
            "image": upload(jpeg_with_gps(), "same-error.jpg"),
            "image_alt": "The same error dialog",
            "submission_key": "k1",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(submission_key="k1")
    attachment = Attachment.objects.get()
    assert attachment.post == post
    assert post.body.rstrip().endswith(f"![The same error dialog](/attachments/{attachment.pk}/)")
    html = Client().get(thread.get_absolute_url()).content.decode()
    assert f'src="/attachments/{attachment.pk}/thumbnail/" alt="The same error dialog"' in html


def test_a_bad_file_on_a_reply_is_named_beside_the_field_and_the_text_is_kept(
    client, thread, other_member
):
    client.force_login(other_member)
    response = client.post(
        f"/t/{thread.pk}/reply/",
        {
            "body": "My carefully written reply.",
            "image": upload(b"this is not an image", "shot.png"),
            "submission_key": "k1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(r'id="id_image_error">(.*?)</ul>', html, re.S)
    assert errors and "isn&#x27;t a PNG, JPEG, WebP or GIF image" in errors.group(1)
    assert "My carefully written reply.</textarea>" in html
    assert not Post.objects.filter(submission_key="k1").exists()


def test_a_new_thread_can_carry_an_image(client, member, help_board):
    client.force_login(member)
    response = client.post(
        f"/b/{help_board.slug}/new/",
        {
            "title": "The export button is grey",
            "body": "It stays grey whatever I do.",
            "image": upload(png_bytes(), "grey-button.png"),
            "submission_key": "k1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(submission_key="k1")
    assert Attachment.objects.get().post == post
    assert "![grey button](/attachments/" in post.body


def test_an_edit_can_add_an_image(client, thread, member):
    client.force_login(member)
    post = thread.posts.get()
    response = client.post(
        f"/p/{post.pk}/edit/",
        {"title": thread.title, "body": post.body, "image": upload(png_bytes(), "more.png")},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().post_id == post.pk


# --- Who may fetch an image ------------------------------------------------------------


def attach(thread, author, **kwargs):
    attachment = attachment_create(uploader=author, upload=upload(png_bytes(), "shot.png"))
    post = post_create(thread=thread, author=author, body=markdown_for(attachment), **kwargs)
    return attachment, post


def test_an_image_in_a_public_post_is_served_inline_with_safe_headers(thread, member):
    attachment, _ = attach(thread, member)
    response = Client().get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="attachment-{attachment.pk}.png"'
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored(attachment.image)
    thumb = Client().get(f"/attachments/{attachment.pk}/thumbnail/")
    assert thumb.status_code == 200
    assert b"".join(thumb.streaming_content) == stored(attachment.thumbnail)


def test_an_unattached_upload_is_seen_by_its_uploader_only(member, other_member, moderator):
    attachment = attachment_create(uploader=member, upload=upload(png_bytes()))
    url = f"/attachments/{attachment.pk}/"
    own = signed_in(member).get(url)
    assert own.status_code == 200
    assert "private" in own["Cache-Control"] and "public" not in own["Cache-Control"]
    assert Client().get(url).status_code == 404
    assert signed_in(other_member).get(url).status_code == 404
    assert signed_in(moderator).get(f"{url}thumbnail/").status_code == 404


def test_an_image_in_a_hidden_post_is_a_404_for_others(
    thread, member, other_member, moderator, guidelines
):
    attachment, post = attach(thread, other_member)
    post_hide(actor=moderator, post=post, rule_codes=["G1"])
    url = f"/attachments/{attachment.pk}/"
    assert Client().get(url).status_code == 404
    assert signed_in(member).get(url).status_code == 404
    assert signed_in(member).get(f"{url}thumbnail/").status_code == 404
    author = signed_in(other_member).get(url)
    assert author.status_code == 200 and "private" in author["Cache-Control"]
    assert signed_in(moderator).get(url).status_code == 200
    # The same answer as for an attachment that never existed.
    assert Client().get("/attachments/999999/").status_code == 404


def test_an_image_in_a_held_post_is_a_404_for_others(thread, member, other_member, moderator):
    attachment, post = attach(thread, other_member, screening=HOLD)
    assert post.held_at is not None
    url = f"/attachments/{attachment.pk}/"
    assert Client().get(url).status_code == 404
    assert signed_in(member).get(url).status_code == 404
    assert signed_in(other_member).get(url).status_code == 200
    assert signed_in(moderator).get(url).status_code == 200


def test_an_image_in_a_hidden_thread_is_a_404_for_others(
    make_thread, member, other_member, moderator, guidelines
):
    thread = make_thread(other_member, title="A thread to hide")
    attachment, _ = attach(thread, other_member)
    post_hide(actor=moderator, post=thread.posts.get(position=1), rule_codes=["G1"])
    url = f"/attachments/{attachment.pk}/"
    assert signed_in(member).get(url).status_code == 404
    assert signed_in(other_member).get(url).status_code == 200


def test_only_get_serves_an_image(thread, member):
    attachment, _ = attach(thread, member)
    assert signed_in(member).post(f"/attachments/{attachment.pk}/").status_code == 405


# --- The thread page's cost -------------------------------------------------------------


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_images_add_no_queries_to_the_thread_page(thread, member, make_user, make_thread):
    """The images are in the stored HTML (rendered when the post was written); the page
    reads no attachment rows."""
    plain = make_thread(member, title="A thread without images")
    for i in range(6):
        author = make_user()
        post_create(thread=plain, author=author, body=f"Reply {i}")
        attach(thread, author)
    reader = signed_in(make_user())
    for url in (plain.get_absolute_url(), thread.get_absolute_url()):
        reader.get(url)  # the read marker settles
    with_images = page_queries(reader, thread.get_absolute_url())
    without = page_queries(reader, plain.get_absolute_url())
    assert with_images == without
    visitor = Client()
    assert page_queries(visitor, thread.get_absolute_url()) == page_queries(
        visitor, plain.get_absolute_url()
    )
    html = visitor.get(thread.get_absolute_url()).content.decode()
    assert html.count('class="attachment__image"') == 6


def test_admins_can_list_attachments_but_not_change_them(thread, member, admin_user):
    attachment, _ = attach(thread, member)
    client = signed_in(admin_user)
    listing = client.get("/admin/forum/attachment/")
    assert listing.status_code == 200 and "image/png" in listing.content.decode()
    assert client.get(f"/admin/forum/attachment/{attachment.pk}/delete/").status_code == 403

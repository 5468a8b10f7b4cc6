"""A title typed as spaces is told apart from a missing one: the person reads why it did
not count, beside the title field, and keeps the message they wrote."""

import html as html_lib

import pytest

from forum.forms.titles import TitleField
from forum.models import Thread
from forum.services import post_create

SPACES_ONLY = "Write a title — spaces alone don't count."
BODY = "My export drops every row after the first.\n\nSteps: <open> & export."


def _title_errors(page: str) -> str:
    """The error list rendered with the title field (field.html puts it after the label)."""
    start = page.index('for="id_title"')
    return page[start : page.index('id="id_title"', start)]


@pytest.mark.parametrize("title", ["     ", "\t  \u00a0 ", " \x01 "])
def test_new_thread_with_a_title_of_spaces_says_so_and_keeps_the_message(
    client, member, help_board, title
):
    client.force_login(member)
    response = client.post("/b/help/new/", {"title": title, "body": BODY, "submission_key": "k"})
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert SPACES_ONLY in _title_errors(page)
    assert "This field is required." not in page
    assert BODY.replace("\n", "") in page.replace("\r", "").replace("\n", "")
    assert not Thread.objects.filter(board=help_board).exists()


def test_an_empty_title_is_still_called_missing(client, member, help_board):
    client.force_login(member)
    response = client.post("/b/help/new/", {"title": "", "body": BODY, "submission_key": "k"})
    assert response.status_code == 400
    assert SPACES_ONLY not in html_lib.unescape(response.content.decode())


def test_editing_an_opening_post_to_a_title_of_spaces_says_so(client, member, thread):
    opening = thread.posts.order_by("pk").first()
    client.force_login(member)
    response = client.post(f"/p/{opening.pk}/edit/", {"title": "   ", "body": "Edited body"})
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert SPACES_ONLY in _title_errors(page)
    assert "Edited body" in page
    thread.refresh_from_db()
    assert thread.title.strip()


def test_a_reply_edit_has_no_title_to_check(client, member, thread):
    reply = post_create(thread=thread, author=member, body="A reply of mine.")
    client.force_login(member)
    response = client.post(f"/p/{reply.pk}/edit/", {"title": "   ", "body": "Edited reply"})
    assert response.status_code == 302


def test_title_field_keeps_ordinary_titles():
    assert TitleField().clean("  Export drops rows  ") == "Export drops rows"

"""Saved replies: staff keep the team's and their own, insert one in a thread's reply box
with its placeholders filled for that thread, and edit it before posting. Members never
see the picker, a colleague's personal replies stay theirs, and what a placeholder puts
in is Markdown source that reads as typed once posted."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from forum.models import Post, SavedReply
from forum.saved_reply_text import fill_placeholders, markdown_escape, unknown_placeholders
from forum.selectors.saved_replies import saved_reply_filled
from forum.services import post_create
from forum.services.saved_replies import (
    SAVED_REPLIES_MAX,
    saved_reply_create,
    saved_reply_delete,
    saved_reply_update,
)

LIST = "/staff/replies/"
CREATE = "/staff/replies/new/"
PICKER = "data-saved-replies"
GREETING = "Hi {asker}, thanks for reporting “{thread_title}” on {board}. — {me}"


@pytest.fixture
def colleague(make_user):
    return make_user("quincey", role=Role.STAFF, job_title="Billing", display_name="Quincey")


@pytest.fixture
def team_reply(staff):
    return saved_reply_create(actor=staff, title="Greeting", body=GREETING, personal=False)


@pytest.fixture
def own_reply(staff):
    return saved_reply_create(
        actor=staff, title="Sam's sign-off", body="Cheers, {me}", personal=True
    )


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(reply) -> str:
    return reverse("forum:saved-reply-edit", kwargs={"saved_reply_id": reply.pk})


def delete_url(reply) -> str:
    return reverse("forum:saved-reply-delete", kwargs={"saved_reply_id": reply.pk})


def fill_url(thread, reply) -> str:
    return reverse(
        "forum:thread-saved-reply", kwargs={"thread_id": thread.pk, "saved_reply_id": reply.pk}
    )


def insert_url(thread) -> str:
    return reverse("forum:thread-reply-insert", kwargs={"thread_id": thread.pk})


# --- Placeholders ---------------------------------------------------------------------


def test_placeholders_are_filled_for_the_thread_and_the_staff_member(thread, staff, team_reply):
    filled = saved_reply_filled(saved_reply=team_reply, thread=thread, user=staff)
    assert filled == "Hi Jamie, thanks for reporting “Export drops rows” on Help. — Sam"


def test_asker_username_placeholder_gives_a_working_mention(thread, staff):
    reply = saved_reply_create(
        actor=staff, title="Ping", body="@{asker_username} could you check?", personal=False
    )
    assert saved_reply_filled(saved_reply=reply, thread=thread, user=staff).startswith("@jamie ")


def test_a_deleted_askers_placeholders_name_no_one(thread, member, staff):
    type(member).objects.filter(pk=member.pk).update(deleted_at=timezone.now())
    thread.author.refresh_from_db()
    reply = saved_reply_create(
        actor=staff, title="Ping", body="{asker} @{asker_username}", personal=False
    )
    filled = saved_reply_filled(saved_reply=reply, thread=thread, user=staff)
    assert filled == "deleted member @"


def test_unknown_placeholders_are_left_as_typed_and_listed_once():
    body = "Hi {asker}, {askr} {askr} {0,3} { } {ticket_id}"
    assert unknown_placeholders(body) == ["{askr}", "{ticket_id}"]
    assert fill_placeholders(body, {"asker": "Jo"}) == "Hi Jo, {askr} {askr} {0,3} { } {ticket_id}"


def test_a_value_containing_a_placeholder_is_not_filled_again():
    assert fill_placeholders("{asker} / {me}", {"asker": "{me}", "me": "Sam"}) == "{me} / Sam"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("**urgent** [click](javascript:x)", r"\*\*urgent\*\* \[click\](javascript:x)"),
        ("snake_case_name", "snake_case_name"),
        ("_bob_", r"\_bob\_"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"),
        ("two\nlines", "two lines"),
    ],
)
def test_values_are_escaped_for_markdown(value, escaped):
    assert markdown_escape(value) == escaped


def test_filled_text_posted_reads_as_typed_through_the_normal_pipeline(
    make_user, make_thread, staff
):
    asker = make_user("eve", display_name="**Eve** <script>alert(1)</script>")
    thread = make_thread(asker, title="[Click me](javascript:alert(1)) # _urgent_")
    reply = saved_reply_create(actor=staff, title="Hi", body=GREETING, personal=False)
    source = saved_reply_filled(saved_reply=reply, thread=thread, user=staff)
    # Markdown source, not HTML: nothing is pre-rendered or HTML-escaped twice.
    assert "**Eve**" not in source and "\\*\\*Eve\\*\\*" in source
    post = post_create(thread=thread, author=staff, body=source)
    html = post.body_html
    assert "<script" not in html and "<strong>" not in html and "<em>" not in html
    assert "<a " not in html
    assert "**Eve** &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[Click me](javascript:alert(1)) # _urgent_" in html


# --- Services -------------------------------------------------------------------------


def test_service_refuses_an_empty_title_and_an_overlong_body_keyed_to_the_field(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        saved_reply_create(actor=staff, title="  ", body="x" * 10_001, personal=False)
    assert set(caught.value.message_dict) == {"title", "body"}
    assert not SavedReply.objects.exists()


def test_a_list_holds_at_most_the_maximum(staff):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    SavedReply.objects.bulk_create(
        SavedReply(title=f"r{i}", body="b", created_by=staff, created_at=now, updated_at=now)
        for i in range(SAVED_REPLIES_MAX)
    )
    with pytest.raises(ValidationError):
        saved_reply_create(actor=staff, title="one more", body="b", personal=False)
    # The personal list is another list.
    saved_reply_create(actor=staff, title="mine", body="b", personal=True)


def test_making_a_team_reply_personal_makes_it_the_editors(team_reply, colleague):
    saved_reply_update(
        saved_reply=team_reply, actor=colleague, title="Mine now", body="x", personal=True
    )
    team_reply.refresh_from_db()
    assert team_reply.owner == colleague and team_reply.title == "Mine now"
    assert saved_reply_delete(saved_reply=team_reply, actor=colleague) is True
    assert saved_reply_delete(saved_reply=team_reply, actor=colleague) is False


# --- The management page ----------------------------------------------------------------


def test_staff_add_a_team_reply_and_see_it_listed_with_the_placeholders_documented(staff):
    client = as_user(staff)
    response = client.post(CREATE, {"title": "Greeting", "body": GREETING, "scope": "team"})
    assert response.status_code == 302
    reply = SavedReply.objects.get()
    assert reply.owner is None and reply.created_by == staff and reply.body == GREETING
    page = client.get(LIST).content.decode()
    assert "Greeting" in page and "Team replies" in page
    for name in ("{asker}", "{asker_username}", "{thread_title}", "{board}", "{me}"):
        assert name in page


def test_an_unknown_placeholder_is_saved_and_flagged(staff):
    client = as_user(staff)
    response = client.post(
        CREATE, {"title": "Typo", "body": "Hi {askr}!", "scope": "personal"}, follow=True
    )
    page = response.content.decode()
    assert SavedReply.objects.get().owner == staff
    assert "Not a placeholder we know: {askr}" in page
    form = client.get(edit_url(SavedReply.objects.get())).content.decode()
    assert "Not a placeholder we know: {askr}" in form


def test_bad_input_shows_beside_the_field_with_the_text_kept(staff):
    response = as_user(staff).post(CREATE, {"title": "", "body": "Keep me {me}", "scope": "team"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Keep me {me}" in page and "field__errors" in page
    assert not SavedReply.objects.exists()


def test_any_staff_member_edits_and_deletes_a_team_reply(team_reply, colleague):
    client = as_user(colleague)
    response = client.post(
        edit_url(team_reply), {"title": "Hello", "body": "Hello {asker}", "scope": "team"}
    )
    assert response.status_code == 302
    team_reply.refresh_from_db()
    assert (team_reply.title, team_reply.owner) == ("Hello", None)
    confirm = client.get(delete_url(team_reply))
    assert confirm.status_code == 200 and "whole team" in confirm.content.decode()
    assert SavedReply.objects.filter(pk=team_reply.pk).exists()
    assert client.post(delete_url(team_reply)).status_code == 302
    assert not SavedReply.objects.filter(pk=team_reply.pk).exists()


def test_a_colleagues_personal_replies_are_neither_shown_nor_reachable(
    own_reply, team_reply, colleague, thread
):
    client = as_user(colleague)
    page = client.get(LIST).content.decode()
    assert "Greeting" in page and "Sam&#x27;s sign-off" not in page and "sign-off" not in page
    assert client.get(edit_url(own_reply)).status_code == 404
    assert (
        client.post(edit_url(own_reply), {"title": "x", "body": "y", "scope": "team"}).status_code
        == 404
    )
    assert client.post(delete_url(own_reply)).status_code == 404
    assert client.get(fill_url(thread, own_reply)).status_code == 404
    used = reverse("forum:saved-reply-use", kwargs={"saved_reply_id": own_reply.pk})
    assert client.post(used).status_code == 404
    own_reply.refresh_from_db()
    assert own_reply.title == "Sam's sign-off" and own_reply.use_count == 0
    # Nor in the picker of the reply box.
    thread_page = client.get(thread.get_absolute_url()).content.decode()
    assert "Greeting" in thread_page and "sign-off" not in thread_page


def test_the_owner_sees_and_edits_their_personal_reply(own_reply, staff):
    client = as_user(staff)
    assert "Sam&#x27;s sign-off" in client.get(LIST).content.decode()
    response = client.post(
        edit_url(own_reply), {"title": "Bye", "body": "Bye", "scope": "personal"}
    )
    assert response.status_code == 302
    own_reply.refresh_from_db()
    assert own_reply.title == "Bye" and own_reply.owner == staff


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_members_and_volunteer_moderators_are_refused_every_saved_reply_page(
    make_user, role, team_reply, thread
):
    client = as_user(make_user("someone", role=role))
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"title": "x", "body": "y", "scope": "team"}).status_code == 403
    assert client.get(edit_url(team_reply)).status_code == 403
    assert client.post(delete_url(team_reply)).status_code == 403
    assert SavedReply.objects.count() == 1


def test_visitors_are_asked_to_sign_in(client, team_reply):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# The replies in one query, over the four every signed-in page reads (user, block,
# unread notifications, notices).
LIST_QUERIES = 5


def test_the_list_page_reads_a_fixed_number_of_queries(staff):
    client = as_user(staff)
    client.get(LIST)
    with CaptureQueriesContext(connection) as empty:
        assert client.get(LIST).status_code == 200
    for i in range(30):
        saved_reply_create(actor=staff, title=f"Reply {i}", body="{asker}", personal=i % 2 == 0)
    with CaptureQueriesContext(connection) as full:
        assert client.get(LIST).status_code == 200
    assert len(empty) == len(full) == LIST_QUERIES, [q["sql"] for q in full.captured_queries]


# --- The JSON endpoint ------------------------------------------------------------------


def test_staff_get_the_filled_reply_as_json_without_side_effects(
    thread, staff, team_reply, django_assert_num_queries
):
    client = as_user(staff)
    # The staff member, the thread with its board, the reply, the asker.
    with django_assert_num_queries(4):
        response = client.get(fill_url(thread, team_reply))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["body"].startswith("Hi Jamie, thanks for reporting")
    assert data["title"] == "Greeting"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    team_reply.refresh_from_db()
    assert team_reply.use_count == 0


def test_the_json_endpoint_is_staff_only(thread, member, moderator, client, team_reply):
    for user in (member, moderator):
        response = as_user(user).get(fill_url(thread, team_reply))
        assert response.status_code == 403
        assert "Jamie" not in response.content.decode()
    assert client.get(fill_url(thread, team_reply)).status_code == 403
    assert as_user(member).post(fill_url(thread, team_reply)).status_code in (403, 405)


def test_counting_a_use_takes_a_post(thread, staff, team_reply):
    client = as_user(staff)
    used = reverse("forum:saved-reply-use", kwargs={"saved_reply_id": team_reply.pk})
    assert client.get(used).status_code == 405
    assert client.post(used).status_code == 204
    team_reply.refresh_from_db()
    assert team_reply.use_count == 1


# --- The reply box ----------------------------------------------------------------------


def test_staff_get_the_picker_in_the_reply_box(thread, staff, team_reply, own_reply):
    page = as_user(staff).get(thread.get_absolute_url()).content.decode()
    assert PICKER in page and "js/saved_replies.js" in page
    assert f'<option value="{team_reply.pk}">Greeting</option>' in page
    assert insert_url(thread) in page


def test_the_picker_is_absent_for_members_and_visitors(thread, member, client, team_reply):
    for reader in (as_user(member), client):
        page = reader.get(thread.get_absolute_url()).content.decode()
        assert PICKER not in page and "saved_replies.js" not in page and "Greeting" not in page
    # Nor in the visitor's stored copy, served again.
    again = client.get(thread.get_absolute_url()).content.decode()
    assert PICKER not in again


def test_the_picker_is_absent_from_a_members_live_reply_box(thread, member, staff, team_reply):
    url = reverse("forum:thread-live-banners", kwargs={"thread_id": thread.pk})
    assert PICKER not in as_user(member).get(url).content.decode()
    assert PICKER in as_user(staff).get(url).content.decode()


def test_staff_thread_page_costs_one_query_more_for_the_picker(thread, staff):
    client = as_user(staff)
    client.get(thread.get_absolute_url())
    with CaptureQueriesContext(connection) as without:
        client.get(thread.get_absolute_url())
    saved_reply_create(actor=staff, title="A", body="a", personal=False)
    saved_reply_create(actor=staff, title="B", body="b", personal=True)
    client.get(thread.get_absolute_url())
    with CaptureQueriesContext(connection) as with_replies:
        client.get(thread.get_absolute_url())
    assert len(with_replies) == len(without)
    assert sum("forum_savedreply" in q["sql"] for q in with_replies.captured_queries) == 1


def test_without_javascript_insert_returns_the_form_with_typed_text_kept(thread, staff, team_reply):
    client = as_user(staff)
    response = client.post(
        insert_url(thread),
        {"body": "Typed first.", "saved_reply": team_reply.pk, "submission_key": "k" * 32},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Typed first.\n\nHi Jamie, thanks for reporting" in page
    assert 'value="' + "k" * 32 + '"' in page
    assert PICKER in page
    assert not Post.objects.filter(author=staff).exists()
    team_reply.refresh_from_db()
    assert team_reply.use_count == 1
    # Posting the edited text from there is an ordinary reply.
    response = client.post(
        reverse("forum:thread-reply", kwargs={"thread_id": thread.pk}),
        {"body": "Typed first.\n\nHi Jamie, edited.", "submission_key": "k" * 32},
    )
    assert response.status_code == 302
    assert Post.objects.get(author=staff).body == "Typed first.\n\nHi Jamie, edited."


def test_without_javascript_insert_is_refused_to_members(thread, member, team_reply):
    response = as_user(member).post(insert_url(thread), {"body": "x", "saved_reply": team_reply.pk})
    assert response.status_code == 403
    assert "Jamie, thanks" not in response.content.decode()


def test_adding_saved_replies_spends_the_write_budget(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_WRITE_RATE = "2/m"
    client = as_user(staff)
    for title in ("One", "Two"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(CREATE, {"title": title, "body": "b", "scope": "team"})
        assert response.status_code == 302
    response = client.post(CREATE, {"title": "Three", "body": "b", "scope": "team"})
    assert response.status_code == 403
    assert "faster than we allow" in response.content.decode()
    assert SavedReply.objects.count() == 2

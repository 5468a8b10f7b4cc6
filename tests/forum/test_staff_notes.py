"""Private staff notes: staff and moderators write them in the thread and read them in
place; their author edits them; no member or visitor ever receives one — not by the thread
page (fresh, stored for visitors, or its shared post list), the live fragments, feeds,
search, permalinks, notifications, email or WebSocket events."""

import asyncio
import re

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from forum.models import Notification, Post, StaffNote
from forum.models.staff import NOTE_MAX
from forum.realtime import member_group, thread_group
from forum.services import post_create
from forum.services.merging import thread_merge, thread_merge_reverse
from forum.services.staff_notes import staff_note_create, staff_note_edit
from forum.services.watching import watch_set

MARKER = "zebra-quartz-7731"
# Only in the note, never in an address: searching for MARKER echoes the query itself.
NOTE_ONLY = "ledger-walrus-5521"
LABEL = "Staff note — only staff and moderators see this"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_url(thread) -> str:
    return reverse("forum:staff-note-create", kwargs={"thread_id": thread.pk})


def edit_url(note) -> str:
    return reverse(
        "forum:staff-note-edit", kwargs={"thread_id": note.thread_id, "note_id": note.pk}
    )


@pytest.fixture
def colleague(make_user):
    return make_user("quincey", role=Role.STAFF, job_title="Billing", display_name="Quincey")


@pytest.fixture
def noted(thread, staff, member):
    """A Help thread with a staff reply and a note after it naming the asker."""
    post_create(thread=thread, author=staff, body="Looking into it.")
    staff_note_create(
        thread=thread,
        author=staff,
        body=f"**Refund** pending, {MARKER} {NOTE_ONLY}, asked @jamie's bank.",
    )
    return thread


# --- Services -----------------------------------------------------------------------------


def test_a_note_is_rendered_once_and_placed_after_the_latest_post(thread, staff):
    post_create(thread=thread, author=staff, body="First answer.")
    note = staff_note_create(thread=thread, author=staff, body="Check the **logs**.")
    assert note.after_position == 2
    assert "<strong>logs</strong>" in note.body_html
    assert note.edited_at is None


def test_editing_replaces_the_text_marks_it_edited_and_says_when_nothing_changed(thread, staff):
    note = staff_note_create(thread=thread, author=staff, body="Old words")
    assert staff_note_edit(note=note, editor=staff, body="New *words*") is True
    fresh = StaffNote.objects.get(pk=note.pk)
    assert fresh.body == "New *words*" and "<em>words</em>" in fresh.body_html
    assert fresh.edited_at is not None and fresh.after_position == note.after_position
    assert staff_note_edit(note=fresh, editor=staff, body="New *words*") is False


# --- Writing and editing from the thread page ------------------------------------------------


def test_staff_write_a_note_from_the_thread_page_and_read_it_in_place(thread, staff):
    client = as_user(staff)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'action="{create_url(thread)}"' in page and LABEL in page
    response = client.post(create_url(thread), {"body": f"Customer is on the *old* plan {MARKER}"})
    note = StaffNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}#note-{note.pk}"
    assert (note.author, note.thread) == (staff, thread)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert MARKER in html and f'id="note-{note.pk}"' in html and "<em>old</em>" in html


def test_notes_sit_after_the_post_they_follow(thread, staff, member):
    first_note = staff_note_create(thread=thread, author=staff, body="after the question")
    reply = post_create(thread=thread, author=member, body="More detail from me.")
    second_note = staff_note_create(thread=thread, author=staff, body="after the reply")
    html = as_user(staff).get(thread.get_absolute_url()).content.decode()
    order = [
        html.index(f'id="post-{Post.objects.get(thread=thread, position=1).pk}"'),
        html.index(f'id="note-{first_note.pk}"'),
        html.index(f'id="post-{reply.pk}"'),
        html.index(f'id="note-{second_note.pk}"'),
    ]
    assert order == sorted(order)


@pytest.mark.parametrize("reader", ["moderator", "admin_user", "colleague"])
def test_moderators_admins_and_every_staff_member_read_notes(request, noted, reader):
    html = as_user(request.getfixturevalue(reader)).get(noted.get_absolute_url()).content.decode()
    assert MARKER in html and LABEL in html


def test_a_volunteer_moderator_without_the_staff_badge_writes_notes(noted, moderator):
    response = as_user(moderator).post(create_url(noted), {"body": "Volunteer view"})
    assert response.status_code == 302
    assert StaffNote.objects.filter(author=moderator).exists()


@pytest.mark.parametrize("who", ["member", "other_member"])
def test_members_cannot_write_notes(request, thread, who):
    response = as_user(request.getfixturevalue(who)).post(create_url(thread), {"body": MARKER})
    assert response.status_code == 403
    assert not StaffNote.objects.exists()


def test_visitors_are_sent_to_sign_in_and_nothing_is_written(client, thread):
    response = client.post(create_url(thread), {"body": MARKER})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not StaffNote.objects.exists()


def test_writing_a_note_needs_the_csrf_token(thread, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(create_url(thread), {"body": MARKER}).status_code == 403
    assert not StaffNote.objects.exists()


def test_an_empty_or_overlong_note_is_refused_beside_the_field_with_the_text_kept(thread, staff):
    client = as_user(staff)
    response = client.post(create_url(thread), {"body": "   "})
    assert response.status_code == 400
    assert "The note is empty" in response.content.decode()
    long_text = "x" * (NOTE_MAX + 1)
    response = client.post(create_url(thread), {"body": long_text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Staff notes can be at most 10,000 characters" in html and long_text in html
    assert not StaffNote.objects.exists()


def test_the_author_edits_a_note_and_it_shows_as_edited(noted, staff):
    note = StaffNote.objects.get()
    client = as_user(staff)
    form = client.get(edit_url(note)).content.decode()
    assert MARKER in form  # the current text, ready to change
    response = client.post(edit_url(note), {"body": "Refund sent today."})
    assert response.status_code == 302
    html = client.get(noted.get_absolute_url()).content.decode()
    assert "Refund sent today." in html and MARKER not in html
    assert re.search(rf'id="note-{note.pk}".*?edited', html, re.S)


def test_only_the_author_edits_a_note_and_members_get_the_ordinary_404(
    noted, colleague, member, client
):
    note = StaffNote.objects.get()
    assert as_user(colleague).post(edit_url(note), {"body": "mine now"}).status_code == 403
    assert as_user(member).get(edit_url(note)).status_code == 404
    assert as_user(member).post(edit_url(note), {"body": "mine now"}).status_code == 404
    missing = reverse("forum:staff-note-edit", kwargs={"thread_id": noted.pk, "note_id": 999})
    assert as_user(colleague).get(missing).status_code == 404
    assert StaffNote.objects.get().body != "mine now"


def test_notes_spend_the_write_budget_and_past_it_say_to_wait(
    thread, staff, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_WRITE_RATE = "2/m"
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(create_url(thread), {"body": "one"}).status_code == 302
    note = StaffNote.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(note), {"body": "one, edited"}).status_code == 302
    response = client.post(create_url(thread), {"body": "two"})
    assert response.status_code == 403
    assert "faster than we allow" in response.content.decode()
    assert client.post(edit_url(note), {"body": "again"}).status_code == 403
    assert [n.body for n in StaffNote.objects.all()] == ["one, edited"]


def test_a_refused_note_gives_the_budget_back(
    thread, staff, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_WRITE_RATE = "1/m"
    client = as_user(staff)
    assert client.post(create_url(thread), {"body": "  "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(create_url(thread), {"body": "kept"}).status_code == 302
    assert client.post(create_url(thread), {"body": "over"}).status_code == 403
    assert StaffNote.objects.count() == 1


# --- Never reaching a member -----------------------------------------------------------------


def _member_urls(thread) -> list[str]:
    post_id = Post.objects.get(thread=thread, position=1).pk
    return [
        thread.get_absolute_url(),
        f"{thread.get_absolute_url()}?page=1",
        reverse("forum:thread-live-posts", kwargs={"thread_id": thread.pk}) + "?after=0",
        reverse("forum:thread-live-banners", kwargs={"thread_id": thread.pk}),
        reverse("forum:thread-feed-rss", kwargs={"thread_id": thread.pk}),
        reverse("forum:thread-feed-atom", kwargs={"thread_id": thread.pk}),
        reverse("forum:board-feed-atom", kwargs={"board_slug": thread.board.slug}),
        reverse("forum:site-feed-rss"),
        reverse("forum:search") + f"?q={MARKER}",
        reverse("forum:search-feed-rss") + f"?q={MARKER}",
        reverse("forum:post-permalink", kwargs={"post_id": post_id}),
        thread.board.get_absolute_url(),
        reverse("forum:notifications"),
    ]


def test_members_and_visitors_never_receive_a_note_by_any_page(client, noted, member, other_member):
    for reader in (client, as_user(member), as_user(other_member)):
        for url in _member_urls(noted):
            response = reader.get(url, follow=True)
            body = response.content.decode()
            assert NOTE_ONLY not in body, url
            if "q=" not in url:
                assert MARKER not in body, url
            assert LABEL not in body and "staff-note" not in body, url


def test_staff_do_not_find_notes_in_search_or_feeds_either(noted, staff):
    client = as_user(staff)
    for url in (
        reverse("forum:search") + f"?q={MARKER}",
        reverse("forum:thread-feed-rss", kwargs={"thread_id": noted.pk}),
        reverse("forum:site-feed-rss"),
    ):
        assert NOTE_ONLY not in client.get(url).content.decode(), url


def test_stored_pages_and_shared_post_lists_never_carry_a_note(
    client, thread, staff, moderator, member, settings
):
    settings.PAGE_CACHE_ENABLED = True
    url = thread.get_absolute_url()
    staff_note_create(thread=thread, author=staff, body=f"Before anyone read it {MARKER}")
    # Staff and moderators read first, so their kinds' post lists are stored first.
    assert MARKER in as_user(staff).get(url).content.decode()
    assert MARKER in as_user(moderator).get(url).content.decode()
    for _ in range(2):  # rendered, then served from the stored copies
        assert MARKER not in as_user(member).get(url).content.decode()
        assert MARKER not in client.get(url).content.decode()
    # A note written once the pages are stored reaches staff and still nobody else.
    staff_note_create(thread=thread, author=staff, body="Second thought kiwi-3391")
    assert "kiwi-3391" in as_user(staff).get(url).content.decode()
    assert "kiwi-3391" not in as_user(member).get(url).content.decode()
    assert "kiwi-3391" not in client.get(url).content.decode()


def test_a_note_notifies_and_emails_nobody_even_a_member_it_mentions(
    thread, staff, member, colleague, django_capture_on_commit_callbacks
):
    watch_set(user=member, thread=thread, level="watching")
    watch_set(user=colleague, thread=thread, level="watching")
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        note = staff_note_create(thread=thread, author=staff, body=f"@jamie @quincey {MARKER}")
        staff_note_edit(note=note, editor=staff, body=f"@jamie again {MARKER}")
    assert Notification.objects.count() == before
    assert not [m for m in mail.outbox if MARKER in m.body]
    # A reply afterwards is mailed as usual, without the note.
    with django_capture_on_commit_callbacks(execute=True):
        post_create(thread=thread, author=staff, body="A public answer.")
    for message in mail.outbox:
        assert MARKER not in message.body
        assert all(MARKER not in str(part[0]) for part in message.alternatives)


def test_a_note_sends_nothing_live_to_the_thread_or_its_members(
    thread, staff, member, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(thread_group(thread.pk), channel)
    async_to_sync(layer.group_add)(member_group(member.pk), channel)

    async def received():
        try:
            return await asyncio.wait_for(layer.receive(channel), 0.3)
        except TimeoutError:
            return None

    with django_capture_on_commit_callbacks(execute=True):
        note = staff_note_create(thread=thread, author=staff, body=MARKER)
    with django_capture_on_commit_callbacks(execute=True):
        staff_note_edit(note=note, editor=staff, body=f"{MARKER} edited")
    assert async_to_sync(received)() is None


# --- Costs ---------------------------------------------------------------------------------------


# A staff member's thread page: user, thread with board, page of posts, its event lines,
# block and unread messages, lockdowns, their reading state, the assignment and the team
# for its form, their saved replies, the page's staff notes, notices.
STAFF_THREAD_PAGE_QUERIES = 12


def _queries(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


def test_notes_cost_staff_one_query_however_many_and_members_none(thread, staff, moderator, member):
    url = f"{thread.get_absolute_url()}?page=1"
    staff_client, member_client = as_user(staff), as_user(member)
    moderator_client = as_user(moderator)
    member_without = len(_queries(member_client, url))
    staff_note_create(thread=thread, author=staff, body="the first")
    few = _queries(staff_client, url)
    moderator_few = _queries(moderator_client, url)
    for n in range(6):
        post_create(thread=thread, author=staff, body=f"Reply {n}")
        staff_note_create(thread=thread, author=User.objects.get(pk=staff.pk), body=f"note {n}")
    many = _queries(staff_client, url)
    assert len(few) == len(many) == STAFF_THREAD_PAGE_QUERIES
    assert sum("forum_staffnote" in sql for sql in many) == 1
    moderator_many = _queries(moderator_client, url)
    assert len(moderator_few) == len(moderator_many)
    assert sum("forum_staffnote" in sql for sql in moderator_many) == 1
    member_queries = _queries(member_client, url)
    assert len(member_queries) == member_without
    assert not any("forum_staffnote" in sql for sql in member_queries)


# --- Merged threads ------------------------------------------------------------------------


def test_a_merged_duplicates_notes_follow_its_posts_and_go_back_when_split(
    make_thread, staff, member, other_member
):
    target = make_thread(member, title="PDF export crashes the app")
    post_create(thread=target, author=staff, body="Known issue on 4.2.")
    duplicate = make_thread(other_member, title="App closes on PDF export")
    staff_note_create(thread=duplicate, author=staff, body=f"Same customer as #12 {MARKER}")
    post_create(thread=duplicate, author=member, body="Me too on 4.2.")
    merge = thread_merge(source=duplicate, target=target, actor=staff)

    html = as_user(staff).get(f"{target.get_absolute_url()}?page=1").content.decode()
    opening = Post.objects.get(thread=target, body__startswith="It fails", position=3)
    me_too = Post.objects.get(body="Me too on 4.2.")
    assert MARKER in html and f"from #{duplicate.pk}, merged into this thread" in html
    order = [
        html.index(f'id="post-{opening.pk}"'),
        html.index(MARKER),
        html.index(f'id="post-{me_too.pk}"'),
    ]
    assert order == sorted(order)
    assert MARKER not in as_user(member).get(f"{target.get_absolute_url()}?page=1").content.decode()

    thread_merge_reverse(merge=merge, actor=staff)
    assert MARKER not in as_user(staff).get(f"{target.get_absolute_url()}?page=1").content.decode()
    assert MARKER in as_user(staff).get(f"{duplicate.get_absolute_url()}?page=1").content.decode()

"""Assignment: the team assigns a thread to one of its own and takes it back; the
assignee hears of it once; members never learn who looks after a thread, by any page,
feed, stored copy or live event."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from forum.models import Notification, Thread
from forum.realtime import member_group, thread_group
from forum.selectors.notifications import summary
from forum.services import notifications, post_create
from forum.services.assignment import thread_assign, thread_unassign
from forum.services.merging import thread_merge

MY_THREADS = "/staff/mine/"
# The page's own reads (the count and the page of assigned threads) and every signed-in
# page's: user, block with unread messages, unread notifications, notices.
MY_THREADS_QUERIES = 6
COLLEAGUE_NAME = "Quincey Colleague"


@pytest.fixture
def colleague(make_user):
    return make_user(
        "quincey", role=Role.STAFF, job_title="Billing Specialist", display_name=COLLEAGUE_NAME
    )


def assign_url(thread) -> str:
    return reverse("forum:thread-assign", kwargs={"thread_id": thread.pk})


def unassign_url(thread) -> str:
    return reverse("forum:thread-unassign", kwargs={"thread_id": thread.pk})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reload(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def assigned_notifications(user):
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.ASSIGNED))


# --- Services -------------------------------------------------------------------------


def test_assign_records_who_when_and_by_whom_and_says_when_nothing_changed(
    thread, staff, colleague
):
    assert thread_assign(thread=thread, assignee=colleague, actor=staff) is True
    fresh = reload(thread)
    assert (fresh.assignee, fresh.assigned_by) == (colleague, staff)
    assert fresh.assigned_at is not None
    assert thread.assignee_id == colleague.pk  # the caller's copy follows
    assert thread_assign(thread=thread, assignee=colleague, actor=staff) is False
    assert thread_assign(thread=thread, assignee=staff, actor=staff) is True
    assert reload(thread).assignee == staff


def test_unassign_clears_it_and_is_false_when_nobody_was_assigned(thread, staff, colleague):
    assert thread_unassign(thread=thread, actor=staff) is False
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    assert thread_unassign(thread=thread, actor=staff) is True
    fresh = reload(thread)
    assert (fresh.assignee, fresh.assigned_at, fresh.assigned_by) == (None, None, None)
    assert thread_unassign(thread=thread, actor=staff) is False


def test_only_the_team_can_be_assigned(thread, staff, member, moderator, admin_user):
    with pytest.raises(ValidationError) as refused:
        thread_assign(thread=thread, assignee=member, actor=staff)
    assert "assignee" in refused.value.message_dict
    assert reload(thread).assignee is None
    # Volunteer moderators and admins are part of the team.
    assert thread_assign(thread=thread, assignee=moderator, actor=staff)
    assert thread_assign(thread=thread, assignee=admin_user, actor=staff)


def test_the_assignee_is_notified_once_and_never_for_assigning_themselves(thread, staff, colleague):
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    [notification] = assigned_notifications(colleague)
    assert (notification.actor, notification.thread_id) == (staff, thread.pk)
    assert summary(notification) == "Sam assigned “Export drops rows” to you"
    thread_assign(thread=thread, assignee=staff, actor=staff)
    assert assigned_notifications(staff) == []
    thread_unassign(thread=thread, actor=staff)
    assert Notification.objects.filter(kind=Notification.Kind.ASSIGNED).count() == 1


def test_assigning_sends_nothing_live_to_the_thread_or_its_members(
    thread, staff, colleague, member, django_capture_on_commit_callbacks
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
        thread_assign(thread=thread, assignee=colleague, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        thread_unassign(thread=thread, actor=staff)
    assert async_to_sync(received)() is None


# --- The views: who may, CSRF, mistakes --------------------------------------------------


def test_staff_assign_to_themselves_then_a_colleague_then_unassign(thread, staff, colleague):
    client = as_user(staff)
    response = client.post(assign_url(thread), {"assignee": staff.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}#assignment"
    assert reload(thread).assignee == staff
    assert assigned_notifications(staff) == []
    client.post(assign_url(thread), {"assignee": colleague.pk})
    assert reload(thread).assignee == colleague
    assert len(assigned_notifications(colleague)) == 1
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f"Assigned to <strong>{COLLEAGUE_NAME}</strong>" in page
    assert "they have been notified" in page
    client.post(unassign_url(thread))
    assert reload(thread).assignee is None
    assert (
        "Nobody is looking after this thread yet."
        in client.get(thread.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("who", ["member", "other_member"])
def test_members_cannot_assign_or_unassign(request, thread, staff, colleague, who):
    user = request.getfixturevalue(who)
    client = as_user(user)
    response = client.post(assign_url(thread), {"assignee": user.pk})
    assert response.status_code == 403
    assert "Only staff and moderators" in response.content.decode()
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    assert client.post(unassign_url(thread)).status_code == 403
    assert reload(thread).assignee == colleague


def test_visitors_are_sent_to_sign_in_and_nothing_changes(client, thread):
    response = client.post(assign_url(thread), {"assignee": 1})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post(unassign_url(thread)).status_code == 302
    assert reload(thread).assignee is None


def test_assigning_needs_the_csrf_token(thread, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(assign_url(thread), {"assignee": staff.pk}).status_code == 403
    assert client.post(unassign_url(thread)).status_code == 403
    assert reload(thread).assignee is None


def test_the_write_urls_take_only_post(thread, staff):
    client = as_user(staff)
    assert client.get(assign_url(thread)).status_code == 405
    assert client.get(unassign_url(thread)).status_code == 405


def test_a_member_as_assignee_is_refused_beside_the_field_with_the_choice_kept(
    thread, staff, member
):
    response = as_user(staff).post(assign_url(thread), {"assignee": member.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "not on the staff team" in html
    assert 'class="field field--error"' in html
    assert reload(thread).assignee is None


def test_a_missing_thread_is_the_ordinary_404(staff, db):
    response = as_user(staff).post("/t/999999/assign/", {"assignee": staff.pk})
    assert response.status_code == 404


# --- Members never see it ------------------------------------------------------------------


@pytest.fixture
def assigned(thread, staff, colleague):
    post_create(thread=thread, author=staff, body="Looking into it.")
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    return thread


def test_members_and_visitors_never_see_the_assignee(
    client, assigned, member, other_member, boards
):
    board_url = assigned.board.get_absolute_url()
    urls = [
        assigned.get_absolute_url(),
        board_url,
        reverse("forum:thread-feed-rss", kwargs={"thread_id": assigned.pk}),
        reverse("forum:board-feed-atom", kwargs={"board_slug": assigned.board.slug}),
        reverse("forum:site-feed-rss"),
    ]
    for reader in (client, as_user(member), as_user(other_member)):
        for url in urls:
            body = reader.get(url).content.decode()
            assert COLLEAGUE_NAME not in body, url
            assert "Assigned to" not in body, url
            assert 'id="assignment"' not in body


def test_the_visitors_stored_page_never_holds_the_assignee(
    client, thread, staff, colleague, settings
):
    settings.PAGE_CACHE_ENABLED = True
    url = thread.get_absolute_url()
    # Staff read the page first, and then it is assigned: visitors' copies stay clean.
    assert as_user(staff).get(url).status_code == 200
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    assert "Assigned to" in as_user(staff).get(url).content.decode()
    for _ in range(2):  # rendered, then served from the stored copy
        body = client.get(url).content.decode()
        assert COLLEAGUE_NAME not in body and "Assigned to" not in body
    board_body = client.get(thread.board.get_absolute_url()).content.decode()
    assert COLLEAGUE_NAME not in board_body


def test_staff_see_the_assignee_on_the_board_page(assigned, staff, colleague, moderator):
    board_url = assigned.board.get_absolute_url()
    html = as_user(staff).get(board_url).content.decode()
    assert f"Assigned to {COLLEAGUE_NAME}" in html
    assert "Assigned to you" in as_user(colleague).get(board_url).content.decode()
    assert f"Assigned to {COLLEAGUE_NAME}" in as_user(moderator).get(board_url).content.decode()


def test_the_board_page_adds_one_query_for_staff_whatever_the_threads(
    make_thread, staff, colleague, member
):
    def count(user) -> int:
        client = as_user(user)
        url = reverse("forum:board-detail", kwargs={"board_slug": "help"})
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    threads = [make_thread(member, title=f"Question {i}") for i in range(3)]
    thread_assign(thread=threads[0], assignee=colleague, actor=staff)
    few_staff, few_member = count(staff), count(member)
    for i in range(6):
        thread_assign(
            thread=make_thread(member, title=f"More {i}"), assignee=colleague, actor=staff
        )
    assert count(staff) == few_staff
    assert count(member) == few_member


# --- My threads --------------------------------------------------------------------------


def test_my_threads_lists_mine_with_their_state_and_no_one_elses(
    make_thread, boards, member, staff, colleague
):
    question = make_thread(member, title="Refund not arrived")
    bug = make_thread(member, board=boards["bugs"], title="Export crashes")
    someone_elses = make_thread(member, title="Password reset")
    thread_assign(thread=question, assignee=colleague, actor=staff)
    thread_assign(thread=bug, assignee=colleague, actor=staff)
    thread_assign(thread=someone_elses, assignee=staff, actor=staff)
    html = as_user(colleague).get(MY_THREADS).content.decode()
    assert "Refund not arrived" in html and "Export crashes" in html
    assert "Password reset" not in html
    row = html.split(f'id="mine-{question.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Awaiting staff" in row
    bug_row = html.split(f'id="mine-{bug.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "status-pill--new" in bug_row and "New" in bug_row
    # Latest activity first: the bug was started after the question.
    assert html.index("Export crashes") < html.index("Refund not arrived")


def test_a_thread_merged_into_another_leaves_my_threads(make_thread, member, staff, colleague):
    duplicate = make_thread(member, title="Refund twice (duplicate)")
    kept = make_thread(member, title="Refund twice")
    thread_assign(thread=duplicate, assignee=colleague, actor=staff)
    thread_merge(source=duplicate, target=kept, actor=staff)
    html = as_user(colleague).get(MY_THREADS).content.decode()
    assert "Refund twice (duplicate)" not in html
    assert "Nothing is assigned to you" in html


def test_my_threads_is_for_the_team(client, member, moderator, staff):
    assert client.get(MY_THREADS).status_code == 302
    assert as_user(member).get(MY_THREADS).status_code == 403
    assert as_user(moderator).get(MY_THREADS).status_code == 200
    assert "Nothing is assigned to you" in as_user(staff).get(MY_THREADS).content.decode()


def test_my_threads_query_count_is_pinned_and_flat(make_thread, member, staff, colleague):
    client = as_user(colleague)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(MY_THREADS).status_code == 200
        return len(ctx.captured_queries)

    client.get(MY_THREADS)
    thread_assign(thread=make_thread(member, title="One"), assignee=colleague, actor=staff)
    few = count()
    for i in range(12):
        question = make_thread(member, title=f"Many {i}")
        post_create(thread=question, author=staff, body="On it.")
        thread_assign(thread=question, assignee=colleague, actor=staff)
    assert few == count() == MY_THREADS_QUERIES


def test_the_staff_menu_links_my_threads(staff, member):
    assert f'href="{MY_THREADS}"' in as_user(staff).get("/").content.decode()
    assert f'href="{MY_THREADS}"' not in as_user(member).get("/").content.decode()


def test_the_assignment_panel_costs_staff_the_same_assigned_or_not(thread, staff, colleague):
    client = as_user(staff)

    def count() -> int:
        client.get(thread.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(thread.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    unassigned = count()
    thread_assign(thread=thread, assignee=colleague, actor=staff)
    assert count() == unassigned


# --- Email, as the assignee chose ----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_assignee_is_emailed_as_they_chose(make_thread, member, staff, make_user):
    immediate = make_user("imogen", role=Role.STAFF, job_title="Support", display_name="Imogen")
    daily = make_user("dara", role=Role.MODERATOR, display_name="Dara")
    notifications.email_frequency_set(user=daily, frequency=User.EmailFrequency.DAILY)
    mail.outbox.clear()
    thread_assign(
        thread=make_thread(member, title="Card declined"), assignee=immediate, actor=staff
    )
    thread_assign(thread=make_thread(member, title="Lost invoice"), assignee=daily, actor=staff)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [message] = [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]
    assert message.to == [immediate.email]
    assert message.subject == "[Porchlight] Sam assigned “Card declined” to you"
    assert len(assigned_notifications(daily)) == 1  # in-app now, in tomorrow's digest


def test_assigning_spends_the_write_budget_and_past_it_says_to_wait(
    thread, staff, colleague, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_WRITE_RATE = "2/m"
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(assign_url(thread), {"assignee": colleague.pk}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(unassign_url(thread)).status_code == 302
    response = client.post(assign_url(thread), {"assignee": colleague.pk})
    assert response.status_code == 403
    assert "faster than we allow" in response.content.decode()
    assert reload(thread).assignee is None


def test_a_refused_assignment_gives_the_budget_back(
    thread, staff, member, settings, django_capture_on_commit_callbacks
):
    settings.FORUM_WRITE_RATE = "1/m"
    client = as_user(staff)
    assert client.post(assign_url(thread), {"assignee": member.pk}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(assign_url(thread), {"assignee": staff.pk}).status_code == 302
    assert reload(thread).assignee == staff
    assert client.post(unassign_url(thread)).status_code == 403

"""Bugs: staff set the status (each change an event line in the thread that notifies the
thread's watchers), Duplicate points at another bug, and members say "I'm affected too"
once each, reversibly, with an exact count."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from forum.models import Notification, Thread, ThreadEvent, ThreadVote
from forum.services import post_create
from forum.services.statuses import thread_mark_affected, thread_set_status
from moderation.services import block_create

Status = Thread.Status


def _reload(thread: Thread) -> Thread:
    return Thread.objects.select_related("board").get(pk=thread.pk)


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def bugs_board(boards):
    return boards["bugs"]


@pytest.fixture
def bug(make_thread, member, bugs_board):
    return make_thread(member, board=bugs_board, title="Export drops the last row")


@pytest.fixture
def other_bug(make_thread, other_member, bugs_board):
    return make_thread(other_member, board=bugs_board, title="CSV export loses rows")


@pytest.fixture
def broadcasts(monkeypatch):
    """The live events sent after commit (nothing leaves the machine)."""
    sent = []
    monkeypatch.setattr(
        "forum.realtime.send_event_now", lambda group, event: sent.append((group, event))
    )
    return sent


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --- Service: statuses ------------------------------------------------------------------


def test_a_new_bug_starts_as_new(bug):
    assert bug.status == Status.NEW


@pytest.mark.parametrize(
    "status",
    [Status.NEEDS_INFO, Status.CONFIRMED, Status.IN_PROGRESS, Status.FIXED, Status.WONT_FIX],
)
def test_staff_set_each_bug_status_and_an_event_records_from_and_to(bug, staff, status):
    assert thread_set_status(thread=bug, actor=staff, status=status) is True
    saved = _reload(bug)
    assert saved.status == status
    assert saved.status_changed_at is not None
    event = ThreadEvent.objects.get(thread=bug)
    assert (event.kind, event.from_value, event.to_value) == ("status", "new", status)
    assert event.actor == staff
    assert event.after_position == 1


def test_changes_chain_from_the_previous_status(bug, staff):
    thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED)
    thread_set_status(thread=bug, actor=staff, status=Status.FIXED, reason="Fixed in 4.3.")
    events = list(ThreadEvent.objects.filter(thread=bug).order_by("pk"))
    assert [(e.from_value, e.to_value) for e in events] == [
        ("new", "confirmed"),
        ("confirmed", "fixed"),
    ]
    assert events[1].reason == "Fixed in 4.3."
    assert _reload(bug).status_reason == "Fixed in 4.3."


def test_setting_the_same_status_again_changes_nothing(bug, staff):
    thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED)
    assert thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED) is False
    assert ThreadEvent.objects.filter(thread=bug).count() == 1


def test_a_new_note_on_the_same_status_is_recorded(bug, staff):
    thread_set_status(thread=bug, actor=staff, status=Status.NEEDS_INFO)
    assert thread_set_status(
        thread=bug, actor=staff, status=Status.NEEDS_INFO, reason="Which browser?"
    )
    event = ThreadEvent.objects.filter(thread=bug).latest("pk")
    assert (event.from_value, event.to_value, event.reason) == (
        "needs_info",
        "needs_info",
        "Which browser?",
    )


def test_the_event_goes_after_the_threads_last_post(bug, staff, other_member):
    post_create(thread=bug, author=other_member, body="Same here.")
    post_create(thread=bug, author=other_member, body="Still happening.")
    thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED)
    assert ThreadEvent.objects.get(thread=bug).after_position == 3


def test_idea_statuses_are_refused_on_a_bug_with_the_allowed_ones_named(bug, staff):
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=bug, actor=staff, status=Status.PLANNED, reason="Soon")
    message = caught.value.message_dict["status"][0]
    assert "New" in message and "Won't fix" in message and "Duplicate" in message
    assert _reload(bug).status == Status.NEW
    assert not ThreadEvent.objects.exists()


def test_a_bug_note_is_optional_but_limited_in_length(bug, staff):
    too_long = "x" * (Thread.STATUS_REASON_MAX + 1)
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED, reason=too_long)
    assert "at most 1,000 characters" in caught.value.message_dict["reason"][0]
    assert thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED, reason="")


def test_help_threads_have_no_status(thread, staff):
    with pytest.raises(ValidationError):
        thread_set_status(thread=thread, actor=staff, status=Status.CONFIRMED)


# --- Service: duplicates ------------------------------------------------------------------


def test_duplicate_points_at_another_bug(bug, other_bug, staff):
    assert thread_set_status(
        thread=bug, actor=staff, status=Status.DUPLICATE, duplicate_of=other_bug
    )
    saved = _reload(bug)
    assert saved.status == Status.DUPLICATE and saved.duplicate_of == other_bug
    event = ThreadEvent.objects.get(thread=bug)
    assert event.duplicate_of == other_bug and event.to_value == "duplicate"


def test_duplicate_needs_the_other_bugs_number(bug, staff):
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=bug, actor=staff, status=Status.DUPLICATE)
    assert "Give the number of the bug thread" in caught.value.message_dict["duplicate_of"][0]


def test_a_bug_is_not_a_duplicate_of_itself(bug, staff):
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=bug, actor=staff, status=Status.DUPLICATE, duplicate_of=bug)
    assert "itself" in caught.value.message_dict["duplicate_of"][0]


def test_a_duplicate_must_point_at_a_bug_thread(bug, thread, staff):
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=bug, actor=staff, status=Status.DUPLICATE, duplicate_of=thread)
    assert "not on a Bugs board" in caught.value.message_dict["duplicate_of"][0]
    assert _reload(bug).duplicate_of is None


def test_two_bugs_cannot_be_duplicates_of_each_other(bug, other_bug, staff):
    thread_set_status(thread=other_bug, actor=staff, status=Status.DUPLICATE, duplicate_of=bug)
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=bug, actor=staff, status=Status.DUPLICATE, duplicate_of=other_bug)
    assert (
        "already marked as a duplicate of this one" in caught.value.message_dict["duplicate_of"][0]
    )


def test_leaving_duplicate_clears_the_link(bug, other_bug, staff):
    thread_set_status(thread=bug, actor=staff, status=Status.DUPLICATE, duplicate_of=other_bug)
    thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED, duplicate_of=other_bug)
    saved = _reload(bug)
    assert saved.status == Status.CONFIRMED and saved.duplicate_of is None


# --- Service: who hears about it ----------------------------------------------------------


def test_a_status_change_notifies_watchers_once_and_not_the_actor(
    bug, staff, other_member, broadcasts, django_capture_on_commit_callbacks
):
    post_create(thread=bug, author=other_member, body="Me too.")  # watches by replying
    post_create(thread=bug, author=staff, body="Looking.")  # the actor watches too
    broadcasts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED)
    event = ThreadEvent.objects.get(thread=bug)
    recipients = set(
        Notification.objects.filter(event=event).values_list("recipient__username", flat=True)
    )
    assert recipients == {"jamie", "priya"}
    assert any(
        e["type"] == "forum.thread_changed" and e["thread_id"] == bug.pk for _, e in broadcasts
    )


def test_nothing_changed_means_no_notification_and_no_broadcast(
    bug, staff, broadcasts, django_capture_on_commit_callbacks
):
    thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED)
    before = Notification.objects.count()
    broadcasts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED)
    assert Notification.objects.count() == before
    assert broadcasts == []


# --- Service: "I'm affected too" ----------------------------------------------------------


def test_affected_is_counted_once_per_member_and_reversible(bug, other_member, staff):
    assert thread_mark_affected(thread=bug, user=other_member, on=True) is True
    assert thread_mark_affected(thread=bug, user=other_member, on=True) is False
    assert thread_mark_affected(thread=bug, user=staff, on=True) is True
    assert bug.affected_count == 2  # the object passed in is kept up to date
    assert _reload(bug).affected_count == 2
    assert ThreadVote.objects.filter(thread=bug, kind="affected").count() == 2
    assert thread_mark_affected(thread=bug, user=other_member, on=False) is True
    assert thread_mark_affected(thread=bug, user=other_member, on=False) is False
    assert _reload(bug).affected_count == 1
    assert not ThreadVote.objects.filter(thread=bug, user=other_member).exists()


def test_a_second_affected_row_is_refused_by_the_constraint_not_a_read(bug, other_member):
    """The service inserts and lets the unique constraint refuse a repeat (a savepoint
    keeps the transaction usable), so two racing requests can't both count."""
    thread_mark_affected(thread=bug, user=other_member, on=True)
    with CaptureQueriesContext(connection) as ctx:
        assert thread_mark_affected(thread=bug, user=other_member, on=True) is False
    assert any("INSERT" in q["sql"] for q in ctx.captured_queries)
    assert _reload(bug).affected_count == 1
    assert ThreadVote.objects.filter(thread=bug, user=other_member).count() == 1


def test_affected_counts_against_the_write_budget(
    bug, other_member, django_capture_on_commit_callbacks
):
    from forum.ratelimit import write_budget_left

    before, _ = write_budget_left(other_member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        thread_mark_affected(thread=bug, user=other_member, on=True)
    after, _ = write_budget_left(other_member.pk)
    assert after == before - 1


# --- Views: the status form -----------------------------------------------------------------


def status_url(thread):
    return f"/t/{thread.pk}/status/"


def test_staff_change_the_status_and_the_thread_shows_the_event_line(staff_client, bug):
    response = staff_client.post(
        status_url(bug), {"status": "confirmed", "reason": "Reproduced on 4.2."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/t/{bug.pk}/#thread-status"
    assert _reload(bug).status == Status.CONFIRMED
    html = html_of(staff_client.get(bug.get_absolute_url()))
    assert "Sam" in html and "(Staff)" in html
    assert "changed the status from" in html
    line = html[html.index('class="thread-event thread-event--status"') :]
    assert line.index(">New<") < line.index(">Confirmed<")
    assert "Reproduced on 4.2." in line


def test_a_member_cannot_set_a_bug_status(client, other_member, bug):
    client.force_login(other_member)
    response = client.post(status_url(bug), {"status": "fixed"})
    assert response.status_code == 403
    assert "Only staff set the status" in html_of(response)
    assert _reload(bug).status == Status.NEW
    assert not ThreadEvent.objects.exists()


def test_the_bug_author_cannot_set_its_status_either(client, member, bug):
    client.force_login(member)
    assert client.post(status_url(bug), {"status": "fixed"}).status_code == 403
    assert _reload(bug).status == Status.NEW


def test_visitors_are_sent_to_sign_in_and_brought_back(client, bug):
    response = client.post(status_url(bug), {"status": "fixed"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert f"next=/t/{bug.pk}/" in response["Location"]
    assert _reload(bug).status == Status.NEW


def test_the_status_url_takes_only_post(staff_client, bug):
    assert staff_client.get(status_url(bug)).status_code == 405


def test_duplicate_without_a_number_shows_the_error_and_keeps_the_note(staff_client, bug):
    response = staff_client.post(
        status_url(bug), {"status": "duplicate", "reason": "Same as the CSV one."}
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "Give the number of the bug thread" in html
    assert "Same as the CSV one." in html
    assert 'id="id_duplicate_of_error"' in html  # next to its field
    assert _reload(bug).status == Status.NEW


def test_duplicate_of_a_missing_thread_says_so(staff_client, bug):
    response = staff_client.post(status_url(bug), {"status": "duplicate", "duplicate_of": "999999"})
    assert response.status_code == 400
    assert "There is no thread #999999" in html_of(response)


def test_duplicate_of_a_non_number_says_what_to_enter(staff_client, bug):
    response = staff_client.post(status_url(bug), {"status": "duplicate", "duplicate_of": "#12"})
    assert response.status_code == 400
    assert "Enter the bug thread&#x27;s number" in html_of(response)


def test_duplicate_links_to_the_other_bug(staff_client, bug, other_bug):
    response = staff_client.post(
        status_url(bug), {"status": "duplicate", "duplicate_of": str(other_bug.pk)}
    )
    assert response.status_code == 302
    html = html_of(staff_client.get(bug.get_absolute_url()))
    link = f'<a href="/t/{other_bug.pk}/">#{other_bug.pk} CSV export loses rows</a>'
    assert "marked this a duplicate of " + link in " ".join(html.split())


def test_an_idea_status_on_a_bug_is_refused_with_a_message(staff_client, bug):
    response = staff_client.post(status_url(bug), {"status": "planned"})
    assert response.status_code == 400
    assert "Choose one of the statuses in the list." in html_of(response)


def test_setting_the_same_status_says_nothing_changed(staff_client, bug):
    response = staff_client.post(status_url(bug), {"status": "new"}, follow=True)
    assert "already the status" in html_of(response)
    assert not ThreadEvent.objects.exists()


def test_status_on_a_help_thread_is_refused(staff_client, thread):
    assert staff_client.post(status_url(thread), {"status": "confirmed"}).status_code == 403


def test_staff_see_the_status_form_with_only_bug_statuses(staff_client, bug):
    html = html_of(staff_client.get(bug.get_absolute_url()))
    assert f'action="/t/{bug.pk}/status/"' in html
    assert '<label for="id_status">' in html and '<label for="id_duplicate_of">' in html
    assert 'value="wont_fix"' in html and 'value="planned"' not in html


def test_members_do_not_see_the_status_form(client, other_member, bug):
    client.force_login(other_member)
    html = html_of(client.get(bug.get_absolute_url()))
    assert f'action="/t/{bug.pk}/status/"' not in html


# --- Views: "I'm affected too" ---------------------------------------------------------------


def affected_url(thread):
    return f"/t/{thread.pk}/affected/"


def test_a_member_says_they_are_affected_and_takes_it_back(client, other_member, bug):
    client.force_login(other_member)
    html = html_of(client.get(bug.get_absolute_url()))
    assert "I'm affected too" in html and "0</strong> people affected too" in html
    response = client.post(affected_url(bug), {"on": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#thread-status")
    html = html_of(client.get(bug.get_absolute_url()))
    assert "I'm not affected anymore" in html and "1</strong> person affected too" in html
    client.post(affected_url(bug), {"on": "1"})  # a second press counts once
    assert _reload(bug).affected_count == 1
    client.post(affected_url(bug), {"on": "0"})
    assert _reload(bug).affected_count == 0


def test_the_reporter_is_counted_already(client, member, bug):
    client.force_login(member)
    html = html_of(client.get(bug.get_absolute_url()))
    assert "You reported this bug" in html and affected_url(bug) not in html
    response = client.post(affected_url(bug), {"on": "1"})
    assert response.status_code == 403
    assert _reload(bug).affected_count == 0


def test_a_blocked_member_cannot_say_they_are_affected(
    client, other_member, moderator, guidelines, bug
):
    block_create(
        actor=moderator, member=other_member, duration="1d", rule_codes=["G1"], reason="Spam."
    )
    client.force_login(other_member)
    assert affected_url(bug) not in html_of(client.get(bug.get_absolute_url()))
    assert client.post(affected_url(bug), {"on": "1"}).status_code == 403
    assert _reload(bug).affected_count == 0


def test_affected_is_only_for_bugs(client, other_member, thread):
    client.force_login(other_member)
    response = client.post(affected_url(thread), {"on": "1"})
    assert response.status_code == 403
    assert "Only bug reports" in html_of(response)


def test_a_toggle_without_on_is_a_bad_request(client, other_member, bug):
    client.force_login(other_member)
    assert client.post(affected_url(bug), {"on": "yes"}).status_code == 400
    assert _reload(bug).affected_count == 0


def test_visitors_see_the_count_and_a_sign_in_link(client, bug, other_member):
    thread_mark_affected(thread=bug, user=other_member, on=True)
    html = html_of(client.get(bug.get_absolute_url()))
    assert "1</strong> person affected too" in html
    assert f"/accounts/login/?next=/t/{bug.pk}/" in html
    response = client.post(affected_url(bug), {"on": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Event lines on the right page ------------------------------------------------------------


@override_settings(FORUM_POSTS_PER_PAGE=3)
def test_event_lines_sit_after_their_post_on_the_right_page(client, bug, staff, other_member):
    post_create(thread=bug, author=other_member, body="reply two")
    thread_set_status(thread=bug, actor=staff, status=Status.NEEDS_INFO, reason="after two")
    for n in range(3, 6):
        post_create(thread=bug, author=other_member, body=f"reply {n}")
    thread_set_status(thread=bug, actor=staff, status=Status.CONFIRMED, reason="at the end")

    def posts_of(url):
        html = html_of(client.get(url))
        return html[html.index('id="posts"') :]

    first = posts_of(bug.get_absolute_url())
    second = posts_of(bug.get_absolute_url() + "?page=2")
    assert "after two" in first and "at the end" not in first
    assert first.index("reply two") < first.index("after two") < first.index("reply 3")
    assert "at the end" in second and "after two" not in second
    assert second.index("reply 5") < second.index("at the end")


def test_event_lines_cost_one_query_however_many_there_are(client, bug, staff, other_member):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(bug.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    thread_set_status(thread=bug, actor=staff, status=Status.NEEDS_INFO)
    few = queries()
    for status in (Status.CONFIRMED, Status.IN_PROGRESS, Status.FIXED, Status.CONFIRMED):
        post_create(thread=bug, author=other_member, body="More detail.")
        thread_set_status(thread=bug, actor=staff, status=status, reason="Because.")
    assert queries() == few


def test_event_lines_render_the_help_workflow_kinds_too(client, thread, member, staff):
    """A1's services create these events; the same event lines show them."""
    from forum.services import answers

    reply = post_create(thread=thread, author=staff, body="Restart the export.")
    answers.post_set_official(post=reply, actor=staff, official=True)
    answers.prompt_respond(thread=thread, actor=member, solved=False)
    answers.answer_accept(thread=thread, post=reply, actor=member)
    answers.answer_unaccept(thread=thread, actor=member)
    answers.prompt_respond(thread=thread, actor=member, solved=True)
    html = html_of(client.get(thread.get_absolute_url()))
    lines = " ".join(html[html.index('class="thread-events"') :].split())
    permalink = f'<a href="/p/{reply.pk}/">'
    assert f"marked {permalink}their own reply</a> as the official answer" in lines
    assert "said it is not solved yet" in lines
    assert f"marked {permalink}Sam’s reply</a> as the accepted answer" in lines
    assert "unmarked the accepted answer" in lines
    assert "marked this solved" in lines
    texts = ("official answer", "not solved yet", "as the accepted", "unmarked", "this solved")
    order = [lines.index(text) for text in texts]
    assert order == sorted(order)

"""Ideas: members vote (one vote each, reversible, never on their own idea) and staff set
a status with a reason that the thread shows."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test import override_settings

from forum.models import Thread, ThreadEvent, ThreadVote
from forum.services.statuses import thread_set_status, thread_vote
from moderation.services import block_create

Status = Thread.Status


def _reload(thread: Thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def idea(make_thread, member, boards):
    return make_thread(member, board=boards["ideas"], title="Dark mode for the dashboard")


def vote_url(thread):
    return f"/t/{thread.pk}/vote/"


def status_url(thread):
    return f"/t/{thread.pk}/status/"


# --- Service: votes ---------------------------------------------------------------------


def test_a_new_idea_has_no_status_and_no_votes(idea):
    assert idea.status == "" and idea.vote_count == 0


def test_one_vote_per_member_reversible_and_counted_exactly(idea, other_member, staff, make_user):
    third = make_user("kai")
    assert thread_vote(thread=idea, user=other_member, on=True) is True
    assert thread_vote(thread=idea, user=other_member, on=True) is False  # not twice
    assert thread_vote(thread=idea, user=staff, on=True) is True
    assert thread_vote(thread=idea, user=third, on=True) is True
    assert _reload(idea).vote_count == 3 == idea.vote_count
    assert thread_vote(thread=idea, user=staff, on=False) is True
    assert thread_vote(thread=idea, user=staff, on=False) is False  # nothing to remove
    assert _reload(idea).vote_count == 2
    assert ThreadVote.objects.filter(thread=idea, kind="vote").count() == 2


def test_a_vote_and_affected_rows_are_separate_kinds(idea, other_member):
    thread_vote(thread=idea, user=other_member, on=True)
    row = ThreadVote.objects.get(thread=idea, user=other_member)
    assert row.kind == ThreadVote.Kind.VOTE
    assert _reload(idea).affected_count == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_racing_votes_from_one_member_count_once(boards, member, other_member, make_thread):
    """Two requests from the same member at once: one vote row, a count of one."""
    idea = make_thread(member, board=boards["ideas"], title="Racing votes")
    barrier = threading.Barrier(4)
    results = []

    def vote():
        try:
            barrier.wait()
            results.append(thread_vote(thread=idea, user=other_member, on=True))
        finally:
            close_old_connections()

    workers = [threading.Thread(target=vote) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results) == [False, False, False, True]
    assert _reload(idea).vote_count == 1
    assert ThreadVote.objects.filter(thread=idea).count() == 1


# --- Service: statuses with reasons ------------------------------------------------------


@pytest.mark.parametrize(
    "status", [Status.UNDER_REVIEW, Status.PLANNED, Status.SHIPPED, Status.DECLINED]
)
def test_staff_set_each_idea_status_with_a_reason(idea, staff, status):
    assert thread_set_status(thread=idea, actor=staff, status=status, reason="Because.")
    saved = _reload(idea)
    assert (saved.status, saved.status_reason) == (status, "Because.")
    event = ThreadEvent.objects.get(thread=idea)
    assert (event.from_value, event.to_value, event.reason) == ("", status, "Because.")


def test_an_idea_status_needs_a_reason(idea, staff):
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=idea, actor=staff, status=Status.PLANNED, reason="   ")
    assert "Say why" in caught.value.message_dict["reason"][0]
    assert _reload(idea).status == ""


def test_bug_statuses_are_refused_on_an_idea(idea, staff):
    with pytest.raises(ValidationError) as caught:
        thread_set_status(thread=idea, actor=staff, status=Status.FIXED, reason="Done")
    message = caught.value.message_dict["status"][0]
    assert "Under review, Planned, Shipped or Declined" in message


def test_a_new_reason_for_the_same_status_is_a_change(idea, staff):
    thread_set_status(thread=idea, actor=staff, status=Status.PLANNED, reason="For Q3.")
    assert not thread_set_status(thread=idea, actor=staff, status=Status.PLANNED, reason="For Q3.")
    assert thread_set_status(thread=idea, actor=staff, status=Status.PLANNED, reason="Now Q4.")
    assert _reload(idea).status_reason == "Now Q4."
    assert ThreadEvent.objects.filter(thread=idea).count() == 2


# --- Views: voting ----------------------------------------------------------------------------


def test_a_member_votes_and_removes_the_vote(client, other_member, idea):
    client.force_login(other_member)
    html = html_of(client.get(idea.get_absolute_url()))
    assert ">Vote</button>" in html and "0</strong> votes" in html
    response = client.post(vote_url(idea), {"on": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/t/{idea.pk}/#thread-status"
    html = html_of(client.get(idea.get_absolute_url()))
    assert "Remove vote" in html and "1</strong> vote<" in html
    client.post(vote_url(idea), {"on": "0"})
    assert _reload(idea).vote_count == 0


def test_a_member_cannot_vote_twice(client, other_member, idea):
    client.force_login(other_member)
    client.post(vote_url(idea), {"on": "1"})
    response = client.post(vote_url(idea), {"on": "1"}, follow=True)
    assert "You had already voted" in html_of(response)
    assert _reload(idea).vote_count == 1
    assert ThreadVote.objects.filter(thread=idea).count() == 1


def test_members_cannot_vote_on_their_own_idea(client, member, idea):
    client.force_login(member)
    html = html_of(client.get(idea.get_absolute_url()))
    assert "Your idea" in html and vote_url(idea) not in html
    response = client.post(vote_url(idea), {"on": "1"})
    assert response.status_code == 403
    assert "your own idea" in html_of(response)
    assert _reload(idea).vote_count == 0


def test_a_blocked_member_cannot_vote(client, other_member, moderator, guidelines, idea):
    block_create(
        actor=moderator, member=other_member, duration="1d", rule_codes=["G1"], reason="Spam."
    )
    client.force_login(other_member)
    assert vote_url(idea) not in html_of(client.get(idea.get_absolute_url()))
    response = client.post(vote_url(idea), {"on": "1"})
    assert response.status_code == 403
    assert "blocked" in html_of(response)
    assert _reload(idea).vote_count == 0


def test_votes_are_only_for_ideas(client, other_member, thread):
    client.force_login(other_member)
    response = client.post(vote_url(thread), {"on": "1"})
    assert response.status_code == 403
    assert "Only ideas take votes" in html_of(response)


@override_settings(FORUM_WRITE_RATE="2/h")
def test_votes_count_against_the_write_budget(
    client, other_member, make_thread, boards, member, django_capture_on_commit_callbacks
):
    ideas = [make_thread(member, board=boards["ideas"], title=f"Idea {n}") for n in range(3)]
    client.force_login(other_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(vote_url(ideas[0]), {"on": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(vote_url(ideas[1]), {"on": "1"})
    response = client.post(vote_url(ideas[2]), {"on": "1"})
    assert response.status_code == 403
    assert "faster than we allow" in html_of(response)
    assert _reload(ideas[2]).vote_count == 0


def test_visitors_see_the_count_and_sign_in_to_vote(client, idea, other_member):
    thread_vote(thread=idea, user=other_member, on=True)
    html = html_of(client.get(idea.get_absolute_url()))
    assert "1</strong> vote<" in html
    assert f'href="/accounts/login/?next=/t/{idea.pk}/">Sign in to vote</a>' in html
    response = client.post(vote_url(idea), {"on": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/t/{idea.pk}/"


# --- Views: the idea's status ------------------------------------------------------------------


def test_staff_set_an_idea_status_and_the_reason_shows_in_the_thread(client, staff, idea):
    client.force_login(staff)
    response = client.post(
        status_url(idea), {"status": "planned", "reason": "Planned for the spring release."}
    )
    assert response.status_code == 302
    html = html_of(client.get(idea.get_absolute_url()))
    status_box = html[html.index('id="thread-status"') :]
    assert ">Planned</span>" in status_box
    assert "Planned for the spring release." in status_box
    assert "set the status to" in html  # the event line


def test_an_idea_status_without_a_reason_shows_the_error_next_to_it(client, staff, idea):
    client.force_login(staff)
    response = client.post(status_url(idea), {"status": "declined", "reason": ""})
    assert response.status_code == 400
    html = html_of(response)
    assert 'id="id_reason_error"' in html and "Say why" in html
    assert '<option value="declined" selected>' in html  # the choice is kept
    assert 'name="duplicate_of"' not in html  # ideas have no duplicates
    assert _reload(idea).status == ""


def test_staff_see_only_idea_statuses(client, staff, idea):
    client.force_login(staff)
    html = html_of(client.get(idea.get_absolute_url()))
    assert 'value="shipped"' in html and 'value="wont_fix"' not in html
    assert "Reason (shown with the status)" in html


def test_a_member_cannot_set_an_idea_status(client, other_member, idea):
    client.force_login(other_member)
    response = client.post(status_url(idea), {"status": "shipped", "reason": "I say so"})
    assert response.status_code == 403
    assert _reload(idea).status == ""

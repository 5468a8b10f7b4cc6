"""The Help workflow's services: replies move a question's state, the asker or staff
accept an answer (changeable, reversible), the asker answers the staff prompt, staff mark
official answers. Each change leaves one event line, notifies the answer's author when
someone else accepted it, and tells open pages after commit."""

from datetime import timedelta

import pytest

from forum.models import Board, Notification, Post, Thread, ThreadEvent
from forum.services import answers, post_create

State = Thread.HelpState


def _reload(thread: Thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


@pytest.fixture
def broadcasts(monkeypatch):
    """The live events the services send after commit (nothing leaves the machine)."""
    sent = []
    monkeypatch.setattr(
        "forum.realtime.send_event_now", lambda group, event: sent.append((group, event))
    )
    return sent


THREAD_CHANGED = "forum.thread_changed"


# --- Replies move the state -----------------------------------------------------------


def test_a_new_help_question_awaits_staff(thread):
    assert thread.help_state == State.AWAITING_STAFF
    assert thread.first_staff_reply_at is None


def test_threads_outside_help_have_no_state_but_record_the_first_staff_reply(
    make_thread, boards, member, staff
):
    bug = make_thread(member, board=boards["bugs"])
    post_create(thread=bug, author=member, body="More detail.")
    assert _reload(bug).first_staff_reply_at is None
    reply = post_create(thread=bug, author=staff, body="Thanks, looking.")
    bug = _reload(bug)
    assert bug.help_state == State.NONE
    assert bug.first_staff_reply_at == reply.created_at


def test_a_staff_reply_waits_on_the_asker_and_records_the_first_reply_time(thread, staff, clock):
    clock.advance(hours=3)
    reply = post_create(thread=thread, author=staff, body="Try turning it off and on.")
    thread = _reload(thread)
    assert thread.help_state == State.AWAITING_ASKER
    assert thread.first_staff_reply_at == reply.created_at
    clock.advance(hours=1)
    post_create(thread=thread, author=staff, body="Also check the cable.")
    assert _reload(thread).first_staff_reply_at == reply.created_at  # the first one stays


def test_the_askers_reply_goes_back_to_staff(thread, member, staff):
    post_create(thread=thread, author=staff, body="Which version?")
    post_create(thread=thread, author=member, body="Version 4.2.")
    assert _reload(thread).help_state == State.AWAITING_STAFF


def test_other_members_replies_do_not_move_the_state(thread, other_member, staff):
    post_create(thread=thread, author=other_member, body="Same here.")
    assert _reload(thread).help_state == State.AWAITING_STAFF
    post_create(thread=thread, author=staff, body="On it.")
    post_create(thread=thread, author=other_member, body="Thanks!")
    assert _reload(thread).help_state == State.AWAITING_ASKER


def test_a_volunteer_moderator_is_not_staff_but_an_employee_moderator_is(
    thread, moderator, make_user
):
    post_create(thread=thread, author=moderator, body="Please add your OS.")
    assert _reload(thread).help_state == State.AWAITING_STAFF
    employee_mod = make_user("kim", role="moderator", job_title="Support Lead")
    post_create(thread=thread, author=employee_mod, body="Fixed in 4.3.")
    assert _reload(thread).help_state == State.AWAITING_ASKER


def test_a_staff_member_asking_in_help_is_the_asker_when_they_reply(make_thread, staff):
    question = make_thread(staff)
    post_create(thread=question, author=staff, body="More details.")
    question = _reload(question)
    assert question.help_state == State.AWAITING_STAFF
    assert question.first_staff_reply_at is None


def test_replies_do_not_unsolve_a_solved_thread(thread, member, staff):
    reply = post_create(thread=thread, author=staff, body="Fixed.")
    answers.answer_accept(thread=thread, post=reply, actor=member)
    post_create(thread=thread, author=member, body="Thanks a lot!")
    post_create(thread=thread, author=staff, body="You're welcome.")
    thread = _reload(thread)
    assert thread.help_state == State.SOLVED
    assert thread.accepted_post_id == reply.pk


# --- Accepting an answer ----------------------------------------------------------------


def test_accepting_solves_notifies_the_author_and_adds_an_event(
    thread, member, staff, clock, broadcasts, django_capture_on_commit_callbacks
):
    reply = post_create(thread=thread, author=staff, body="Update the driver.")
    with django_capture_on_commit_callbacks(execute=True):
        assert answers.answer_accept(thread=thread, post=reply, actor=member) is True
    assert thread.help_state == State.SOLVED  # the caller's object follows the row
    stored = _reload(thread)
    assert stored.accepted_post_id == reply.pk
    assert stored.help_state == State.SOLVED
    assert stored.solved_at == clock.now
    event = ThreadEvent.objects.get(thread=thread)
    assert (event.kind, event.post_id, event.actor_id) == ("accepted", reply.pk, member.pk)
    assert (event.from_value, event.to_value) == (State.AWAITING_ASKER, State.SOLVED)
    assert event.after_position == 2
    note = Notification.objects.get(recipient=staff, event=event)
    assert note.kind == Notification.Kind.ACCEPTED
    assert broadcasts == [
        (f"member.{staff.pk}", {"type": "forum.unread_count", "user_id": staff.pk, "count": 1}),
        (f"thread.{thread.pk}", {"type": THREAD_CHANGED, "thread_id": thread.pk}),
    ]


def test_accepting_your_own_reply_notifies_no_one(thread, member, staff):
    own = post_create(thread=thread, author=member, body="Found it myself: a setting.")
    answers.answer_accept(thread=thread, post=own, actor=member)
    assert not Notification.objects.filter(kind=Notification.Kind.ACCEPTED).exists()


def test_accepting_the_same_answer_twice_changes_nothing(thread, member, staff):
    reply = post_create(thread=thread, author=staff, body="Update the driver.")
    answers.answer_accept(thread=thread, post=reply, actor=member)
    assert answers.answer_accept(thread=thread, post=reply, actor=staff) is False
    assert ThreadEvent.objects.filter(thread=thread).count() == 1


def test_accepting_another_reply_replaces_the_answer(thread, member, other_member, staff, clock):
    first = post_create(thread=thread, author=staff, body="Update the driver.")
    second = post_create(thread=thread, author=other_member, body="Actually, reset the cache.")
    answers.answer_accept(thread=thread, post=first, actor=member)
    solved_at = clock.now
    clock.advance(minutes=5)
    assert answers.answer_accept(thread=thread, post=second, actor=member) is True
    stored = _reload(thread)
    assert stored.accepted_post_id == second.pk
    assert stored.solved_at == solved_at  # it was already solved
    kinds = list(ThreadEvent.objects.filter(thread=thread).values_list("kind", "post_id"))
    assert kinds == [("accepted", first.pk), ("accepted", second.pk)]
    assert Notification.objects.filter(recipient=other_member, kind="accepted").count() == 1


def test_the_question_itself_or_another_threads_post_cannot_be_the_answer(
    thread, make_thread, member, staff
):
    opening = Post.objects.get(thread=thread, position=1)
    with pytest.raises(ValueError):
        answers.answer_accept(thread=thread, post=opening, actor=member)
    elsewhere = post_create(thread=make_thread(member), author=staff, body="Elsewhere.")
    with pytest.raises(ValueError):
        answers.answer_accept(thread=thread, post=elsewhere, actor=member)
    assert _reload(thread).help_state == State.AWAITING_STAFF


def test_unaccepting_returns_to_whoever_must_speak_next(thread, member, staff):
    reply = post_create(thread=thread, author=staff, body="Update the driver.")
    answers.answer_accept(thread=thread, post=reply, actor=member)
    assert answers.answer_unaccept(thread=thread, actor=member) is True
    stored = _reload(thread)
    assert (stored.accepted_post_id, stored.solved_at) == (None, None)
    assert stored.help_state == State.AWAITING_ASKER  # staff spoke last
    event = ThreadEvent.objects.filter(thread=thread).last()
    assert (event.kind, event.post_id, event.to_value) == ("unaccepted", reply.pk, "awaiting_asker")

    post_create(thread=thread, author=member, body="Hm, it came back.")
    answers.answer_accept(thread=thread, post=reply, actor=staff)
    answers.answer_unaccept(thread=thread, actor=staff)
    assert _reload(thread).help_state == State.AWAITING_STAFF  # the asker spoke last


def test_unaccepting_when_nothing_is_accepted_changes_nothing(thread, member):
    assert answers.answer_unaccept(thread=thread, actor=member) is False
    assert not ThreadEvent.objects.exists()


# --- The asker's prompt -----------------------------------------------------------------


def test_yes_solved_accepts_the_latest_staff_reply(thread, member, staff, make_user, clock):
    colleague = make_user("lee", role="staff", job_title="Engineer")
    post_create(thread=thread, author=staff, body="First idea.")
    latest = post_create(thread=thread, author=colleague, body="Second idea, this one works.")
    post_create(thread=thread, author=member, body="Trying it.")
    assert answers.prompt_respond(thread=thread, actor=member, solved=True) is True
    stored = _reload(thread)
    assert stored.help_state == State.SOLVED
    assert stored.accepted_post_id == latest.pk
    assert stored.solved_at == clock.now
    event = ThreadEvent.objects.get(thread=thread)
    assert (event.kind, event.post_id) == ("solved", latest.pk)
    assert Notification.objects.filter(recipient=colleague, event=event).count() == 1
    assert not Notification.objects.filter(recipient=staff, event=event).exists()


def test_yes_solved_skips_hidden_staff_replies_and_works_without_any(
    thread, member, staff, make_thread
):
    visible = post_create(thread=thread, author=staff, body="This works.")
    hidden = post_create(thread=thread, author=staff, body="Oops, wrong thread.")
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    answers.prompt_respond(thread=thread, actor=member, solved=True)
    assert _reload(thread).accepted_post_id == visible.pk

    lonely = make_thread(member, title="Never mind")
    assert answers.prompt_respond(thread=lonely, actor=member, solved=True) is True
    lonely = _reload(lonely)
    assert lonely.help_state == State.SOLVED
    assert lonely.accepted_post_id is None


def test_yes_solved_keeps_an_answer_already_accepted(thread, member, other_member, staff):
    post_create(thread=thread, author=staff, body="Staff idea.")
    peer = post_create(thread=thread, author=other_member, body="Peer idea.")
    answers.answer_accept(thread=thread, post=peer, actor=member)
    answers.answer_unaccept(thread=thread, actor=member)
    answers.answer_accept(thread=thread, post=peer, actor=member)
    assert answers.prompt_respond(thread=thread, actor=member, solved=True) is False
    assert _reload(thread).accepted_post_id == peer.pk


def test_not_yet_puts_the_question_back_in_the_staff_queue(thread, member, staff, clock):
    post_create(thread=thread, author=staff, body="Try this.")
    clock.advance(days=1)
    assert answers.prompt_respond(thread=thread, actor=member, solved=False) is True
    stored = _reload(thread)
    assert stored.help_state == State.AWAITING_STAFF
    assert stored.reopened_at == clock.now
    assert ThreadEvent.objects.get(thread=thread).kind == "not_yet"
    # Saying it twice changes nothing; the next staff reply answers it.
    assert answers.prompt_respond(thread=thread, actor=member, solved=False) is False
    post_create(thread=thread, author=staff, body="Another idea.")
    stored = _reload(thread)
    assert stored.reopened_at is None
    assert stored.help_state == State.AWAITING_ASKER


def test_not_yet_after_solved_withdraws_the_answer(thread, member, staff):
    reply = post_create(thread=thread, author=staff, body="Try this.")
    answers.answer_accept(thread=thread, post=reply, actor=member)
    answers.prompt_respond(thread=thread, actor=member, solved=False)
    stored = _reload(thread)
    assert (stored.help_state, stored.accepted_post_id, stored.solved_at) == (
        State.AWAITING_STAFF,
        None,
        None,
    )


# --- Official answers -------------------------------------------------------------------


def test_marking_official_is_reversible_and_adds_one_event(
    thread, staff, broadcasts, django_capture_on_commit_callbacks
):
    reply = post_create(thread=thread, author=staff, body="The official word.")
    with django_capture_on_commit_callbacks(execute=True):
        assert answers.post_set_official(post=reply, actor=staff, official=True) is True
        assert Post.objects.get(pk=reply.pk).is_official_answer is True
        assert answers.post_set_official(post=reply, actor=staff, official=True) is False
        assert answers.post_set_official(post=reply, actor=staff, official=False) is True
    assert Post.objects.get(pk=reply.pk).is_official_answer is False
    assert list(ThreadEvent.objects.values_list("kind", "post_id")) == [("official", reply.pk)]
    assert [event["type"] for _, event in broadcasts] == [THREAD_CHANGED] * 2


def test_official_answers_work_on_any_board(make_thread, boards, member, staff):
    bug = make_thread(member, board=boards["bugs"])
    reply = post_create(thread=bug, author=staff, body="Known issue, fix on Monday.")
    assert answers.post_set_official(post=reply, actor=staff, official=True) is True
    assert bug.board.kind == Board.Kind.BUGS


def test_nothing_is_broadcast_or_notified_when_the_transaction_rolls_back(
    thread, member, staff, broadcasts, django_capture_on_commit_callbacks
):
    from django.db import transaction

    reply = post_create(thread=thread, author=staff, body="Update the driver.")

    class Boom(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        answers.answer_accept(thread=thread, post=reply, actor=member)
        raise Boom
    assert callbacks == []
    assert broadcasts == []
    assert not Notification.objects.filter(kind="accepted").exists()
    assert _reload(thread).help_state == State.AWAITING_ASKER


def test_time_fields_use_the_clock(clock, thread, staff):
    start = thread.created_at
    clock.advance(days=2, hours=1)
    post_create(thread=thread, author=staff, body="Sorry for the wait.")
    assert _reload(thread).first_staff_reply_at - start == timedelta(days=2, hours=1)

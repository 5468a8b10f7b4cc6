"""Who hears about what: one notification per event per member, the most specific
reason winning; never the actor; muted threads stay silent; hidden posts leak nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from forum.models import ContactMessage, Notification, ThreadEvent, Watch
from forum.selectors.notifications import excerpt, summary, target_path
from forum.services import keywords, notifications, post_create, thread_create
from forum.services.watching import watch_set
from moderation.services import post_hide

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def received(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_reply_notifies_the_threads_watchers_once(thread, member, other_member, make_user):
    third = make_user("kai")
    post_create(thread=thread, author=other_member, body="Me too")
    post = post_create(thread=thread, author=third, body="And me")
    assert received(member) == [Kind.REPLY, Kind.REPLY]
    assert received(other_member) == [Kind.REPLY]  # watching since replying
    assert received(third) == []  # never the author
    latest = Notification.objects.filter(recipient=member).first()
    assert (latest.post, latest.thread, latest.actor) == (post, thread, third)


def test_watching_mentioned_asker_hears_once_as_a_mention(thread, member, staff):
    post_create(thread=thread, author=staff, body="@jamie does the export finish now?")
    assert received(member) == [Kind.MENTION]


def test_staff_reply_on_help_thread_tells_the_asker(thread, member, staff, other_member):
    post_create(thread=thread, author=other_member, body="Following")
    post_create(thread=thread, author=staff, body="Fixed in 2.1")
    assert received(member) == [Kind.STAFF_REPLY, Kind.REPLY]
    assert received(other_member) == [Kind.REPLY]


def test_staff_reply_outside_help_is_a_plain_reply(make_thread, boards, member, staff):
    idea = make_thread(member, board=boards["ideas"], title="Dark mode")
    post_create(thread=idea, author=staff, body="Planned")
    assert received(member) == [Kind.REPLY]


def test_keyword_watch_outranks_reply_and_mention_outranks_keyword(
    thread, member, staff, other_member, monkeypatch
):
    monkeypatch.setattr(
        keywords, "staff_matching", lambda *, post: {staff: "export", member: "export"}
    )
    watch_set(user=staff, level=Watch.Level.WATCHING, thread=thread)
    post_create(thread=thread, author=other_member, body="Export @jamie fails")
    assert received(staff) == [Kind.KEYWORD]
    assert Notification.objects.get(recipient=staff).text == "export"
    assert received(member) == [Kind.MENTION]


def test_opening_post_notifies_board_watchers(help_board, member, other_member, make_user):
    bugs_fan = make_user("bugsfan")
    watch_set(user=other_member, level=Watch.Level.WATCHING, board=help_board)
    watch_set(user=member, level=Watch.Level.WATCHING, board=help_board)
    thread = thread_create(board=help_board, author=member, title="New one", body="Help!")
    assert received(other_member) == [Kind.NEW_THREAD]
    assert received(member) == []  # the author
    assert received(bugs_fan) == []
    assert Notification.objects.get(recipient=other_member).thread == thread


def test_board_watchers_hear_replies_unless_they_muted_the_thread(
    thread, help_board, other_member, make_user
):
    muter = make_user("muter")
    watch_set(user=other_member, level=Watch.Level.WATCHING, board=help_board)
    watch_set(user=muter, level=Watch.Level.WATCHING, board=help_board)
    watch_set(user=muter, level=Watch.Level.MUTED, thread=thread)
    post_create(thread=thread, author=thread.author, body="Any news?")
    assert received(other_member) == [Kind.REPLY]
    assert received(muter) == []


def test_muted_thread_silences_replies_staff_replies_and_keywords(
    thread, member, staff, other_member, monkeypatch
):
    watch_set(user=member, level=Watch.Level.MUTED, thread=thread)
    watch_set(user=other_member, level=Watch.Level.MUTED, thread=thread)
    monkeypatch.setattr(keywords, "staff_matching", lambda *, post: {other_member: "rows"})
    post_create(thread=thread, author=staff, body="Export drops rows: fixed")
    assert received(member) == []
    assert received(other_member) == []


def test_a_direct_mention_still_notifies_in_a_muted_thread(thread, member, other_member):
    watch_set(user=member, level=Watch.Level.MUTED, thread=thread)
    post_create(thread=thread, author=other_member, body="@jamie look")
    assert received(member) == [Kind.MENTION]


def test_muted_board_silences_its_threads_unless_watched(
    thread, help_board, member, other_member, make_user
):
    quiet = make_user("quiet")
    watch_set(user=quiet, level=Watch.Level.MUTED, board=help_board)
    watch_set(user=member, level=Watch.Level.MUTED, board=help_board)  # but watches thread
    post_create(thread=thread, author=other_member, body="Reply")
    assert received(quiet) == []
    assert received(member) == [Kind.REPLY]


def test_mentioning_yourself_notifies_nobody(thread, member):
    post_create(thread=thread, author=member, body="@jamie note to self")
    assert not Notification.objects.exists()


def test_blocked_and_inactive_members_are_still_notified_in_app(thread, member, other_member):
    member.is_active = False
    member.save(update_fields=["is_active"])
    post_create(thread=thread, author=other_member, body="Reply")
    assert received(member) == [Kind.REPLY]


def test_notifications_are_unique_per_member_and_post(thread, member, other_member):
    post = post_create(thread=thread, author=other_member, body="Reply")
    assert notifications.post_added(post=post, thread=thread) == []
    assert Notification.objects.filter(recipient=member, post=post).count() == 1


def test_hidden_post_creates_nothing(thread, member, other_member):
    post = post_create(thread=thread, author=other_member, body="Reply")
    Notification.objects.all().delete()
    post.is_hidden = True
    assert notifications.post_added(post=post, thread=thread) == []


def test_reply_notification_costs_a_fixed_number_of_queries(thread, make_user, other_member):
    for i in range(12):
        watch_set(user=make_user(f"w{i}"), level=Watch.Level.WATCHING, thread=thread)
    post = post_create(thread=thread, author=other_member, body="Reply")
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        created = notifications.post_added(post=post, thread=thread)
    assert len(created) == 13
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    # mutes, watchers, one INSERT for all (no mention in the body: no mention query)
    assert len(statements) == 3


# --- Thread events --------------------------------------------------------------------


def make_event(thread, actor, kind=ThreadEvent.Kind.STATUS, to_value="confirmed"):
    return ThreadEvent.objects.create(
        thread=thread, actor=actor, kind=kind, to_value=to_value, after_position=1,
        created_at=timezone.now(),
    )  # fmt: skip


def test_status_event_notifies_watchers_but_not_the_actor_or_muted(
    thread, member, staff, other_member, make_user
):
    muter = make_user("muter")
    watch_set(user=other_member, level=Watch.Level.WATCHING, thread=thread)
    watch_set(user=staff, level=Watch.Level.WATCHING, thread=thread)
    watch_set(user=muter, level=Watch.Level.MUTED, thread=thread)
    event = make_event(thread, staff)
    created = notifications.thread_event_added(event=event)
    assert {n.recipient for n in created} == {member, other_member}
    note = Notification.objects.get(recipient=member)
    assert (note.kind, note.text, note.event) == (Kind.STATUS, "Confirmed", event)
    assert summary(note) == "Sam set “Export drops rows” to Confirmed"
    # Once per event, however often it is announced.
    assert notifications.thread_event_added(event=event) == []


def test_accepted_answer_tells_the_named_recipient_once(thread, member, other_member):
    answer = post_create(thread=thread, author=other_member, body="Try this")
    Notification.objects.all().delete()
    event = ThreadEvent.objects.create(
        thread=thread, actor=member, kind=ThreadEvent.Kind.ACCEPTED, post=answer,
        after_position=2, created_at=timezone.now(),
    )  # fmt: skip
    notifications.thread_event_added(event=event, recipients=[other_member, other_member, member])
    assert received(other_member) == [Kind.ACCEPTED]
    assert received(member) == []
    note = Notification.objects.get()
    assert summary(note) == "Jamie accepted your answer in “Export drops rows”"
    assert target_path(note) == f"/p/{answer.pk}/"


def test_yes_solved_tells_the_answers_author_their_answer_was_accepted(
    thread, member, staff, other_member
):
    answer = post_create(thread=thread, author=staff, body="Fixed in 2.1")
    event = ThreadEvent.objects.create(
        thread=thread, actor=member, kind=ThreadEvent.Kind.SOLVED, post=answer,
        after_position=2, created_at=timezone.now(),
    )  # fmt: skip
    [note] = notifications.thread_event_added(event=event, recipients=[staff])
    assert note.kind == Kind.ACCEPTED
    # The event's notification leaves the post's own (recipient, post) slot alone.
    assert note.post_id is None


def test_status_change_quotes_its_reason_and_links_to_its_line(thread, member, staff):
    event = make_event(thread, staff, to_value="declined")
    event.reason = "Out of scope for   this year."
    event.save()
    [note] = notifications.thread_event_added(event=event)
    note = Notification.objects.select_related("event", "thread", "actor").get(pk=note.pk)
    assert summary(note) == "Sam set “Export drops rows” to Declined"
    assert excerpt(note) == "Out of scope for this year."
    assert target_path(note) == f"/t/{thread.pk}/#event-{event.pk}"


def test_other_events_read_naturally(thread, member, staff):
    event = make_event(thread, staff, kind=ThreadEvent.Kind.NOT_YET, to_value="")
    [note] = notifications.thread_event_added(event=event)
    assert summary(note) == "Sam said “Export drops rows” still needs help"


# --- Contact messages -----------------------------------------------------------------


def test_contact_message_notifies_staff_and_admins_only(
    member, staff, admin_user, moderator, make_user
):
    working_moderator = make_user("wm", role=Role.MODERATOR, job_title="Support Lead")
    message = ContactMessage.objects.create(
        topic=ContactMessage.Topic.BILLING, user=member, email=member.email,
        subject="Refund please", body="…", created_at=timezone.now(),
    )  # fmt: skip
    created = notifications.contact_message_received(message=message)
    assert {n.recipient for n in created} == {staff, admin_user, working_moderator}
    assert {n.text for n in created} == {"Billing: Refund please"}
    assert {n.kind for n in created} == {Kind.CONTACT}


def test_contact_message_from_staff_does_not_notify_the_sender(staff, admin_user):
    message = ContactMessage.objects.create(
        topic=ContactMessage.Topic.OTHER, user=staff, email=staff.email, subject="Test",
        body="…", created_at=timezone.now(),
    )  # fmt: skip
    created = notifications.contact_message_received(message=message)
    assert [n.recipient for n in created] == [admin_user]


# --- Hidden posts -----------------------------------------------------------------------


def test_summary_and_excerpt_leak_nothing_of_a_hidden_post(
    thread, member, other_member, moderator, guidelines
):
    post = post_create(thread=thread, author=other_member, body="Secret insult text")
    note = Notification.objects.get(recipient=member)
    assert excerpt(note) == "Secret insult text"
    post_hide(actor=moderator, post=post, rule_codes=["G1"])
    note.refresh_from_db()
    assert excerpt(note, viewer=member) == ""
    assert "Secret" not in summary(note)
    assert excerpt(note, viewer=moderator) == "Secret insult text"


# --- Reading ---------------------------------------------------------------------------------


def test_mark_read_and_mark_all_read(thread, member, other_member):
    post_create(thread=thread, author=other_member, body="One")
    post_create(thread=thread, author=other_member, body="Two")
    first, second = Notification.objects.filter(recipient=member).order_by("pk")
    assert notifications.notification_mark_read(notification=first, user=member) is True
    assert notifications.notification_mark_read(notification=first, user=member) is False
    # Someone else's notification is untouched.
    assert notifications.notification_mark_read(notification=second, user=other_member) is False
    assert notifications.notifications_mark_all_read(user=member) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_saved_keyword_watch_notifies_its_staff_member_once(thread, staff, other_member):
    keywords.keyword_watch_add(user=staff, term="refund")
    post_create(thread=thread, author=other_member, body="I would like a refund, please")
    [note] = Notification.objects.filter(recipient=staff)
    assert (note.kind, note.text) == (Kind.KEYWORD, "refund")
    assert summary(note) == (
        "Priya posted in “Export drops rows”, matching your keyword watch “refund”"
    )

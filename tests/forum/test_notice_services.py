"""Sitewide notices through the services and selectors: what is saved, what is refused,
what each reader sees and when."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from forum import selectors
from forum.models import Notice, NoticeDismissal, Post, Thread
from forum.services import (
    notice_create,
    notice_delete,
    notice_dismiss,
    notice_end,
    notice_update,
    post_create,
)


def _counts() -> tuple[int, int, int]:
    return Notice.objects.count(), Thread.objects.count(), Post.objects.count()


def _shown(user, board=None) -> list[int]:
    shown, _ = selectors.notices_for_page(user=user, board=board)
    return [notice.pk for notice in shown]


# --- Creating --------------------------------------------------------------------------


def test_create_renders_markdown_once_and_starts_now(admin_user, clock):
    notice = notice_create(actor=admin_user, message="Searching is **slow** today.", level="info")
    assert notice.message_html == "<p>Searching is <strong>slow</strong> today.</p>"
    assert notice.starts_at == clock.now and notice.ends_at is None
    assert notice.severity == 1 and notice.created_by == admin_user
    assert notice.audience == Notice.Audience.EVERYONE


def test_markdown_goes_through_the_sanitiser(admin_user):
    notice = notice_create(
        actor=admin_user,
        message="<script>alert(1)</script> [read this](javascript:alert(1))",
        level="info",
    )
    assert "<script>" not in notice.message_html
    assert "&lt;script&gt;" in notice.message_html
    assert "javascript:" not in notice.message_html
    assert "href" not in notice.message_html


def test_create_with_a_new_thread_opens_it_with_the_message(admin_user, help_board):
    notice = notice_create(
        actor=admin_user,
        message="Uploads fail for files over 5 MB.",
        level="outage",
        new_thread_title="Uploads failing",
        new_thread_board=help_board,
    )
    thread = notice.thread
    assert thread.title == "Uploads failing" and thread.board == help_board
    assert thread.author == admin_user
    assert thread.posts.get().body == "Uploads fail for files over 5 MB."
    assert notice.severity == 3


def test_a_bad_end_time_with_a_new_thread_saves_neither(admin_user, help_board, clock):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        notice_create(
            actor=admin_user,
            message="Maintenance tonight.",
            level="warning",
            starts_at=clock.now + timedelta(hours=2),
            ends_at=clock.now + timedelta(hours=1),
            new_thread_title="Maintenance tonight",
            new_thread_board=help_board,
        )
    assert exc.value.message_dict == {"ends_at": ["The end time must be after the start time."]}
    assert _counts() == before


def test_a_too_short_new_thread_title_rolls_everything_back(admin_user, help_board):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        notice_create(
            actor=admin_user,
            message="Maintenance tonight.",
            level="warning",
            new_thread_title="ab",
            new_thread_board=help_board,
        )
    assert list(exc.value.message_dict) == ["new_thread_title"]
    assert "at least 3 characters" in exc.value.message_dict["new_thread_title"][0]
    assert _counts() == before


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"level": "outage"}, "thread", "need a discussion thread"),
        ({"level": "warning"}, "thread", "need a discussion thread"),
        ({"message": "x" * 1001}, "message", "at most 1,000 characters; this one has 1,001"),
        ({"message": "   "}, "message", "Write the notice"),
        ({"audience": "board"}, "board", "Choose the board"),
        ({"level": "panic"}, "level", "Choose a level"),
        ({"audience": "martians"}, "audience", "Choose who sees"),
    ],
)
def test_bad_notices_are_refused_with_the_field_named(admin_user, kwargs, field, words):
    data = {"actor": admin_user, "message": "Something happened.", "level": "info"} | kwargs
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        notice_create(**data)
    assert field in exc.value.message_dict
    assert words in exc.value.message_dict[field][0]
    assert _counts() == before


def test_a_message_of_exactly_the_limit_is_accepted(admin_user):
    notice = notice_create(actor=admin_user, message="x" * 1000, level="info")
    assert len(notice.message) == 1000


def test_end_before_start_is_refused(admin_user, thread, clock):
    with pytest.raises(ValidationError) as exc:
        notice_create(
            actor=admin_user,
            message="Down for maintenance.",
            level="outage",
            thread=thread,
            starts_at=clock.now,
            ends_at=clock.now - timedelta(minutes=1),
        )
    assert exc.value.message_dict == {"ends_at": ["The end time must be after the start time."]}
    assert not Notice.objects.exists()


# --- Changing, ending, deleting ---------------------------------------------------------


def test_update_changes_everything_and_keeps_the_start_when_blank(admin_user, thread, clock):
    notice = notice_create(actor=admin_user, message="Slow search.", level="info")
    started = notice.starts_at
    clock.advance(minutes=10)
    changed = notice_update(
        notice=notice,
        actor=admin_user,
        message="Search is *down*.",
        level="outage",
        audience="members",
        thread=thread,
    )
    changed.refresh_from_db()
    assert changed.level == "outage" and changed.severity == 3
    assert changed.message_html == "<p>Search is <em>down</em>.</p>"
    assert changed.thread == thread and changed.audience == "members"
    assert changed.starts_at == started and changed.updated_at == clock.now


def test_update_can_create_the_discussion_thread(admin_user, help_board):
    notice = notice_create(actor=admin_user, message="Slow search.", level="info")
    changed = notice_update(
        notice=notice,
        actor=admin_user,
        message="Search is down.",
        level="outage",
        audience="everyone",
        thread=None,
        new_thread_title="Search is down",
        new_thread_board=help_board,
    )
    assert changed.thread.title == "Search is down"


def test_update_refusal_leaves_the_notice_as_it_was(admin_user, help_board):
    notice = notice_create(actor=admin_user, message="Slow search.", level="info")
    with pytest.raises(ValidationError):
        notice_update(
            notice=notice,
            actor=admin_user,
            message="Search is down.",
            level="outage",
            audience="everyone",
            thread=None,
            new_thread_title="no",
            new_thread_board=help_board,
        )
    notice.refresh_from_db()
    assert notice.level == "info" and notice.message == "Slow search."
    assert not Thread.objects.exists()


def test_end_moves_a_notice_to_the_past_once(admin_user, member, clock):
    notice = notice_create(actor=admin_user, message="Slow search.", level="info")
    clock.advance(minutes=5)
    assert notice_end(notice=notice, actor=admin_user) is True
    notice.refresh_from_db()
    assert notice.ends_at == clock.now
    assert _shown(member) == []
    clock.advance(minutes=1)
    assert notice_end(notice=notice, actor=admin_user) is False
    notice.refresh_from_db()
    assert notice.ends_at == clock.now - timedelta(minutes=1)


def test_ending_a_scheduled_notice_ends_it_before_it_begins(admin_user, clock):
    notice = notice_create(
        actor=admin_user,
        message="Maintenance on Sunday.",
        level="info",
        starts_at=clock.now + timedelta(days=2),
    )
    assert notice_end(notice=notice, actor=admin_user) is True
    notice.refresh_from_db()
    assert notice.starts_at == notice.ends_at == clock.now


def test_delete_removes_the_notice_and_its_dismissals_but_not_the_thread(
    admin_user, member, thread
):
    notice = notice_create(actor=admin_user, message="Hello.", level="info", thread=thread)
    notice_dismiss(notice=notice, user=member)
    notice_delete(notice=notice, actor=admin_user)
    assert not Notice.objects.exists() and not NoticeDismissal.objects.exists()
    assert Thread.objects.filter(pk=thread.pk).exists()


# --- Dismissing -------------------------------------------------------------------------


def test_a_member_dismisses_an_info_notice_for_themselves_only(admin_user, member, other_member):
    notice = notice_create(actor=admin_user, message="New badges!", level="info")
    assert notice_dismiss(notice=notice, user=member) is True
    assert notice_dismiss(notice=notice, user=member) is False  # remembered once
    assert _shown(member) == []
    assert _shown(other_member) == [notice.pk]


@pytest.mark.parametrize("level", ["warning", "outage"])
def test_warnings_and_outages_cannot_be_dismissed(admin_user, member, thread, level):
    notice = notice_create(actor=admin_user, message="Trouble.", level=level, thread=thread)
    with pytest.raises(ValidationError, match="can't be dismissed"):
        notice_dismiss(notice=notice, user=member)
    assert not NoticeDismissal.objects.exists()
    assert _shown(member) == [notice.pk]


def test_a_dismissed_info_notice_raised_to_an_outage_shows_again(admin_user, member, thread):
    notice = notice_create(actor=admin_user, message="Search is slow.", level="info")
    notice_dismiss(notice=notice, user=member)
    assert _shown(member) == []
    notice_update(
        notice=notice,
        actor=admin_user,
        message="Search is down.",
        level="outage",
        audience="everyone",
        thread=thread,
    )
    assert _shown(member) == [notice.pk]


# --- Who sees what, and when ---------------------------------------------------------------


def test_audiences(admin_user, member, staff, moderator, boards, thread):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    help_board, other_board = boards["help"], next(b for s, b in boards.items() if s != "help")
    everyone = notice_create(actor=admin_user, message="All.", level="info")
    members = notice_create(actor=admin_user, message="M.", level="info", audience="members")
    staff_only = notice_create(actor=admin_user, message="S.", level="info", audience="staff")
    board_only = notice_create(
        actor=admin_user, message="B.", level="info", audience="board", board=help_board
    )
    assert set(_shown(visitor)) == {everyone.pk}
    assert set(_shown(visitor, help_board)) == {everyone.pk, board_only.pk}
    assert set(_shown(member)) == {everyone.pk, members.pk}
    assert set(_shown(member, other_board)) == {everyone.pk, members.pk}
    assert set(_shown(member, help_board)) == {everyone.pk, members.pk, board_only.pk}
    for reader in (staff, moderator, admin_user):
        assert set(_shown(reader)) == {everyone.pk, members.pk, staff_only.pk}


def test_most_severe_first_then_newest(admin_user, member, thread, clock):
    old_info = notice_create(actor=admin_user, message="Old info.", level="info")
    clock.advance(minutes=1)
    warning = notice_create(actor=admin_user, message="Warn.", level="warning", thread=thread)
    clock.advance(minutes=1)
    new_info = notice_create(actor=admin_user, message="New info.", level="info")
    clock.advance(minutes=1)
    outage = notice_create(actor=admin_user, message="Down.", level="outage", thread=thread)
    assert _shown(member) == [outage.pk, warning.pk, new_info.pk, old_info.pk]


def test_a_scheduled_notice_appears_at_its_start_and_goes_at_its_end(admin_user, member, clock):
    start, end = clock.now + timedelta(hours=1), clock.now + timedelta(hours=3)
    notice = notice_create(
        actor=admin_user, message="Maintenance.", level="info", starts_at=start, ends_at=end
    )
    shown, next_change = selectors.notices_for_page(user=member)
    assert shown == [] and next_change == start
    clock.set(start - timedelta(seconds=1))
    assert _shown(member) == []
    clock.set(start)
    shown, next_change = selectors.notices_for_page(user=member)
    assert [n.pk for n in shown] == [notice.pk] and next_change == end
    clock.set(end - timedelta(seconds=1))
    assert _shown(member) == [notice.pk]
    clock.set(end)
    assert _shown(member) == []


def test_notices_for_management_groups_and_orders(admin_user, thread, clock):
    ended = notice_create(
        actor=admin_user,
        message="Ended.",
        level="info",
        starts_at=clock.now - timedelta(days=2),
        ends_at=clock.now - timedelta(days=1),
    )
    ended_later = notice_create(
        actor=admin_user,
        message="Ended later.",
        level="info",
        starts_at=clock.now - timedelta(days=3),
        ends_at=clock.now - timedelta(hours=1),
    )
    later = notice_create(
        actor=admin_user, message="Later.", level="info", starts_at=clock.now + timedelta(days=2)
    )
    sooner = notice_create(
        actor=admin_user, message="Soon.", level="info", starts_at=clock.now + timedelta(days=1)
    )
    info = notice_create(actor=admin_user, message="Now.", level="info")
    outage = notice_create(actor=admin_user, message="Down.", level="outage", thread=thread)
    groups = selectors.notices_for_management()
    assert [n.pk for n in groups["current"]] == [outage.pk, info.pk]
    assert [n.pk for n in groups["scheduled"]] == [sooner.pk, later.pk]
    assert [n.pk for n in groups["past"]] == [ended_later.pk, ended.pk]


def test_reply_count_comes_with_the_notice_without_another_query(
    admin_user, member, thread, django_assert_num_queries
):
    post_create(thread=thread, author=member, body="Same here.")
    notice_create(actor=admin_user, message="Down.", level="outage", thread=thread)
    with django_assert_num_queries(1):
        shown, _ = selectors.notices_for_page(user=User(pk=member.pk))
        assert shown[0].thread.reply_count == 1

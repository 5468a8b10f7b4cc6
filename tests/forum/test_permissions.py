"""The one check per action, on its own: yes, or no with a human reason."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from accounts.permissions import can
from forum.permissions import (
    check_edit_post,
    check_edit_profile,
    check_pin_thread,
    check_reply,
    check_start_thread,
    check_view_revisions,
)
from forum.ratelimit import record_write


def reason(check, *args) -> str:
    with pytest.raises(PermissionDenied) as exc:
        check(*args)
    return str(exc.value)


def test_visitors_are_asked_to_sign_in(help_board, thread):
    visitor = AnonymousUser()
    assert "sign in" in reason(check_start_thread, visitor, help_board)
    assert "sign in" in reason(check_reply, visitor, thread)
    assert "sign in" in reason(check_edit_post, visitor, thread.posts.get())
    assert "sign in" in reason(check_edit_profile, visitor, thread.author)


def test_members_may_start_threads_and_reply(member, other_member, help_board, thread):
    check_start_thread(member, help_board)
    check_reply(other_member, thread)
    assert can(check_reply, other_member, thread)


def test_only_the_author_may_edit_a_post(thread, member, other_member, moderator, staff):
    post = thread.posts.get()
    check_edit_post(member, post)
    for someone_else in (other_member, moderator, staff):
        assert reason(check_edit_post, someone_else, post) == "You can only edit your own posts."


def test_archived_board_refuses_every_write_with_the_same_reason(thread, member, help_board):
    help_board.is_archived = True
    help_board.save(update_fields=["is_archived"])
    thread.board.refresh_from_db()
    expected = "The Help board is archived"
    assert expected in reason(check_start_thread, member, help_board)
    assert expected in reason(check_reply, member, thread)
    assert expected in reason(check_edit_post, member, thread.posts.get())


def test_inactive_accounts_cannot_write(member, help_board):
    member.is_active = False
    assert "closed" in reason(check_start_thread, member, help_board)


@override_settings(FORUM_WRITE_RATE="3/m")
def test_write_budget_is_enforced_by_the_checks(member, other_member, help_board, thread):
    for _ in range(3):
        record_write(member.pk)
    message = reason(check_reply, member, thread)
    assert "posting faster than we allow" in message
    assert "your text is kept" in message
    assert "posting faster" in reason(check_start_thread, member, help_board)
    check_reply(other_member, thread)  # budgets are per member


def test_revisions_are_for_the_author_and_moderators(thread, member, other_member, moderator):
    post = thread.posts.get()
    check_view_revisions(member, post)
    check_view_revisions(moderator, post)
    assert "Only the author and moderators" in reason(check_view_revisions, other_member, post)


def test_pinning_is_for_staff_and_moderators(thread, member, staff, moderator):
    check_pin_thread(staff, thread)
    check_pin_thread(moderator, thread)
    assert "Only staff and moderators" in reason(check_pin_thread, member, thread)


def test_profiles_are_edited_by_their_owner_only(member, other_member):
    check_edit_profile(member, member)
    assert "your own profile" in reason(check_edit_profile, member, other_member)

"""A member's case page."""

from moderation.permissions.moderators import check_moderate


def check_view_case(user, member=None) -> None:
    check_moderate(user)

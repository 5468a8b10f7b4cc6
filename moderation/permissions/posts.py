"""Who may hide or restore a post."""

from moderation.permissions.moderators import check_moderate


def check_hide_post(user, post) -> None:
    check_moderate(user)

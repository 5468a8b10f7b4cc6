"""Spam screening for a member's thread, reply or edit, asked by the views rather than by
the forum's services: the forum's core must not know moderation, and the face may use
both."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.services import review_item_open_for_screening
from moderation.spam.screening import screen_post

HELD_MESSAGE = _(
    "Your post is held for review — a moderator will look at it soon. Until then only you "
    "can see it."
)
# The verdicts that open a review item.
REVIEWED = ("hold", "flag")


def screen(request, *, title: str, body: str, exclude_post_id: int | None = None) -> dict:
    """Called before the service's transaction, since it may wait up to seconds on
    Akismet. A "block" is raised as the body field's error, so the form keeps the text."""
    result = screen_post(
        author=request.user,
        title=title,
        body=body,
        ip=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.META.get("HTTP_USER_AGENT") or None,
        exclude_post_id=exclude_post_id,
    )
    if result.action == "block":
        raise ValidationError({"body": result.message or gettext("This post can't be published.")})
    return {"action": result.action, "score": result.score, "reasons": list(result.reasons)}


def after_screening(post, screening: dict) -> None:
    """A held or flagged post goes to the review queue, in the transaction that wrote it."""
    if screening["action"] in REVIEWED:
        review_item_open_for_screening(post=post, screening=screening)

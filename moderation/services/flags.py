"""Members flagging posts: flags on one post share one open review item."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum import realtime
from forum.models import Post
from forum.services import webhooks
from moderation.models import Flag, ModerationAction, ReviewItem
from moderation.rules import FLAG_TEXT_LENGTH, clean_rule_codes

Kind = ModerationAction.Kind


@transaction.atomic
def flag_create(
    *, flagger: User, post: Post, reason: str, rule_code: str = "", text: str = ""
) -> Flag:
    """Flag a post. Flags on one post share one open review item. One flag per member per
    post: a second is refused with a clear message."""
    text = (text or "").strip()
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose why you are flagging this post.")})
    if reason == Flag.Reason.RULE:
        rule_code = clean_rule_codes([rule_code], field="rule_code")[0]
    else:
        rule_code = ""
    if reason == Flag.Reason.OTHER:
        low, high = FLAG_TEXT_LENGTH
        if not low <= len(text) <= high:
            raise ValidationError(
                {
                    "text": _(
                        "Tell moderators what is wrong in %(low)s–%(high)s characters "
                        "(you wrote %(count)s)."
                    )
                    % {"low": low, "high": high, "count": len(text)}
                }
            )
    try:
        with transaction.atomic():
            # Lock the post so concurrent flags agree on one review item.
            Post.objects.select_for_update().get(pk=post.pk)
            if Flag.objects.filter(post=post, flagger=flagger).exists():
                raise ValidationError(
                    _("You have already flagged this post; moderators will look at it.")
                )
            item = (
                ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.FLAGGED_POST)
                .exclude(status=ReviewItem.Status.DECIDED)
                .first()
            )
            if item is None:
                item = ReviewItem.objects.create(
                    kind=ReviewItem.Kind.FLAGGED_POST,
                    post=post,
                    member_id=post.author_id,
                    created_at=timezone.now(),
                )
            realtime.queue_changed()
            flag = Flag.objects.create(
                post=post,
                flagger=flagger,
                reason=reason,
                rule_code=rule_code,
                text=text,
                review_item=item,
                created_at=timezone.now(),
            )
            # Neither the flagger nor their words leave the site: moderators read them
            # in the queue the link leads to.
            webhooks.webhook_event_on_commit(
                webhooks.Event.POST_FLAGGED,
                subject=f"flag:{flag.pk}",
                board_id=post.thread.board_id if Post.thread.is_cached(post) else None,
                post_id=post.pk,
                extra={
                    "flag": {
                        "id": flag.pk,
                        "reason": reason,
                        "rule_code": rule_code,
                        "review_item_id": item.pk,
                    }
                },
            )
            return flag
    except IntegrityError as exc:
        raise ValidationError(
            _("You have already flagged this post; moderators will look at it.")
        ) from exc

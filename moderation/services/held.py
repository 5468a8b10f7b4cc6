"""Posts spam screening held: approving one publishes it as if new, and that approval
has its reversal (held again)."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from forum import realtime
from forum.models import Post
from forum.services.visibility import post_hold_again, post_release_held
from moderation.models import ModerationAction, ReviewItem
from moderation.services.log import log_action
from moderation.services.posts import posts_changed
from moderation.spam.training import spam_filter_forget_posts, spam_filter_learn_posts

Kind = ModerationAction.Kind


def held_post_approve(*, actor, post: Post, note: str) -> ModerationAction:
    """Publish a held post as if new (forum.services.visibility.post_release_held), teach
    the filter it is legitimate, and log it once. The log row keeps when the post was
    first held, so its reversal holds it again from then."""
    held_at = Post.objects.filter(pk=post.pk).values_list("held_at", flat=True).first()
    released = post_release_held(post_id=post.pk)
    if released is None:
        raise ValidationError(_("That post is no longer held; nothing more was done."))
    spam_filter_learn_posts(post_ids=[post.pk], is_spam=False, actor=actor)
    return log_action(
        Kind.HELD_APPROVE,
        actor=actor,
        member_id=post.author_id,
        post=post,
        note=note,
        details={"held_at": held_at.isoformat(), "screening": post.screening},
    )


def held_approve_reverse(*, actor, action: ModerationAction, note: str) -> ModerationAction | bool:
    """Undo an approval: the post is hidden and held again (post_hold_again), a new "Held
    post" item puts it back in the queue, and the filter forgets it was told the post is
    legitimate. Notifications and live updates sent when it was published are not taken
    back. False when the post is no longer a visible, released post (hidden for another
    reason since): there is nothing left to undo."""
    held_at = parse_datetime(action.details.get("held_at") or "") or action.created_at
    if not post_hold_again(post_id=action.post_id, held_at=held_at):
        return False
    post = Post.objects.get(pk=action.post_id)
    item = ReviewItem.objects.filter(post=post, kind=ReviewItem.Kind.HELD_POST).exclude(
        status=ReviewItem.Status.DECIDED
    ).first() or ReviewItem.objects.create(
        kind=ReviewItem.Kind.HELD_POST,
        post=post,
        member_id=post.author_id,
        created_at=timezone.now(),
    )
    spam_filter_forget_posts(post_ids=[post.pk], was_spam=False, actor=actor)
    reversal = log_action(
        Kind.HELD_UNAPPROVE,
        actor=actor,
        member_id=post.author_id,
        post=post,
        note=note,
        reverses=action,
        details={"review_item_id": item.pk, "notifications_taken_back": False},
    )
    realtime.queue_changed()
    posts_changed([post.pk])
    return reversal

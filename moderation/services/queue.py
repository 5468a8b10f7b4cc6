"""The review queue: items opened by flags and spam screening, claimed, released,
decided exactly once, or escalated to the admins. Deciding assumes the view asked
the decision's check (moderation.permissions.check_review_decision)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import realtime
from forum.models import Post
from forum.services import webhooks
from moderation.models import ModerationAction, ReviewItem
from moderation.rules import clean_rule_codes
from moderation.services.appeals import appeal_decide
from moderation.services.blocks import block_create
from moderation.services.held import held_post_approve
from moderation.services.log import in_language_of, log_action, tell
from moderation.services.posts import post_hide
from moderation.services.spam import spam_delete

Kind = ModerationAction.Kind


@transaction.atomic
def review_item_open_for_screening(*, post: Post, screening: dict) -> ReviewItem | None:
    """Put a post that spam screening held or flagged in the review queue, in the
    transaction that wrote the post (the score and reasons are on ``post.screening``).
    A held post gets a "Held post" item; a flagged one (published) joins the post's open
    flagged item or starts one. A post that already has such an open item, or a held post
    flagged again by its edit, gets no second one. Returns the item, or None."""
    Post.objects.select_for_update(no_key=True).filter(pk=post.pk).first()
    if screening.get("action") == "hold":
        kind = ReviewItem.Kind.HELD_POST
    elif screening.get("action") == "flag":
        kind = ReviewItem.Kind.FLAGGED_POST
    else:
        return None
    open_items = ReviewItem.objects.filter(post=post).exclude(status=ReviewItem.Status.DECIDED)
    if open_items.filter(kind=ReviewItem.Kind.HELD_POST).exists():
        return None  # the moderator deciding the hold sees the latest version anyway
    if open_items.filter(kind=kind).exists():
        return None
    item = ReviewItem.objects.create(
        kind=kind, post=post, member_id=post.author_id, created_at=timezone.now()
    )
    realtime.queue_changed()
    if kind == ReviewItem.Kind.HELD_POST:
        # Raised here, where every hold (of a new post or of an edit) reaches the queue;
        # one delivery per hold, so a post held again after approval is announced again.
        webhooks.webhook_event_on_commit(
            webhooks.Event.POST_HELD,
            subject=f"review_item:{item.pk}",
            board_id=post.thread.board_id if Post.thread.is_cached(post) else None,
            post_id=post.pk,
            extra={"review_item_id": item.pk},
        )
    return item


def _lock_open_item(item: ReviewItem, *, actor) -> ReviewItem:
    locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if locked.status == ReviewItem.Status.DECIDED:
        who = locked.decided_by.public_name if locked.decided_by else _("another moderator")
        raise ValidationError(
            _("This item was already decided by %(who)s (%(decision)s); nothing more was done.")
            % {"who": who, "decision": locked.get_decision_display().lower()}
        )
    if locked.claimed_by_id and locked.claimed_by_id != actor.pk:
        raise ValidationError(
            _("%(name)s is handling this item. Ask them, or pick another.")
            % {"name": locked.claimed_by.public_name}
        )
    return locked


@transaction.atomic
def review_item_claim(*, actor, item: ReviewItem) -> bool:
    """Take an item so others see it is handled. Refused if decided or held by another."""
    locked = _lock_open_item(item, actor=actor)
    if locked.claimed_by_id == actor.pk:
        return False
    locked.claimed_by = actor
    locked.claimed_at = timezone.now()
    locked.save(update_fields=["claimed_by", "claimed_at"])
    item.claimed_by, item.claimed_at = actor, locked.claimed_at
    realtime.queue_changed()
    return True


@transaction.atomic
def review_item_release(*, actor, item: ReviewItem) -> bool:
    locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if locked.claimed_by_id != actor.pk or locked.status == ReviewItem.Status.DECIDED:
        return False
    locked.claimed_by = None
    locked.claimed_at = None
    locked.save(update_fields=["claimed_by", "claimed_at"])
    item.claimed_by = None
    realtime.queue_changed()
    return True


def _tell_flaggers(item: ReviewItem, outcome) -> None:
    """Every member who flagged the post hears the outcome, never who decided it, each in
    their own language (``outcome`` is a lazy translation)."""
    for flag in item.flags.select_related("flagger"):
        with in_language_of(flag.flagger):
            tell(
                flag.flagger,
                subject=_("Moderators looked at a post you flagged"),
                body=_("Thank you for flagging a post in “%(title)s”.")
                % {"title": item.post.thread.title}
                + f" {outcome}",
                link=item.post.get_absolute_url(),
            )


@transaction.atomic
def review_item_decide(
    *,
    actor,
    item: ReviewItem,
    decision: str,
    rule_codes=(),
    note: str = "",
    block_duration: str = "1d",
    on_existing: str = "extend",
    also_block: bool = False,
) -> ModerationAction:
    """Decide an open item exactly once. The item row is locked, so a second moderator
    deciding at the same time gets a clear refusal and nothing is applied twice. The
    decision writes the log rows of the verbs it takes: one, or two when a post is hidden
    and its author blocked in the same decision (``also_block``: both cite the same rules,
    each has its own reversal; the item keeps the hide). The flaggers are told the outcome
    without the moderator's name. Blocking an author who is already blocked extends that
    block by the chosen duration (the decision form says so); pass
    ``on_existing="replace"`` to replace it instead. Assumes
    ``permissions.check_review_decision`` was asked."""
    locked = _lock_open_item(item, actor=actor)
    note = (note or "").strip()
    D = ReviewItem.Decision
    if locked.kind == ReviewItem.Kind.APPEAL:
        if decision not in (D.UPHOLD, D.REVERSE):
            raise ValidationError({"decision": _("An appeal is either upheld or reversed.")})
        action = appeal_decide(
            actor=actor, appeal=locked.appeal, reverse_it=decision == D.REVERSE, note=note
        )
    elif locked.kind == ReviewItem.Kind.HELD_POST:
        # A held post was never public: it is published (and the filter learns it is
        # legitimate) or deleted as spam (and the filter learns it is spam).
        post = locked.post
        if decision == D.APPROVE:
            action = held_post_approve(actor=actor, post=post, note=note)
        elif decision == D.SPAM:
            action = spam_delete(actor=actor, member=post.author, rule_codes=rule_codes, note=note)
        else:
            raise ValidationError(
                {"decision": _("A held post is either approved (published) or deleted as spam.")}
            )
    else:
        post = locked.post
        if decision == D.APPROVE:
            rules = clean_rule_codes(rule_codes, required=False)
            action = log_action(
                Kind.ITEM_DISMISS,
                actor=actor,
                rules=rules,
                member=post.author,
                post=post,
                note=note,
            )
            outcome = gettext_lazy("They found it within the guidelines, so it stays up.")
        elif decision == D.HIDE:
            action = post_hide(actor=actor, post=post, rule_codes=rule_codes, note=note)
            if action is False:
                raise ValidationError(
                    _("That post is already hidden. Dismiss the flags, or choose another decision.")
                )
            if also_block:
                block_create(
                    actor=actor,
                    member=post.author,
                    duration=block_duration,
                    rule_codes=action.rules,
                    reason=note,
                    on_existing=on_existing,
                )
            outcome = gettext_lazy("They hid it under the community guidelines.")
        elif decision == D.BLOCK:
            action = block_create(
                actor=actor,
                member=post.author,
                duration=block_duration,
                rule_codes=rule_codes,
                reason=note,
                on_existing=on_existing,
            )
            outcome = gettext_lazy("They acted on it under the community guidelines.")
        elif decision == D.SPAM:
            action = spam_delete(actor=actor, member=post.author, rule_codes=rule_codes, note=note)
            outcome = gettext_lazy("They removed it as spam.")
        else:
            raise ValidationError({"decision": _("Choose a decision.")})
        _tell_flaggers(locked, outcome)
    locked.status = ReviewItem.Status.DECIDED
    locked.decision = decision
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.rule_codes = action.rule_codes
    locked.note = note
    locked.action = action
    locked.save(
        update_fields=[
            "status",
            "decision",
            "decided_by",
            "decided_at",
            "rule_codes",
            "note",
            "action",
        ]
    )
    for field in ("status", "decision", "decided_by", "decided_at", "rule_codes", "note"):
        setattr(item, field, getattr(locked, field))
    item.action = action
    realtime.queue_changed()
    return action


@transaction.atomic
def review_item_escalate(*, actor, item: ReviewItem, note: str = "") -> ModerationAction:
    """Hand an item to the admins: it stays open, marked escalated, and unclaimed."""
    locked = _lock_open_item(item, actor=actor)
    if locked.status == ReviewItem.Status.ESCALATED:
        raise ValidationError(_("This item is already with the admins."))
    action = log_action(
        Kind.ITEM_ESCALATE,
        actor=actor,
        member=locked.member,
        post=locked.post,
        note=(note or "").strip(),
    )
    locked.status = ReviewItem.Status.ESCALATED
    locked.claimed_by = None
    locked.claimed_at = None
    locked.save(update_fields=["status", "claimed_by", "claimed_at"])
    item.status, item.claimed_by, item.claimed_at = locked.status, None, None
    realtime.queue_changed()
    return action

"""Deleting an account as spam (its posts hidden, the account banned, the filter taught)
and the admins' reversal of it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from forum.models import Post
from forum.services.visibility import posts_end_hold, posts_set_hidden
from moderation.formatting import rule_phrase
from moderation.models import Appeal, Block, ModerationAction, ReviewItem
from moderation.rules import clean_rule_codes, encode_rule_codes
from moderation.services.blocks import block_until, blocks_revive
from moderation.services.log import (
    appeal_line,
    in_language_of,
    log_action,
    log_reversal,
    note_line,
    tell,
    tell_reversal,
)
from moderation.services.posts import posts_changed
from moderation.spam.training import spam_filter_forget_posts, spam_filter_learn_posts

Kind = ModerationAction.Kind


@transaction.atomic
def spam_delete(*, actor, member: User, rule_codes=("G4",), note: str = "") -> ModerationAction:
    """Hide every visible post of the account and ban it: the one permanent action, logged
    once. Nothing is deleted. An admin can reverse it, which unhides exactly those posts,
    lifts the ban and brings back a block the ban cut short. The member is told."""
    rules = clean_rule_codes(rule_codes)
    note = (note or "").strip()
    # "No key update": it serialises moderation of this member, while replies being
    # written meanwhile (their notifications to this member point at the row) go on; a
    # full lock deadlocks with a reply holding a thread this deletion must lock next.
    User.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
    now = timezone.now()
    if Block.objects.filter(member=member, kind=Block.Kind.BAN, lifted_at__isnull=True).exists():
        raise ValidationError(_("This account is already banned as spam."))
    # Locking the rows means a post hidden by a concurrent post_hide is not claimed here,
    # so the reversal never unhides a post this action did not hide. Posts held for
    # review are claimed too: they stay hidden, now as spam.
    post_ids = list(
        Post.objects.select_for_update(no_key=True)
        .filter(author=member)
        .filter(Q(is_hidden=False) | Q(held_at__isnull=False))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Off every public surface at once: board lists and counts, the front page's
    # "latest", the unanswered queue, search, feeds and notifications read the same state.
    posts_set_hidden(post_ids=post_ids, hidden=True, rule_code=rules[0])
    held_ids = posts_end_hold(post_ids=post_ids, rule_code=rules[0])
    lifted_block_ids = []
    for block in Block.objects.select_for_update().filter(member=member, lifted_at__isnull=True):
        if block.is_active_at(now):
            block.lifted_at = now
            block.lifted_by = actor
            block.lift_note = gettext_noop("Superseded by a spam ban.")
            block.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
            lifted_block_ids.append(block.pk)
    ban = Block.objects.create(
        member=member,
        kind=Block.Kind.BAN,
        rule_codes=encode_rule_codes(rules),
        reason=note or "Spam",
        starts_at=now,
        ends_at=None,
        created_by=actor,
    )
    action = log_action(
        Kind.SPAM_DELETE,
        actor=actor,
        rules=rules,
        member=member,
        block=ban,
        note=note,
        details={"hidden_post_ids": post_ids, "lifted_block_ids": lifted_block_ids},
    )
    # The account's other held posts are settled by this one deletion (the item being
    # decided, if that is how it came, is saved by its caller with the same outcome).
    ReviewItem.objects.filter(post_id__in=held_ids, kind=ReviewItem.Kind.HELD_POST).exclude(
        status=ReviewItem.Status.DECIDED
    ).update(
        status=ReviewItem.Status.DECIDED,
        decision=ReviewItem.Decision.SPAM,
        decided_by=actor,
        decided_at=now,
        action=action,
    )
    with in_language_of(member):
        tell(
            member,
            subject=_("Your account was banned as spam"),
            body=(
                _(
                    "Moderators removed your posts from view and banned your account under "
                    "%(rules)s. Nothing was deleted."
                )
                % {"rules": rule_phrase(rules)}
                + note_line(note)
                + "\n\n"
                + _("You can still sign in, export your data and delete your account.")
                + "\n\n"
                + appeal_line(action)
            ),
            action=action,
        )
    # Inside this transaction, so a rolled-back deletion teaches the filter nothing.
    spam_filter_learn_posts(post_ids=post_ids, is_spam=True, actor=actor)
    posts_changed(post_ids)
    return action


@transaction.atomic
def spam_restore(
    *, actor, action: ModerationAction, note: str = "", appeal: Appeal | None = None
) -> ModerationAction | bool:
    """Reverse a spam deletion (admins): unhide the posts it hid — not one hidden for
    another reason, before or since — lift the ban, and bring back a block the ban cut
    short if it would still be in force. One log row; the member is told."""
    note = (note or "").strip()
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    if action.kind != Kind.SPAM_DELETE:
        raise ValidationError(_("Only a spam deletion can be reversed this way."))
    if hasattr(action, "reversed_by"):
        return False
    now = timezone.now()
    hidden_ids = action.details.get("hidden_post_ids", [])
    hidden_since = ModerationAction.objects.filter(
        kind=Kind.POST_HIDE,
        post_id__in=hidden_ids,
        created_at__gte=action.created_at,
        reversed_by__isnull=True,
    ).values_list("post_id", flat=True)
    restored_ids = list(
        Post.objects.select_for_update()
        .filter(pk__in=hidden_ids, is_hidden=True)
        .exclude(pk__in=list(hidden_since))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    posts_set_hidden(post_ids=restored_ids, hidden=False)
    # The same ids as the deletion learned from, so the same posts are forgotten.
    spam_filter_forget_posts(post_ids=hidden_ids, was_spam=True, actor=actor)
    ban = (
        Block.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=action.block_id)
    )
    if ban.lifted_at is None:
        ban.lifted_at = now
        ban.lifted_by = actor
        ban.lift_note = note
        ban.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    revived = blocks_revive(action.details.get("lifted_block_ids", []), now=now)
    reversal = log_reversal(
        Kind.SPAM_RESTORE,
        appeal=appeal,
        actor=actor,
        rules=action.rules,
        member_id=action.member_id,
        block=ban,
        note=note,
        reverses=action,
        details={
            "restored_post_ids": restored_ids,
            "revived_block_ids": [row.pk for row in revived],
        },
    )
    with in_language_of(ban.member):
        if revived:
            earlier = revived[0]
            after = _(
                "The block you had before the ban applies again, under %(rules)s, %(until)s."
            ) % {
                "rules": rule_phrase(earlier.rules),
                "until": block_until(earlier, ban.member),
            }
        else:
            after = _("You can post again.")
        tell_reversal(
            ban.member,
            subject=_("Your account has been restored"),
            body=_(
                "An admin reversed the spam deletion of your account: your posts are visible again."
            )
            + " "
            + after
            + note_line(note),
            action=reversal,
            appeal=appeal,
        )
    posts_changed(restored_ids)
    return reversal

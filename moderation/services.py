"""Every moderation write (CONVENTIONS rules 1 and 5).

Each verb takes ``actor``, cites guideline rules, is atomic, returns ``False`` when nothing
changed, writes exactly one ``ModerationAction`` row and has a reversal. Members affected
are told through ``_tell`` (an inbox message now, an email after commit). Services assume
the caller asked the matching check in ``moderation.permissions``.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.mail import email_enqueue
from accounts.models import User
from forum import realtime
from forum.markup import render_markdown
from forum.models import Board, Post, Thread
from forum.services.visibility import (
    post_hold_again,
    post_release_held,
    posts_end_hold,
    posts_set_hidden,
)
from moderation.formatting import format_when, rule_phrase
from moderation.models import (
    Appeal,
    Block,
    Flag,
    GuidelineRule,
    GuidelineVersion,
    Lockdown,
    MemberMessage,
    ModerationAction,
    ModeratorNote,
    ReviewItem,
)
from moderation.rules import (
    APPEAL_TEXT_LENGTH,
    BLOCK_DURATIONS,
    FLAG_TEXT_LENGTH,
    SLOW_MODE_MINUTES,
    clean_rule_codes,
    encode_rule_codes,
)
from moderation.selectors import active_block
from moderation.spam.training import spam_filter_forget_posts, spam_filter_learn_posts

RULE_CODE = re.compile(r"^G[1-9][0-9]{0,2}$")
Kind = ModerationAction.Kind


# --- Guidelines -----------------------------------------------------------------


@dataclass(frozen=True)
class RuleDraft:
    code: str
    title: str
    body: str


@transaction.atomic
def guidelines_publish(*, actor, intro: str, rules: list[RuleDraft]) -> GuidelineVersion:
    """Publish a new version of the guidelines. Earlier versions are kept untouched."""
    if not rules:
        raise ValidationError("Guidelines need at least one rule.")
    codes = [rule.code for rule in rules]
    bad = [code for code in codes if not RULE_CODE.match(code)]
    if bad:
        raise ValidationError(f"Rule codes look like G1, G2…; these do not: {', '.join(bad)}.")
    if len(set(codes)) != len(codes):
        raise ValidationError("Each rule code may appear only once in a version.")
    empty = [rule.code for rule in rules if not rule.title.strip() or not rule.body.strip()]
    if empty:
        raise ValidationError(
            f"Every rule needs a title and a text; missing for {', '.join(empty)}."
        )
    # Lock the latest version row (aggregate() would silently drop FOR UPDATE); the unique
    # number catches the one race a lock cannot (two first versions at once).
    latest = (
        GuidelineVersion.objects.select_for_update()
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    ) or 0
    try:
        with transaction.atomic():
            version = GuidelineVersion.objects.create(
                number=latest + 1,
                intro=intro,
                intro_html=render_markdown(intro) if intro else "",
                published_at=timezone.now(),
                published_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            "Someone else published a new version at the same moment. Reload and try again."
        ) from exc
    GuidelineRule.objects.bulk_create(
        GuidelineRule(
            version=version,
            code=rule.code,
            title=rule.title.strip(),
            body=rule.body.strip(),
            body_html=render_markdown(rule.body),
            position=index,
        )
        for index, rule in enumerate(rules, start=1)
    )
    return version


# --- Shared helpers ---------------------------------------------------------------


def _log(kind: str, *, actor, rules: list[str] = (), **fields) -> ModerationAction:
    return ModerationAction.objects.create(
        kind=kind,
        actor=actor,
        rule_codes=encode_rule_codes(list(rules)),
        created_at=timezone.now(),
        **fields,
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _tell(recipient: User, *, subject: str, body: str, link: str = "", action=None) -> None:
    """An inbox message now, and the same words by email: queued in the outbox in this
    transaction, delivered by the task worker after commit, with retries."""
    MemberMessage.objects.create(
        recipient=recipient,
        subject=subject,
        body=body,
        link=link,
        action=action,
        created_at=timezone.now(),
    )
    if not recipient.email:
        return
    email_body = body + (f"\n\n{_absolute(link)}" if link else "")
    email_enqueue(
        message=EmailMessage(
            subject=f"[{settings.SITE_NAME}] {subject}", body=email_body, to=[recipient.email]
        ),
        kind="moderation",
    )


def _appeal_line(action: ModerationAction) -> str:
    path = reverse("moderation:appeal-create", kwargs={"action_id": action.pk})
    return f"If you think this was a mistake, you can appeal once: {_absolute(path)}"


def _posts_changed(post_ids) -> None:
    """Tell open copies of the threads that these posts changed (after commit)."""
    for post in Post.objects.filter(pk__in=list(post_ids)).only(
        "pk", "thread_id", "revision_count", "is_hidden", "hidden_rule_code"
    ):
        realtime.post_changed(post)


def _lockdown_changed(lockdown: Lockdown) -> None:
    if lockdown.thread_id:
        realtime.thread_changed(lockdown.thread_id)
    else:
        realtime.board_changed(lockdown.board_id)


def _validate_reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: "Write a short reason: the member will read it."})
    if len(reason) > 2000:
        raise ValidationError({field: "Keep the reason under 2,000 characters."})
    return reason


# --- Flags and the review queue ------------------------------------------------------


@transaction.atomic
def flag_create(
    *, flagger: User, post: Post, reason: str, rule_code: str = "", text: str = ""
) -> Flag:
    """Flag a post. Flags on one post share one open review item. One flag per member per
    post: a second is refused with a clear message."""
    text = (text or "").strip()
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": "Choose why you are flagging this post."})
    if reason == Flag.Reason.RULE:
        rule_code = clean_rule_codes([rule_code], field="rule_code")[0]
    else:
        rule_code = ""
    if reason == Flag.Reason.OTHER:
        low, high = FLAG_TEXT_LENGTH
        if not low <= len(text) <= high:
            raise ValidationError(
                {
                    "text": f"Tell moderators what is wrong in {low}–{high} characters "
                    f"(you wrote {len(text)})."
                }
            )
    try:
        with transaction.atomic():
            # Lock the post so concurrent flags agree on one review item.
            Post.objects.select_for_update().get(pk=post.pk)
            if Flag.objects.filter(post=post, flagger=flagger).exists():
                raise ValidationError(
                    "You have already flagged this post; moderators will look at it."
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
            return Flag.objects.create(
                post=post,
                flagger=flagger,
                reason=reason,
                rule_code=rule_code,
                text=text,
                review_item=item,
                created_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            "You have already flagged this post; moderators will look at it."
        ) from exc


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
    return item


def _approve_held(*, actor, post: Post, note: str) -> ModerationAction:
    """Publish a held post as if new (forum.services.visibility.post_release_held), teach
    the filter it is legitimate, and log it once. The log row keeps when the post was
    first held, so its reversal holds it again from then."""
    held_at = Post.objects.filter(pk=post.pk).values_list("held_at", flat=True).first()
    released = post_release_held(post_id=post.pk)
    if released is None:
        raise ValidationError("That post is no longer held; nothing more was done.")
    spam_filter_learn_posts(post_ids=[post.pk], is_spam=False, actor=actor)
    return _log(
        Kind.HELD_APPROVE,
        actor=actor,
        member_id=post.author_id,
        post=post,
        note=note,
        details={"held_at": held_at.isoformat(), "screening": post.screening},
    )


def _held_approve_reverse(*, actor, action: ModerationAction, note: str) -> ModerationAction | bool:
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
    reversal = _log(
        Kind.HELD_UNAPPROVE,
        actor=actor,
        member_id=post.author_id,
        post=post,
        note=note,
        reverses=action,
        details={"review_item_id": item.pk, "notifications_taken_back": False},
    )
    realtime.queue_changed()
    _posts_changed([post.pk])
    return reversal


def _lock_open_item(item: ReviewItem, *, actor) -> ReviewItem:
    locked = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if locked.status == ReviewItem.Status.DECIDED:
        who = locked.decided_by.public_name if locked.decided_by else "another moderator"
        raise ValidationError(
            f"This item was already decided by {who} "
            f"({locked.get_decision_display().lower()}); nothing more was done."
        )
    if locked.claimed_by_id and locked.claimed_by_id != actor.pk:
        raise ValidationError(
            f"{locked.claimed_by.public_name} is handling this item. Ask them, or pick another."
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


def _tell_flaggers(item: ReviewItem, outcome: str) -> None:
    """Every member who flagged the post hears the outcome, never who decided it."""
    for flag in item.flags.select_related("flagger"):
        _tell(
            flag.flagger,
            subject="Moderators looked at a post you flagged",
            body=f"Thank you for flagging a post in “{item.post.thread.title}”. {outcome}",
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
) -> ModerationAction:
    """Decide an open item exactly once. The item row is locked, so a second moderator
    deciding at the same time gets a clear refusal and nothing is applied twice. The
    decision writes exactly one log row (the verb's own); the flaggers are told the
    outcome without the moderator's name. Blocking an author who is already blocked
    extends that block by the chosen duration (the decision form says so); pass
    ``on_existing="replace"`` to replace it instead."""
    from moderation.permissions import check_block_member, check_delete_spam

    locked = _lock_open_item(item, actor=actor)
    note = (note or "").strip()
    D = ReviewItem.Decision
    if locked.kind == ReviewItem.Kind.APPEAL:
        if decision not in (D.UPHOLD, D.REVERSE):
            raise ValidationError({"decision": "An appeal is either upheld or reversed."})
        action = _appeal_decide(
            actor=actor, appeal=locked.appeal, reverse_it=decision == D.REVERSE, note=note
        )
    elif locked.kind == ReviewItem.Kind.HELD_POST:
        # A held post was never public: it is published (and the filter learns it is
        # legitimate) or deleted as spam (and the filter learns it is spam).
        post = locked.post
        if decision == D.APPROVE:
            action = _approve_held(actor=actor, post=post, note=note)
        elif decision == D.SPAM:
            check_delete_spam(actor, post.author)
            action = spam_delete(actor=actor, member=post.author, rule_codes=rule_codes, note=note)
        else:
            raise ValidationError(
                {"decision": "A held post is either approved (published) or deleted as spam."}
            )
    else:
        post = locked.post
        if decision == D.APPROVE:
            rules = clean_rule_codes(rule_codes, required=False)
            action = _log(
                Kind.ITEM_DISMISS,
                actor=actor,
                rules=rules,
                member=post.author,
                post=post,
                note=note,
            )
            outcome = "They found it within the guidelines, so it stays up."
        elif decision == D.HIDE:
            action = post_hide(actor=actor, post=post, rule_codes=rule_codes, note=note)
            if action is False:
                raise ValidationError(
                    "That post is already hidden. Dismiss the flags, or choose another decision."
                )
            outcome = "They hid it under the community guidelines."
        elif decision == D.BLOCK:
            # The decision reaches past the item to the author: ask the same check the
            # block form asks, so a moderator's post can't be "decided" into a block.
            check_block_member(actor, post.author)
            action = block_create(
                actor=actor,
                member=post.author,
                duration=block_duration,
                rule_codes=rule_codes,
                reason=note,
                on_existing=on_existing,
            )
            outcome = "They acted on it under the community guidelines."
        elif decision == D.SPAM:
            check_delete_spam(actor, post.author)
            action = spam_delete(actor=actor, member=post.author, rule_codes=rule_codes, note=note)
            outcome = "They removed it as spam."
        else:
            raise ValidationError({"decision": "Choose a decision."})
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
        raise ValidationError("This item is already with the admins.")
    action = _log(
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


# --- Reversals share how they are logged and told ------------------------------------------


def _reversal_log(kind: str, *, appeal: Appeal | None, **fields) -> ModerationAction:
    """A reversal's one log row. On appeal the row itself records the appeal (kind
    "Reversed on appeal"), so deciding an appeal still writes exactly one row and that
    row ``reverses`` the action appealed."""
    if appeal is not None:
        kind = Kind.APPEAL_REVERSE
        fields["details"] = {**fields.get("details", {}), "appeal_id": appeal.pk}
    return _log(kind, **fields)


def _tell_reversal(
    recipient: User, *, subject: str, body: str, action, appeal: Appeal | None, link: str = ""
) -> None:
    if appeal is not None:
        subject = "Your appeal succeeded"
        body = "A moderator reviewed your appeal and reversed the action. " + body
    _tell(recipient, subject=subject, body=body, link=link, action=action)


def _note_line(note: str) -> str:
    return f"\n\nModerator's note: {note}" if note else ""


# --- Posts ---------------------------------------------------------------------------


@transaction.atomic
def post_hide(*, actor, post: Post, rule_codes, note: str = "") -> ModerationAction | bool:
    """Hide a post from readers under a rule. The content stays; the author is told.
    Returns False (and logs nothing) if it was already hidden."""
    rules = clean_rule_codes(rule_codes)
    note = (note or "").strip()
    locked = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "author")
        .get(pk=post.pk)
    )
    if locked.is_hidden:
        return False
    posts_set_hidden(post_ids=[locked.pk], hidden=True, rule_code=rules[0])
    locked.is_hidden, locked.hidden_rule_code = True, rules[0]
    post.is_hidden, post.hidden_rule_code = True, rules[0]
    action = _log(
        Kind.POST_HIDE,
        actor=actor,
        rules=rules,
        member_id=locked.author_id,
        post=locked,
        thread=locked.thread,
        note=note,
    )
    _tell(
        locked.author,
        subject="Moderators hid one of your posts",
        body=(
            f"Your post in “{locked.thread.title}” is hidden from readers under "
            f"{rule_phrase(rules)}. You and moderators can still see it; nothing was deleted."
            + _note_line(note)
            + f"\n\n{_appeal_line(action)}"
        ),
        link=locked.get_absolute_url(),
        action=action,
    )
    realtime.post_changed(locked)
    return action


def _hidden_by_spam_deletion(post: Post) -> bool:
    """Whether an unreversed spam deletion of the author hid this post (JSON lookups differ
    between databases, so the few deletions per member are read and checked here)."""
    deletions = ModerationAction.objects.filter(
        kind=Kind.SPAM_DELETE, member_id=post.author_id, reversed_by__isnull=True
    ).values_list("details", flat=True)
    return any(post.pk in details.get("hidden_post_ids", []) for details in deletions)


@transaction.atomic
def post_restore(
    *,
    actor,
    post: Post,
    note: str = "",
    reverses: ModerationAction | None = None,
    appeal: Appeal | None = None,
) -> ModerationAction | bool:
    """Show a hidden post again, unchanged (the body was never touched). Reverses the
    hide that hid it. Returns False if the post is not hidden."""
    note = (note or "").strip()
    locked = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread", "author")
        .get(pk=post.pk)
    )
    if not locked.is_hidden:
        return False
    if locked.held_at is not None:
        # Publishing a held post is the queue's "Approve": it notifies as if new.
        raise ValidationError(
            "This post is held for review. Approve it from its item in the review queue, "
            "which publishes it and tells its readers as if it were new."
        )
    if reverses is None and _hidden_by_spam_deletion(locked):
        raise ValidationError(
            "This post was hidden when its author's account was deleted as spam. An admin "
            "can reverse the spam deletion from the moderation log, which brings back all "
            "of its posts and lifts the ban."
        )
    if reverses is None:
        reverses = (
            ModerationAction.objects.filter(
                kind=Kind.POST_HIDE, post=locked, reversed_by__isnull=True
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    posts_set_hidden(post_ids=[locked.pk], hidden=False)
    locked.is_hidden, locked.hidden_rule_code = False, ""
    post.is_hidden, post.hidden_rule_code = False, ""
    action = _reversal_log(
        Kind.POST_RESTORE,
        appeal=appeal,
        actor=actor,
        rules=reverses.rules if reverses else (),
        member_id=locked.author_id,
        post=locked,
        thread=locked.thread,
        note=note,
        reverses=reverses,
    )
    _tell_reversal(
        locked.author,
        subject="Your post is visible again",
        body=f"Moderators restored your post in “{locked.thread.title}”, unchanged."
        + _note_line(note),
        link=locked.get_absolute_url(),
        action=action,
        appeal=appeal,
    )
    realtime.post_changed(locked)
    return action


# --- Blocks --------------------------------------------------------------------------


def _until(block: Block, reader) -> str:
    """'until 25 Nov 2026, 14:00 (Europe/Paris)' or 'until a moderator lifts it'."""
    if block.ends_at is None:
        return "until a moderator lifts it"
    return f"until {format_when(block.ends_at, reader)}"


@transaction.atomic
def block_create(
    *, actor, member: User, duration: str, rule_codes, reason: str, on_existing: str | None = None
) -> ModerationAction:
    """Block a member from writing for a chosen duration, citing rules. If the member is
    already blocked, ``on_existing`` must say what to do: "extend" adds the duration to
    the current end, "replace" ends the current block and starts this one. Nothing is
    ever silently duplicated: a member never has two blocks in force. One log row; the
    member is told at once, in-app and (after commit) by email."""
    if duration not in BLOCK_DURATIONS:
        choices = ", ".join(label for label, _ in BLOCK_DURATIONS.values())
        raise ValidationError({"duration": f"Choose a duration: {choices}."})
    rules = clean_rule_codes(rule_codes)
    reason = _validate_reason(reason)
    User.objects.select_for_update().filter(pk=member.pk).first()  # serialise blocks per member
    now = timezone.now()
    label, length = BLOCK_DURATIONS[duration]
    current = active_block(member.pk, now=now)
    if current is not None and current.kind == Block.Kind.BAN:
        raise ValidationError("This account is banned; lift the ban instead of blocking it.")
    if current is not None and on_existing not in ("extend", "replace"):
        raise ValidationError(
            {
                "on_existing": f"{member.public_name} is already blocked under "
                f"{rule_phrase(current.rules)}, {_until(current, actor)}. Choose whether to "
                "extend that block or replace it."
            }
        )
    if current is not None and on_existing == "extend":
        previous_end = current.ends_at
        if previous_end is None:
            raise ValidationError(
                {
                    "on_existing": f"{member.public_name}'s block already lasts until a "
                    "moderator lifts it, so extending it would change nothing."
                }
            )
        current.ends_at = None if length is None else previous_end + length
        current.save(update_fields=["ends_at"])
        action = _log(
            Kind.BLOCK_EXTEND,
            actor=actor,
            rules=rules,
            member=member,
            block=current,
            note=reason,
            details={
                "previous_ends_at": previous_end.isoformat(),
                "new_ends_at": current.ends_at.isoformat() if current.ends_at else None,
            },
        )
        block = current
        subject = "Your block has been extended"
        opening = f"Moderators extended the block on your account by {label}"
    else:
        details = {}
        if current is not None:  # replace
            current.lifted_at = now
            current.lifted_by = actor
            current.lift_note = "Replaced by a new block."
            current.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
            details["replaced_block_id"] = current.pk
        block = Block.objects.create(
            member=member,
            kind=Block.Kind.BLOCK,
            rule_codes=encode_rule_codes(rules),
            reason=reason,
            starts_at=now,
            ends_at=now + length if length else None,
            created_by=actor,
        )
        action = _log(
            Kind.BLOCK,
            actor=actor,
            rules=rules,
            member=member,
            block=block,
            note=reason,
            details=details,
        )
        subject = "Your account is blocked from posting"
        opening = (
            "Moderators blocked your account from posting, replying, editing, flagging and voting"
        )
    _tell(
        member,
        subject=subject,
        body=(
            f"{opening} under {rule_phrase(rules)}, {_until(block, member)}.\n\nWhy: {reason}\n\n"
            "You can still read, sign in, export your data and delete your account.\n\n"
            + _appeal_line(action)
        ),
        link=reverse("moderation:inbox"),
        action=action,
    )
    return action


def _block_origin(block: Block) -> ModerationAction | None:
    """The action that created a block."""
    return (
        ModerationAction.objects.filter(block=block, kind__in=[Kind.BLOCK, Kind.SPAM_DELETE])
        .order_by("created_at", "pk")
        .first()
    )


def _revive_blocks(block_ids, *, now) -> list[Block]:
    """Bring back blocks that a later block or ban ended early, if they would still be in
    force: the state a reversal must restore."""
    revived = []
    for row in Block.objects.select_for_update().filter(pk__in=block_ids or []):
        if row.lifted_at is not None and (row.ends_at is None or row.ends_at > now):
            row.lifted_at = None
            row.lifted_by = None
            row.lift_note = ""
            row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
            revived.append(row)
    return revived


@transaction.atomic
def block_lift(
    *,
    actor,
    block: Block,
    note: str = "",
    reverses: ModerationAction | None = None,
    appeal: Appeal | None = None,
) -> ModerationAction | bool:
    """End a block early; the log row reverses the block. If this block had replaced an
    earlier one that would still be in force, that one comes back (a reversal restores
    exactly what was there) and the member is told so. Returns False if it had already
    ended. Spam bans are lifted only by reversing the spam deletion."""
    note = (note or "").strip()
    locked = Block.objects.select_for_update(of=("self",)).select_related("member").get(pk=block.pk)
    if locked.kind == Block.Kind.BAN:
        raise ValidationError(
            "A spam ban is lifted by reversing the spam deletion in the moderation log "
            "(admins only), which also brings the posts back."
        )
    now = timezone.now()
    if not locked.is_active_at(now):
        return False
    locked.lifted_at = now
    locked.lifted_by = actor
    locked.lift_note = note
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    block.lifted_at, block.lifted_by, block.lift_note = now, actor, note
    origin = _block_origin(locked)
    if reverses is None and origin is not None and not hasattr(origin, "reversed_by"):
        reverses = origin
    replaced_id = origin.details.get("replaced_block_id") if origin is not None else None
    revived = _revive_blocks([replaced_id] if replaced_id else [], now=now)
    action = _reversal_log(
        Kind.BLOCK_LIFT,
        appeal=appeal,
        actor=actor,
        rules=locked.rules,
        member_id=locked.member_id,
        block=locked,
        note=note,
        reverses=reverses,
        details={"revived_block_ids": [row.pk for row in revived]},
    )
    if revived:
        earlier = revived[0]
        body = (
            "A moderator lifted the block on your account. The block it had replaced, under "
            f"{rule_phrase(earlier.rules)}, applies again {_until(earlier, locked.member)}."
        )
    else:
        body = "A moderator lifted the block on your account: you can post again."
    _tell_reversal(
        locked.member,
        subject="Your block has been lifted",
        body=body + _note_line(note),
        action=action,
        appeal=appeal,
    )
    return action


def _block_extend_reverse(
    *, actor, action: ModerationAction, note: str, appeal: Appeal | None = None
) -> ModerationAction | bool:
    """Put a block's end back where it was before an extension. False if the block is no
    longer in force (nothing to put back)."""
    block = (
        Block.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=action.block_id)
    )
    now = timezone.now()
    if not block.is_active_at(now):
        return False
    extended_to = action.details.get("new_ends_at", "missing")
    current = block.ends_at.isoformat() if block.ends_at else None
    if extended_to != "missing" and extended_to != current:
        raise ValidationError(
            "The block changed again after this extension; reverse the later change first."
        )
    previous = action.details.get("previous_ends_at")
    block.ends_at = datetime.fromisoformat(previous) if previous else None
    block.save(update_fields=["ends_at"])
    reversal = _reversal_log(
        Kind.BLOCK_LIFT,
        appeal=appeal,
        actor=actor,
        rules=action.rules,
        member_id=block.member_id,
        block=block,
        note=note,
        reverses=action,
        details={"restored_ends_at": previous},
    )
    if block.is_active_at(now):
        body = (
            f"The extension of your block was reversed; it now lasts {_until(block, block.member)}."
        )
    else:
        body = (
            "The extension of your block was reversed, so the block has ended: you can post again."
        )
    _tell_reversal(
        block.member,
        subject="A block extension was reversed",
        body=body + _note_line(note),
        action=reversal,
        appeal=appeal,
    )
    return reversal


# --- Lockdowns -----------------------------------------------------------------------


def _lock_target(*, thread: Thread | None, board: Board | None) -> None:
    """Serialise lockdown changes per thread or board."""
    if thread is not None:
        Thread.objects.select_for_update().filter(pk=thread.pk).first()
    else:
        Board.objects.select_for_update().filter(pk=board.pk).first()


@transaction.atomic
def lockdown_set(
    *,
    actor,
    kind: str,
    rule_codes,
    reason: str,
    thread: Thread | None = None,
    board: Board | None = None,
    slow_minutes: int | None = None,
    ends_at: datetime | None = None,
    go_instead: str = "",
) -> ModerationAction:
    """Lock a thread or board, or put it in slow mode, citing rules. A new lockdown on the
    same target replaces the active one (recorded, so reversing puts the old one back).
    One log row; a thread's author (unless a moderator) is told, with the appeal link."""
    if (thread is None) == (board is None):
        raise ValidationError("A lockdown applies to one thread or one board.")
    if kind not in Lockdown.Kind.values:
        raise ValidationError({"kind": "Choose slow mode or lock."})
    rules = clean_rule_codes(rule_codes)
    reason = _validate_reason(reason)
    go_instead = (go_instead or "").strip()
    if len(go_instead) > 300:
        raise ValidationError(
            {
                "go_instead": "Keep “where to go meanwhile” under 300 characters "
                f"(this is {len(go_instead)})."
            }
        )
    now = timezone.now()
    if kind == Lockdown.Kind.SLOW:
        low, high = SLOW_MODE_MINUTES
        if (
            isinstance(slow_minutes, bool)
            or not isinstance(slow_minutes, int)
            or not low <= slow_minutes <= high
        ):
            raise ValidationError(
                {"slow_minutes": f"Slow mode needs a number of minutes from {low} to {high:,}."}
            )
    else:
        slow_minutes = None
    if ends_at is not None and ends_at <= now:
        raise ValidationError({"ends_at": "The reopen time must be in the future."})
    target = {"thread": thread} if thread is not None else {"board": board}
    _lock_target(thread=thread, board=board)
    replaced = [
        row
        for row in Lockdown.objects.select_for_update().filter(lifted_at__isnull=True, **target)
        if row.is_active_at(now)
    ]
    same = [
        row
        for row in replaced
        if (row.kind, row.slow_minutes, row.rules, row.reason, row.ends_at, row.go_instead)
        == (kind, slow_minutes, rules, reason, ends_at, go_instead.strip())
    ]
    if same:
        # The same lockdown submitted twice (a double click): nothing changes.
        return False
    for row in replaced:
        row.lifted_at = now
        row.lifted_by = actor
        row.lift_note = "Replaced by a new lockdown."
        row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    lockdown = Lockdown.objects.create(
        kind=kind,
        slow_minutes=slow_minutes,
        rule_codes=encode_rule_codes(rules),
        reason=reason,
        go_instead=go_instead,
        starts_at=now,
        ends_at=ends_at,
        created_by=actor,
        **target,
    )
    thread_author = thread.author if thread is not None else None
    action = _log(
        Kind.LOCK if kind == Lockdown.Kind.LOCK else Kind.SLOW_MODE,
        actor=actor,
        rules=rules,
        lockdown=lockdown,
        member=thread_author,
        note=reason,
        details={"replaced_lockdown_ids": [row.pk for row in replaced]},
        **target,
    )
    if thread_author is not None and not thread_author.is_moderator:
        what = "locked" if kind == Lockdown.Kind.LOCK else f"put in slow mode ({slow_minutes} min)"
        until = f" until {format_when(ends_at, thread_author)}" if ends_at else ""
        _tell(
            thread_author,
            subject=f"Your thread was {what}",
            body=f"Moderators {what} your thread “{thread.title}”{until} under "
            f"{rule_phrase(rules)}.\n\nWhy: {reason}\n\n{_appeal_line(action)}",
            link=thread.get_absolute_url(),
            action=action,
        )
    _lockdown_changed(lockdown)
    return action


@transaction.atomic
def lockdown_lift(
    *,
    actor,
    lockdown: Lockdown,
    note: str = "",
    reverses: ModerationAction | None = None,
    appeal: Appeal | None = None,
) -> ModerationAction | bool:
    """Unlock early. If the lockdown had replaced an earlier one that would still be in
    force, that one comes back, so a reversal restores exactly what was there. Returns
    False if it had already ended. A thread's author is told."""
    note = (note or "").strip()
    _lock_target(thread=lockdown.thread, board=lockdown.board)
    locked = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
    now = timezone.now()
    if not locked.is_active_at(now):
        return False
    locked.lifted_at = now
    locked.lifted_by = actor
    locked.lift_note = note
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    lockdown.lifted_at, lockdown.lifted_by, lockdown.lift_note = now, actor, note
    origin = ModerationAction.objects.filter(
        lockdown=locked, kind__in=[Kind.LOCK, Kind.SLOW_MODE]
    ).first()
    revived = []
    if origin is not None:
        for row in Lockdown.objects.select_for_update().filter(
            pk__in=origin.details.get("replaced_lockdown_ids", [])
        ):
            if row.lifted_at is not None and (row.ends_at is None or row.ends_at > now):
                row.lifted_at = None
                row.lifted_by = None
                row.lift_note = ""
                row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
                revived.append(row.pk)
    if reverses is None and origin is not None and not hasattr(origin, "reversed_by"):
        reverses = origin
    member = origin.member if origin else None
    action = _reversal_log(
        Kind.UNLOCK,
        appeal=appeal,
        actor=actor,
        rules=locked.rules,
        lockdown=locked,
        thread=locked.thread,
        board=locked.board,
        member=member,
        note=note,
        reverses=reverses,
        details={"revived_lockdown_ids": revived},
    )
    if member is not None and locked.thread is not None and not member.is_moderator:
        what = "lock" if locked.kind == Lockdown.Kind.LOCK else "slow mode"
        body = f"Moderators lifted the {what} on your thread “{locked.thread.title}”."
        if revived:
            body += " The lockdown it had replaced applies again."
        _tell_reversal(
            member,
            subject=f"The {what} on your thread was lifted",
            body=body + _note_line(note),
            link=locked.thread.get_absolute_url(),
            action=action,
            appeal=appeal,
        )
    _lockdown_changed(locked)
    return action


# --- Spam ----------------------------------------------------------------------------


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
        raise ValidationError("This account is already banned as spam.")
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
            block.lift_note = "Superseded by a spam ban."
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
    action = _log(
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
    _tell(
        member,
        subject="Your account was banned as spam",
        body=(
            f"Moderators removed your posts from view and banned your account under "
            f"{rule_phrase(rules)}. Nothing was deleted." + _note_line(note) + "\n\n"
            "You can still sign in, export your data and delete your account.\n\n"
            + _appeal_line(action)
        ),
        action=action,
    )
    # Inside this transaction, so a rolled-back deletion teaches the filter nothing.
    spam_filter_learn_posts(post_ids=post_ids, is_spam=True, actor=actor)
    _posts_changed(post_ids)
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
        raise ValidationError("Only a spam deletion can be reversed this way.")
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
    revived = _revive_blocks(action.details.get("lifted_block_ids", []), now=now)
    reversal = _reversal_log(
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
    if revived:
        earlier = revived[0]
        after = (
            "The block you had before the ban applies again, under "
            f"{rule_phrase(earlier.rules)}, {_until(earlier, ban.member)}."
        )
    else:
        after = "You can post again."
    _tell_reversal(
        ban.member,
        subject="Your account has been restored",
        body="An admin reversed the spam deletion of your account: your posts are visible "
        f"again. {after}" + _note_line(note),
        action=reversal,
        appeal=appeal,
    )
    _posts_changed(restored_ids)
    return reversal


# --- Reversal, appeals, notes, messages ---------------------------------------------------

# The kinds that have a reversal of their own (the rest are reversals or decisions
# without state to put back).
REVERSIBLE = (
    Kind.POST_HIDE,
    Kind.BLOCK,
    Kind.BLOCK_EXTEND,
    Kind.LOCK,
    Kind.SLOW_MODE,
    Kind.SPAM_DELETE,
    Kind.HELD_APPROVE,
)


@transaction.atomic
def action_reverse(
    *, actor, action: ModerationAction, note: str = "", appeal: Appeal | None = None
) -> ModerationAction | bool:
    """Undo an action through its normal reversal path; the one new log row points at it
    (``reverses``). Returns False when there is nothing left to undo (already reversed,
    or the block or lockdown has already ended)."""
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    if hasattr(action, "reversed_by"):
        return False
    note = (note or "").strip()
    if action.kind == Kind.POST_HIDE:
        post = Post.objects.get(pk=action.post_id)
        return post_restore(actor=actor, post=post, note=note, reverses=action, appeal=appeal)
    if action.kind == Kind.BLOCK:
        return block_lift(
            actor=actor, block=action.block, note=note, reverses=action, appeal=appeal
        )
    if action.kind == Kind.BLOCK_EXTEND:
        return _block_extend_reverse(actor=actor, action=action, note=note, appeal=appeal)
    if action.kind in (Kind.LOCK, Kind.SLOW_MODE):
        return lockdown_lift(
            actor=actor, lockdown=action.lockdown, note=note, reverses=action, appeal=appeal
        )
    if action.kind == Kind.SPAM_DELETE:
        return spam_restore(actor=actor, action=action, note=note, appeal=appeal)
    if action.kind == Kind.HELD_APPROVE:
        return _held_approve_reverse(actor=actor, action=action, note=note)
    raise ValidationError(f"“{action.get_kind_display()}” has no reversal of its own.")


# An approval is in the author's favour: there is nothing for them to appeal.
APPEALABLE = tuple(kind for kind in REVERSIBLE if kind != Kind.HELD_APPROVE)


@transaction.atomic
def appeal_create(*, member: User, action: ModerationAction, text: str) -> Appeal:
    """Appeal an action once. It lands in the review queue for a different moderator."""
    text = (text or "").strip()
    low, high = APPEAL_TEXT_LENGTH
    if not low <= len(text) <= high:
        raise ValidationError(
            {"text": f"Explain your appeal in {low}–{high:,} characters (you wrote {len(text)})."}
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                action=action, member=member, text=text, created_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationError(
            "You have already appealed this action; one appeal per action."
        ) from exc
    ReviewItem.objects.create(
        kind=ReviewItem.Kind.APPEAL,
        appeal=appeal,
        member=member,
        post=action.post,
        created_at=timezone.now(),
    )
    realtime.queue_changed()
    return appeal


def _appeal_decide(*, actor, appeal: Appeal, reverse_it: bool, note: str) -> ModerationAction:
    """Uphold (one APPEAL_UPHOLD row, nothing else changes) or reverse (the action's own
    reversal path writes the one row, marked as on appeal). The member is told either
    way. Never decided by the moderator who took the action."""
    action = appeal.action
    if action.actor_id == actor.pk:
        raise PermissionDenied(
            "You took the action being appealed, so another moderator must decide the appeal."
        )
    if reverse_it:
        decision = action_reverse(
            actor=actor, action=action, note=note or "Reversed on appeal.", appeal=appeal
        )
        if decision is False:
            raise ValidationError(
                "There is nothing left to undo: that action was already reversed or has "
                "ended. Uphold the appeal instead, with a note to the member."
            )
        appeal.status = Appeal.Status.REVERSED
    else:
        appeal.status = Appeal.Status.UPHELD
        decision = _log(
            Kind.APPEAL_UPHOLD,
            actor=actor,
            rules=action.rules,
            member=appeal.member,
            post=action.post,
            note=note,
            details={"appealed_action_id": action.pk, "appeal_id": appeal.pk},
        )
        _tell(
            appeal.member,
            subject="Your appeal has been decided",
            body="A moderator reviewed your appeal and upheld the original decision."
            + _note_line(note),
            action=decision,
        )
    appeal.save(update_fields=["status"])
    return decision


@transaction.atomic
def moderator_note_add(*, actor, member: User, text: str) -> ModeratorNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "The note is empty."})
    if len(text) > 5000:
        raise ValidationError({"text": "Keep notes under 5,000 characters."})
    return ModeratorNote.objects.create(
        member=member, author=actor, text=text, created_at=timezone.now()
    )


@transaction.atomic
def member_messages_mark_read(*, member: User) -> int:
    return MemberMessage.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )

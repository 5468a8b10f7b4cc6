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
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.markup import render_markdown
from forum.models import Board, Post, Thread
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
    latest = GuidelineVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
    version = GuidelineVersion.objects.create(
        number=latest + 1,
        intro=intro,
        intro_html=render_markdown(intro) if intro else "",
        published_at=timezone.now(),
        published_by=actor,
    )
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
    """An inbox message now; the same words by email once the transaction commits."""
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
    transaction.on_commit(
        lambda: send_mail(
            f"[{settings.SITE_NAME}] {subject}",
            email_body,
            None,
            [recipient.email],
            fail_silently=True,
        )
    )


def _appeal_line(action: ModerationAction) -> str:
    path = reverse("moderation:appeal-create", kwargs={"action_id": action.pk})
    return f"If you think this was a mistake, you can appeal once: {_absolute(path)}"


def _validate_reason(reason: str, *, field: str = "reason") -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({field: "Write a short reason: the member will read it."})
    if len(reason) > 2000:
        raise ValidationError({field: "Keep the reason under 2,000 characters."})
    return reason


# --- Flags and the review queue ------------------------------------------------------


def flag_create(
    *, flagger: User, post: Post, reason: str, rule_code: str = "", text: str = ""
) -> Flag:
    """Flag a post. Flags on one post share one open review item. One flag per member per
    post: a second is refused with a clear message."""
    text = text.strip()
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
            Post.objects.select_for_update().filter(pk=post.pk).first()
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
    return True


def _tell_flaggers(item: ReviewItem, outcome: str) -> None:
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
) -> ModerationAction:
    """Decide an open item exactly once. The item row is locked, so a second moderator
    deciding at the same time gets a clear refusal and nothing is applied twice. The
    decision's own verb writes its log row; the flaggers are told the outcome."""
    locked = _lock_open_item(item, actor=actor)
    note = note.strip()
    D = ReviewItem.Decision
    if locked.kind == ReviewItem.Kind.APPEAL:
        if decision not in (D.UPHOLD, D.REVERSE):
            raise ValidationError({"decision": "An appeal is either upheld or reversed."})
        action = _appeal_decide(
            actor=actor, appeal=locked.appeal, reverse_it=decision == D.REVERSE, note=note
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
                raise ValidationError("That post is already hidden.")
            outcome = "They hid it under the community guidelines."
        elif decision == D.BLOCK:
            action = block_create(
                actor=actor,
                member=post.author,
                duration=block_duration,
                rule_codes=rule_codes,
                reason=note,
                on_existing="extend",
            )
            outcome = "They acted on it under the community guidelines."
        elif decision == D.SPAM:
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
    return action


@transaction.atomic
def review_item_escalate(*, actor, item: ReviewItem, note: str = "") -> ModerationAction:
    """Hand an item to the admins: it stays open, marked escalated, and unclaimed."""
    locked = _lock_open_item(item, actor=actor)
    if locked.status == ReviewItem.Status.ESCALATED:
        raise ValidationError("This item is already with the admins.")
    action = _log(
        Kind.ITEM_ESCALATE, actor=actor, member=locked.member, post=locked.post, note=note.strip()
    )
    locked.status = ReviewItem.Status.ESCALATED
    locked.claimed_by = None
    locked.claimed_at = None
    locked.save(update_fields=["status", "claimed_by", "claimed_at"])
    return action


# --- Posts ---------------------------------------------------------------------------


@transaction.atomic
def post_hide(*, actor, post: Post, rule_codes, note: str = "") -> ModerationAction | bool:
    """Hide a post from readers under a rule. The content stays; the author is told."""
    rules = clean_rule_codes(rule_codes)
    locked = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if locked.is_hidden:
        return False
    locked.is_hidden = True
    locked.hidden_rule_code = rules[0]
    locked.save(update_fields=["is_hidden", "hidden_rule_code"])
    post.is_hidden, post.hidden_rule_code = True, rules[0]
    action = _log(
        Kind.POST_HIDE,
        actor=actor,
        rules=rules,
        member_id=locked.author_id,
        post=locked,
        thread=locked.thread,
        note=note.strip(),
    )
    _tell(
        locked.author,
        subject="Moderators hid one of your posts",
        body=(
            f"Your post in “{locked.thread.title}” is hidden from readers under "
            f"{rule_phrase(rules)}. You and moderators can still see it; nothing was deleted."
            + (f"\n\nModerator's note: {action.note}" if action.note else "")
            + f"\n\n{_appeal_line(action)}"
        ),
        link=locked.get_absolute_url(),
        action=action,
    )
    return action


@transaction.atomic
def post_restore(
    *, actor, post: Post, note: str = "", reverses: ModerationAction | None = None
) -> ModerationAction | bool:
    """Show a hidden post again, unchanged. Reverses the hide that hid it."""
    locked = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not locked.is_hidden:
        return False
    if reverses is None:
        reverses = (
            ModerationAction.objects.filter(
                kind=Kind.POST_HIDE, post=locked, reversed_by__isnull=True
            )
            .order_by("-created_at")
            .first()
        )
    locked.is_hidden = False
    locked.hidden_rule_code = ""
    locked.save(update_fields=["is_hidden", "hidden_rule_code"])
    post.is_hidden, post.hidden_rule_code = False, ""
    action = _log(
        Kind.POST_RESTORE,
        actor=actor,
        rules=reverses.rules if reverses else (),
        member_id=locked.author_id,
        post=locked,
        thread=locked.thread,
        note=note.strip(),
        reverses=reverses,
    )
    _tell(
        locked.author,
        subject="Your post is visible again",
        body=f"Moderators restored your post in “{locked.thread.title}”, unchanged."
        + (f"\n\nModerator's note: {action.note}" if action.note else ""),
        link=locked.get_absolute_url(),
        action=action,
    )
    return action


# --- Blocks --------------------------------------------------------------------------


@transaction.atomic
def block_create(
    *, actor, member: User, duration: str, rule_codes, reason: str, on_existing: str | None = None
) -> ModerationAction:
    """Block a member from writing for a chosen duration, citing rules. If the member is
    already blocked, ``on_existing`` must say what to do: "extend" adds the duration to
    the current end, "replace" ends the current block and starts this one. Nothing is
    ever silently duplicated. The member is told at once, in-app and by email."""
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
        until = format_when(current.ends_at, actor) if current.ends_at else "until lifted"
        raise ValidationError(
            {
                "on_existing": f"{member.public_name} is already blocked ({until}). Choose whether "
                "to extend that block or replace it."
            }
        )
    if current is not None and on_existing == "extend":
        previous_end = current.ends_at
        current.ends_at = (
            None if (length is None or previous_end is None) else previous_end + length
        )
        current.save(update_fields=["ends_at"])
        action = _log(
            Kind.BLOCK_EXTEND,
            actor=actor,
            rules=rules,
            member=member,
            block=current,
            note=reason,
            details={"previous_ends_at": previous_end.isoformat() if previous_end else None},
        )
        block = current
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
    until = format_when(block.ends_at, member) if block.ends_at else "until a moderator lifts it"
    _tell(
        member,
        subject="Your account is blocked from posting",
        body=(
            f"Moderators blocked your account from posting, replying, editing, flagging and "
            f"voting under {rule_phrase(rules)}, until {until}.\n\nWhy: {reason}\n\n"
            "You can still read, sign in, export your data and delete your account.\n\n"
            + _appeal_line(action)
        ),
        link=reverse("moderation:inbox"),
        action=action,
    )
    return action


@transaction.atomic
def block_lift(
    *, actor, block: Block, note: str = "", reverses: ModerationAction | None = None
) -> ModerationAction | bool:
    """End a block early. The member is told. Returns False if it had already ended."""
    locked = Block.objects.select_for_update().get(pk=block.pk)
    if not locked.is_active_at(timezone.now()):
        return False
    locked.lifted_at = timezone.now()
    locked.lifted_by = actor
    locked.lift_note = note.strip()
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    if reverses is None:
        reverses = ModerationAction.objects.filter(
            block=locked, kind=Kind.BLOCK, reversed_by__isnull=True
        ).first()
    action = _log(
        Kind.BLOCK_LIFT,
        actor=actor,
        rules=locked.rules,
        member_id=locked.member_id,
        block=locked,
        note=note.strip(),
        reverses=reverses,
    )
    _tell(
        locked.member,
        subject="Your block has been lifted",
        body="A moderator lifted the block on your account: you can post again."
        + (f"\n\nModerator's note: {action.note}" if action.note else ""),
        action=action,
    )
    return action


def _block_extend_reverse(*, actor, action: ModerationAction, note: str) -> ModerationAction:
    block = Block.objects.select_for_update().get(pk=action.block_id)
    previous = action.details.get("previous_ends_at")
    block.ends_at = datetime.fromisoformat(previous) if previous else None
    block.save(update_fields=["ends_at"])
    reversal = _log(
        Kind.BLOCK_LIFT,
        actor=actor,
        rules=action.rules,
        member_id=block.member_id,
        block=block,
        note=note,
        reverses=action,
        details={"restored_ends_at": previous},
    )
    until = format_when(block.ends_at, block.member) if block.ends_at else "until lifted"
    _tell(
        block.member,
        subject="A block extension was reversed",
        body=f"The extension of your block was reversed; it now ends {until}.",
        action=reversal,
    )
    return reversal


# --- Lockdowns -----------------------------------------------------------------------


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
    same target replaces the active one (recorded, so reversing puts the old one back)."""
    if (thread is None) == (board is None):
        raise ValidationError("A lockdown applies to one thread or one board.")
    if kind not in Lockdown.Kind.values:
        raise ValidationError({"kind": "Choose slow mode or lock."})
    rules = clean_rule_codes(rule_codes)
    reason = _validate_reason(reason)
    now = timezone.now()
    if kind == Lockdown.Kind.SLOW:
        low, high = SLOW_MODE_MINUTES
        if slow_minutes is None or not low <= slow_minutes <= high:
            raise ValidationError(
                {"slow_minutes": f"Slow mode needs a number of minutes from {low} to {high:,}."}
            )
    else:
        slow_minutes = None
    if ends_at is not None and ends_at <= now:
        raise ValidationError({"ends_at": "The reopen time must be in the future."})
    target = {"thread": thread} if thread is not None else {"board": board}
    if thread is not None:
        Thread.objects.select_for_update().filter(pk=thread.pk).first()
    else:
        Board.objects.select_for_update().filter(pk=board.pk).first()
    replaced = [
        row
        for row in Lockdown.objects.filter(lifted_at__isnull=True, **target)
        if row.is_active_at(now)
    ]
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
        go_instead=go_instead.strip(),
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
        _tell(
            thread_author,
            subject=f"Your thread was {what}",
            body=f"Moderators {what} your thread “{thread.title}” under {rule_phrase(rules)}."
            f"\n\nWhy: {reason}\n\n{_appeal_line(action)}",
            link=thread.get_absolute_url(),
            action=action,
        )
    return action


@transaction.atomic
def lockdown_lift(
    *, actor, lockdown: Lockdown, note: str = "", reverses: ModerationAction | None = None
) -> ModerationAction | bool:
    """Unlock early. If the lockdown had replaced an earlier one that would still be in
    force, that one comes back, so a reversal restores exactly what was there."""
    locked = Lockdown.objects.select_for_update().get(pk=lockdown.pk)
    now = timezone.now()
    if not locked.is_active_at(now):
        return False
    locked.lifted_at = now
    locked.lifted_by = actor
    locked.lift_note = note.strip()
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    origin = ModerationAction.objects.filter(
        lockdown=locked, kind__in=[Kind.LOCK, Kind.SLOW_MODE]
    ).first()
    revived = []
    if origin is not None:
        for row in Lockdown.objects.filter(pk__in=origin.details.get("replaced_lockdown_ids", [])):
            if row.ends_at is None or row.ends_at > now:
                row.lifted_at = None
                row.lifted_by = None
                row.lift_note = ""
                row.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
                revived.append(row.pk)
    if reverses is None and origin is not None and not hasattr(origin, "reversed_by"):
        reverses = origin
    return _log(
        Kind.UNLOCK,
        actor=actor,
        rules=locked.rules,
        lockdown=locked,
        thread=locked.thread,
        board=locked.board,
        member=origin.member if origin else None,
        note=note.strip(),
        reverses=reverses,
        details={"revived_lockdown_ids": revived},
    )


# --- Spam ----------------------------------------------------------------------------


@transaction.atomic
def spam_delete(*, actor, member: User, rule_codes=("G4",), note: str = "") -> ModerationAction:
    """Hide every visible post of the account and ban it: the one permanent action, logged
    once. An admin can reverse it, which unhides exactly those posts and lifts the ban."""
    rules = clean_rule_codes(rule_codes)
    User.objects.select_for_update().filter(pk=member.pk).first()
    now = timezone.now()
    if Block.objects.filter(member=member, kind=Block.Kind.BAN, lifted_at__isnull=True).exists():
        raise ValidationError("This account is already banned as spam.")
    post_ids = list(
        Post.objects.filter(author=member, is_hidden=False).values_list("pk", flat=True)
    )
    Post.objects.filter(pk__in=post_ids).update(is_hidden=True, hidden_rule_code=rules[0])
    for block in Block.objects.filter(member=member, lifted_at__isnull=True):
        if block.is_active_at(now):
            block.lifted_at = now
            block.lifted_by = actor
            block.lift_note = "Superseded by a spam ban."
            block.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    ban = Block.objects.create(
        member=member,
        kind=Block.Kind.BAN,
        rule_codes=encode_rule_codes(rules),
        reason=note.strip() or "Spam",
        starts_at=now,
        ends_at=None,
        created_by=actor,
    )
    return _log(
        Kind.SPAM_DELETE,
        actor=actor,
        rules=rules,
        member=member,
        block=ban,
        note=note.strip(),
        details={"hidden_post_ids": post_ids},
    )


@transaction.atomic
def spam_restore(*, actor, action: ModerationAction, note: str = "") -> ModerationAction | bool:
    """Reverse a spam deletion (admins): unhide the posts it hid and lift the ban."""
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    if action.kind != Kind.SPAM_DELETE:
        raise ValidationError("Only a spam deletion can be reversed this way.")
    if hasattr(action, "reversed_by"):
        return False
    Post.objects.filter(pk__in=action.details.get("hidden_post_ids", [])).update(
        is_hidden=False, hidden_rule_code=""
    )
    ban = Block.objects.get(pk=action.block_id)
    if ban.lifted_at is None:
        ban.lifted_at = timezone.now()
        ban.lifted_by = actor
        ban.lift_note = note.strip()
        ban.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    reversal = _log(
        Kind.SPAM_RESTORE,
        actor=actor,
        rules=action.rules,
        member_id=action.member_id,
        block=ban,
        note=note.strip(),
        reverses=action,
    )
    _tell(
        ban.member,
        subject="Your account has been restored",
        body="An admin reversed the spam deletion of your account: your posts are visible "
        "again and you can post.",
        action=reversal,
    )
    return reversal


# --- Reversal, appeals, notes, messages ---------------------------------------------------


@transaction.atomic
def action_reverse(*, actor, action: ModerationAction, note: str = "") -> ModerationAction | bool:
    """Undo an action through its normal reversal path; the reversal points at it."""
    action = ModerationAction.objects.select_for_update().get(pk=action.pk)
    if hasattr(action, "reversed_by"):
        return False
    if action.kind == Kind.POST_HIDE:
        post = Post.objects.get(pk=action.post_id)
        return post_restore(actor=actor, post=post, note=note, reverses=action)
    if action.kind == Kind.BLOCK:
        return block_lift(actor=actor, block=action.block, note=note, reverses=action)
    if action.kind == Kind.BLOCK_EXTEND:
        return _block_extend_reverse(actor=actor, action=action, note=note)
    if action.kind in (Kind.LOCK, Kind.SLOW_MODE):
        return lockdown_lift(actor=actor, lockdown=action.lockdown, note=note, reverses=action)
    if action.kind == Kind.SPAM_DELETE:
        return spam_restore(actor=actor, action=action, note=note)
    raise ValidationError(f"“{action.get_kind_display()}” has no reversal of its own.")


APPEALABLE = (
    Kind.POST_HIDE,
    Kind.BLOCK,
    Kind.BLOCK_EXTEND,
    Kind.LOCK,
    Kind.SLOW_MODE,
    Kind.SPAM_DELETE,
)


@transaction.atomic
def appeal_create(*, member: User, action: ModerationAction, text: str) -> Appeal:
    """Appeal an action once. It lands in the review queue for a different moderator."""
    text = text.strip()
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
    return appeal


def _appeal_decide(*, actor, appeal: Appeal, reverse_it: bool, note: str) -> ModerationAction:
    action = appeal.action
    if reverse_it:
        reversal = action_reverse(actor=actor, action=action, note=note or "Reversed on appeal.")
        if reversal is False:
            raise ValidationError(
                "That action was already reversed; uphold the appeal or dismiss it."
            )
        appeal.status = Appeal.Status.REVERSED
        decision = _log(
            Kind.APPEAL_REVERSE,
            actor=actor,
            rules=action.rules,
            member=appeal.member,
            post=action.post,
            note=note,
            details={"appealed_action_id": action.pk, "reversal_id": reversal.pk},
        )
        outcome = "Your appeal succeeded: the action was reversed."
    else:
        appeal.status = Appeal.Status.UPHELD
        decision = _log(
            Kind.APPEAL_UPHOLD,
            actor=actor,
            rules=action.rules,
            member=appeal.member,
            post=action.post,
            note=note,
            details={"appealed_action_id": action.pk},
        )
        outcome = "A moderator reviewed your appeal and upheld the original decision."
    appeal.save(update_fields=["status"])
    _tell(
        appeal.member,
        subject="Your appeal has been decided",
        body=outcome + (f"\n\nModerator's note: {note}" if note else ""),
        action=decision,
    )
    return decision


@transaction.atomic
def moderator_note_add(*, actor, member: User, text: str) -> ModeratorNote:
    text = text.strip()
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

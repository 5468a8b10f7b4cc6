"""One check per moderation action (CONVENTIONS rule 3), and the block and lockdown
refusals that the forum's checks consult so every path refuses with the same words."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import require_signed_in
from moderation import selectors
from moderation.formatting import format_when, rule_phrase
from moderation.models import APPEALABLE, REVERSIBLE, Block, Lockdown, ModerationAction, ReviewItem

_BLOCK_CACHE = "_porchlight_active_block"
_LOCKDOWN_CACHE = "_porchlight_active_lockdowns"


# --- Blocks and lockdowns, for every write check --------------------------------------


def active_block_for(user) -> Block | None:
    """The member's block in force, looked up once per user object (one per request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _BLOCK_CACHE):
        setattr(user, _BLOCK_CACHE, selectors.active_block(user.pk))
    return getattr(user, _BLOCK_CACHE)


def block_message(user, block: Block) -> str:
    action = (
        ModerationAction.objects.filter(block=block, kind__in=["block", "spam_delete"])
        .order_by("created_at")
        .first()
    )
    if block.kind == Block.Kind.BAN:
        what = "This account is banned as spam"
    elif block.ends_at:
        what = f"Your account is blocked from posting until {format_when(block.ends_at, user)}"
    else:
        what = "Your account is blocked from posting until a moderator lifts the block"
    appeal = ""
    if action is not None and not hasattr(action, "appeal"):
        url = reverse("moderation:appeal-create", kwargs={"action_id": action.pk})
        appeal = f" If you think this is a mistake, you can appeal at {url}."
    elif action is not None:
        appeal = " Your appeal is with the moderators."
    return (
        f"{what}, under {rule_phrase(block.rules)}. You can still read, sign in, export your "
        f"data and delete your account.{appeal}"
    )


def require_not_blocked(user) -> None:
    block = active_block_for(user)
    if block is not None:
        raise PermissionDenied(block_message(user, block))


def lockdowns_for(*, thread=None, board=None) -> list[Lockdown]:
    """Active lockdowns for a thread (its own and its board's) or a board, memoised on the
    object so a page that asks several checks runs one query."""
    target = thread if thread is not None else board
    if not hasattr(target, _LOCKDOWN_CACHE):
        setattr(target, _LOCKDOWN_CACHE, selectors.active_lockdowns(thread=thread, board=board))
    return getattr(target, _LOCKDOWN_CACHE)


def lockdown_message(lockdown: Lockdown, *, user=None) -> str:
    where = "thread" if lockdown.thread_id else "board"
    if lockdown.kind == Lockdown.Kind.LOCK:
        what = f"Moderators locked this {where}: reading continues, new posts are paused"
    else:
        minutes = lockdown.slow_minutes
        what = (
            f"Moderators put this {where} in slow mode: one post per member every "
            f"{minutes} minute{'s' if minutes != 1 else ''}"
        )
    until = f" until {format_when(lockdown.ends_at, user)}" if lockdown.ends_at else ""
    why = f" Why: {lockdown.reason}" if lockdown.reason else ""
    if why and not why.endswith((".", "!", "?")):
        why += "."
    meanwhile = f" Meanwhile: {lockdown.go_instead}" if lockdown.go_instead else ""
    return f"{what}{until}, under {rule_phrase(lockdown.rules)}.{why}{meanwhile}"


def is_exempt_from_lockdowns(user) -> bool:
    return bool(getattr(user, "is_employee", False) or getattr(user, "is_moderator", False))


def require_lockdowns_allow_post(user, *, thread=None, board=None) -> None:
    """Locks stop members (staff and moderators may still post, marked as such); slow
    mode lets each member post once per N minutes in the thread or board it covers."""
    if is_exempt_from_lockdowns(user):
        return
    for lockdown in lockdowns_for(thread=thread, board=board):
        if lockdown.kind == Lockdown.Kind.LOCK:
            raise PermissionDenied(lockdown_message(lockdown, user=user))
    for lockdown in lockdowns_for(thread=thread, board=board):
        if lockdown.kind == Lockdown.Kind.SLOW:
            last = selectors.last_post_time(
                user=user, thread_id=lockdown.thread_id, board_id=lockdown.board_id
            )
            if last is None:
                continue
            next_allowed = last + timedelta(minutes=lockdown.slow_minutes)
            if timezone.now() < next_allowed:
                raise PermissionDenied(
                    f"{lockdown_message(lockdown, user=user)} You can post again at "
                    f"{format_when(next_allowed, user)} — your text is kept."
                )


# --- Moderation actions -------------------------------------------------------------------


def check_moderate(user) -> None:
    require_signed_in(user, action="moderation")
    if not user.is_moderator:
        raise PermissionDenied("Only moderators can do this.")


def check_flag_post(user, post) -> None:
    require_signed_in(user, action="flagging a post")
    require_not_blocked(user)
    if post.author_id == user.pk:
        raise PermissionDenied("You can't flag your own post. Edit it instead.")
    if post.is_hidden:
        raise PermissionDenied(
            "Moderators have already hidden this post; there is no need to flag it."
        )


def check_claim_item(user, item: ReviewItem) -> None:
    check_moderate(user)
    if item.status == ReviewItem.Status.DECIDED:
        raise PermissionDenied("This item has already been decided.")
    if item.status == ReviewItem.Status.ESCALATED and not user.is_site_admin:
        raise PermissionDenied("This item was escalated: only admins can take it now.")
    if item.kind == ReviewItem.Kind.APPEAL:
        appealed = item.appeal.action
        # Refused at the claim already, so the moderator who acted can't sit on it either.
        if appealed.actor_id == user.pk:
            raise PermissionDenied(
                "You took the action being appealed, so another moderator must decide the appeal."
            )
        if appealed.kind == ModerationAction.Kind.SPAM_DELETE and not user.is_site_admin:
            raise PermissionDenied(
                "Only an admin can decide an appeal against a spam deletion, because only "
                "admins can reverse one."
            )


def check_decide_item(user, item: ReviewItem) -> None:
    check_claim_item(user, item)
    if item.claimed_by_id and item.claimed_by_id != user.pk:
        raise PermissionDenied(f"{item.claimed_by.public_name} is handling this item.")


def check_review_decision(
    user, item: ReviewItem, decision: str, *, also_block: bool = False
) -> None:
    """Deciding an item, and the check of each action the decision takes: a decision that
    reaches past the item to the author (blocking them, deleting them as spam) is refused
    exactly as on the member's case page, so a moderator's post can't be "decided" into a
    block."""
    check_decide_item(user, item)
    if item.kind == ReviewItem.Kind.APPEAL or item.post is None:
        return
    if decision == ReviewItem.Decision.BLOCK or (
        decision == ReviewItem.Decision.HIDE and also_block
    ):
        check_block_member(user, item.post.author)
    elif decision == ReviewItem.Decision.SPAM:
        check_delete_spam(user, item.post.author)


def check_hide_post(user, post) -> None:
    check_moderate(user)


def check_block_member(user, member) -> None:
    check_moderate(user)
    if member.pk == user.pk:
        raise PermissionDenied("You can't block yourself.")
    if member.is_moderator:
        raise PermissionDenied(
            "Moderators and admins can't be blocked; ask an admin to change their role."
        )


def check_lift_block(user, block: Block) -> None:
    """Moderators lift blocks; a spam ban only an admin may lift (as only an admin may
    reverse the spam deletion that made it)."""
    check_moderate(user)
    if block.kind == Block.Kind.BAN and not user.is_site_admin:
        raise PermissionDenied(
            "Only an admin can lift a spam ban. Ask an admin, who can reverse the spam "
            "deletion from the moderation log."
        )


def check_lockdown(user, target) -> None:
    check_moderate(user)


def check_delete_spam(user, member) -> None:
    check_block_member(user, member)
    if member.is_employee:
        raise PermissionDenied("Staff accounts can't be deleted as spam.")


def check_reverse_action(user, action: ModerationAction) -> None:
    check_moderate(user)
    if action.kind not in REVERSIBLE:
        raise PermissionDenied(
            f"“{action.get_kind_display()}” can't be reversed from the log; it has no "
            "reversal of its own."
        )
    if hasattr(action, "reversed_by"):
        raise PermissionDenied("This action has already been reversed.")
    if action.kind == ModerationAction.Kind.SPAM_DELETE and not user.is_site_admin:
        raise PermissionDenied("Only an admin can reverse a spam deletion.")


def check_appeal(user, action: ModerationAction) -> None:
    """Members may appeal actions against them once, blocked or not."""
    require_signed_in(user, action="appealing")
    if action.member_id != user.pk or action.kind not in APPEALABLE:
        raise PermissionDenied("You can only appeal moderation actions taken against you.")
    if hasattr(action, "appeal"):
        raise PermissionDenied("You have already appealed this action; one appeal per action.")
    if hasattr(action, "reversed_by"):
        raise PermissionDenied("This action has already been reversed.")


def check_view_case(user, member=None) -> None:
    check_moderate(user)


def check_edit_guidelines(user) -> None:
    require_signed_in(user, action="editing the guidelines")
    if not user.is_site_admin:
        raise PermissionDenied("Only admins can publish new guidelines.")

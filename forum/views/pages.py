"""Page parts more than one view shows: lockdown banners, the thread's banners and reply
box (the thread page and its live fragment), a post's address, a safe way back."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from forum import selectors
from forum.forms import PostForm
from forum.permissions import check_reply
from moderation.permissions import (
    active_block_for,
    is_exempt_from_lockdowns,
    lockdown_message,
    lockdowns_for,
)


def lockdown_banners(lockdowns, user) -> list[dict]:
    """What the banner says: moderators acted, why, until when, where to go. The
    moderator's name is shown to staff and moderators only."""
    show_names = is_exempt_from_lockdowns(user)
    return [
        {
            "kind": lockdown.kind,
            "text": lockdown_message(lockdown, user=user),
            "rules": lockdown.rules,
            "moderator": lockdown.created_by.public_name if show_names else "",
            "lockdown": lockdown,
        }
        for lockdown in lockdowns
    ]


def thread_state_context(user, thread) -> dict:
    """The thread's banners and its reply box as this reader sees them. Shared by the
    thread page and its live banners fragment, so a lock arriving live changes the page
    exactly as a reload would."""
    reply_refusal = ""
    try:
        check_reply(user, thread)
    except PermissionDenied as exc:
        reply_refusal = str(exc)
    lockdowns = lockdowns_for(thread=thread)
    is_locked = any(lockdown.kind == "lock" for lockdown in lockdowns)
    return {
        "lockdown_banners": lockdown_banners(lockdowns, user),
        "can_reply": not reply_refusal,
        "reply_refusal": reply_refusal,
        # The banner above already explains a lock; the reply box just points to it.
        "reply_paused_by_lock": bool(reply_refusal)
        and is_locked
        and user.is_authenticated
        and active_block_for(user) is None,
        "replying_during_lock": not reply_refusal and is_locked,
        "viewer_blocked": active_block_for(user) is not None,
        "reply_form": None if reply_refusal else PostForm(),
        "reply_held": selectors.thread_is_held(thread),
    }


def post_url(post) -> str:
    """The post on its page of the thread: ``/t/<id>/?page=N#post-<id>``."""
    page = selectors.post_page_number(post=post)
    url = reverse("forum:thread-detail", kwargs={"thread_id": post.thread_id})
    if page > 1:
        url += f"?page={page}"
    return f"{url}#post-{post.pk}"


def safe_next(request, fallback: str = "/") -> str:
    """Where a small POST form sends the person back: its ``next`` (else the page it was
    sent from), when that is on this site; ``fallback`` otherwise."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback

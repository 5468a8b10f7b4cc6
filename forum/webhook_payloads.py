"""What a webhook delivery says: the JSON event body and the Slack-compatible message.

The JSON body is ``{"id", "event", "created_at", "data"}``; ``data`` reuses the API's
shapes (forum.schemas) with every ``url`` made absolute (SITE_URL + path), so a
receiver can link back without knowing the site's address. The Slack body is
``{"text": …}`` in Slack's mrkdwn: one readable line with a ``<url|title>`` link, the
user's words escaped (&, <, >) so they can neither break the link nor ping a channel.

Everything here reads the database and builds dicts; nothing is written."""

import json
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext, override

from forum.models import Notice, Post, Thread, ThreadEvent, Webhook
from forum.schemas import MemberRef, PostOut, ThreadOut

Event = Webhook.Event


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _absolute_urls(value):
    """Every ``url`` in a dumped schema made absolute, however deep."""
    if isinstance(value, dict):
        return {
            key: (
                absolute(item)
                if key.endswith("url") and isinstance(item, str) and item.startswith("/")
                else _absolute_urls(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_absolute_urls(item) for item in value]
    return value


def _thread_data(thread: Thread) -> dict:
    dumped = ThreadOut.from_orm(thread).model_dump(mode="json")
    return _absolute_urls(dumped)


def _post_data(post: Post) -> dict:
    dumped = PostOut.from_orm(post).model_dump(mode="json")
    return _absolute_urls(dumped)


def _member_data(user) -> dict | None:
    if user is None:
        return None
    return _absolute_urls(MemberRef.from_orm(user).model_dump(mode="json"))


def _notice_data(notice: Notice) -> dict:
    return {
        "id": notice.pk,
        "level": notice.level,
        "audience": notice.audience,
        "board": notice.board.slug if notice.board_id else None,
        "message": notice.message,
        "message_html": notice.message_html,
        "starts_at": notice.starts_at.isoformat(),
        "ends_at": notice.ends_at.isoformat() if notice.ends_at else None,
        "thread": _thread_data(notice.thread) if notice.thread_id else None,
        "url": absolute(reverse("forum:status")),
    }


def _review_url(item_id) -> str | None:
    if not item_id:
        return None
    return absolute(reverse("moderation:queue-item", kwargs={"item_id": item_id}))


def event_data(*, event: str, subject: dict, extra: dict) -> dict | None:
    """``data`` for ``event`` about ``subject`` (ids: thread_id, post_id, notice_id,
    thread_event_id), or None when there is nothing to say any more (the thing is gone, or
    is held or hidden and the event announces something public)."""

    if event == Event.NOTICE_PUBLISHED:
        notice = (
            Notice.objects.select_related("board", "thread__board", "thread__author")
            .filter(pk=subject.get("notice_id"))
            .first()
        )
        return None if notice is None else {"notice": _notice_data(notice)}
    if event == "ping":
        return {"message": extra.get("message", ""), "webhook": extra.get("webhook", {})}
    post = None
    if subject.get("post_id"):
        post = (
            Post.objects.select_related("thread__board", "thread__author", "author")
            .filter(pk=subject["post_id"])
            .first()
        )
        if post is None:
            return None
        thread = post.thread
    else:
        thread = (
            Thread.objects.select_related("board", "author")
            .filter(pk=subject.get("thread_id"))
            .first()
        )
        if thread is None:
            return None
    public = event in (Event.THREAD_CREATED, Event.POST_CREATED, Event.STAFF_REPLY)
    if public and (thread.is_hidden or (post is not None and post.is_hidden)):
        return None
    data = {"thread": _thread_data(thread)}
    if post is not None:
        data["post"] = _post_data(post)
    if event in (Event.STATUS_CHANGED, Event.ANSWER_ACCEPTED):
        change = (
            ThreadEvent.objects.select_related("actor", "post__author", "duplicate_of")
            .filter(pk=subject.get("thread_event_id"))
            .first()
        )
        if change is None:
            return None
        data["actor"] = _member_data(change.actor)
        if event == Event.STATUS_CHANGED:
            data["status"] = {
                "from": change.from_value,
                "to": change.to_value,
                "reason": change.reason,
                "duplicate_of": (
                    {
                        "id": change.duplicate_of_id,
                        "url": absolute(change.duplicate_of.get_absolute_url()),
                    }
                    if change.duplicate_of_id
                    else None
                ),
            }
        elif change.post is not None:
            data["post"] = _post_data(change.post)
    if event == Event.POST_FLAGGED:
        flag = extra.get("flag", {})
        data["flag"] = {
            "id": flag.get("id"),
            "reason": flag.get("reason", ""),
            "rule_code": flag.get("rule_code", ""),
            "review_url": _review_url(flag.get("review_item_id")),
        }
    if event == Event.POST_HELD:
        data["review_url"] = _review_url(extra.get("review_item_id"))
    return data


def json_body(*, delivery_id: str, event: str, created_at: datetime, data: dict) -> str:
    """The JSON event, serialised once: every attempt sends these exact bytes."""
    return json.dumps(
        {"id": delivery_id, "event": event, "created_at": created_at.isoformat(), "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def slack_escape(text: str) -> str:
    """Slack's three control characters, escaped as its mrkdwn asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, title: str) -> str:
    # A "|" in the title would end the link text early; Slack has no escape for it.
    return f"<{url}|{slack_escape(title).replace('|', '¦')}>"


def slack_text(*, event: str, data: dict) -> str:
    """One readable line about the event, with a link, in the site's language."""
    with override(settings.LANGUAGE_CODE):
        return _slack_text(event, data)


def _slack_text(event: str, data: dict) -> str:
    if event == "ping":
        return slack_escape(
            gettext("Test delivery from %(site)s: this webhook works.")
            % {"site": settings.SITE_NAME}
        )
    if event == Event.NOTICE_PUBLISHED:
        notice = data["notice"]
        return gettext("Notice (%(level)s): %(message)s %(link)s") % {
            "level": slack_escape(notice["level"]),
            "message": slack_escape(notice["message"]),
            "link": _link(notice["url"], gettext("Status page")),
        }
    thread = data["thread"]
    post = data.get("post") or {}
    target = thread["url"] if event == Event.THREAD_CREATED else post.get("url") or thread["url"]
    link = _link(target, thread["title"])
    who = slack_escape((post.get("author") or thread["author"])["name"])
    values = {"who": who, "link": link, "board": slack_escape(thread["board"]["name"])}
    if event == Event.THREAD_CREATED:
        return gettext("%(who)s started %(link)s on %(board)s") % values
    if event == Event.POST_CREATED:
        return gettext("%(who)s replied to %(link)s") % values
    if event == Event.STAFF_REPLY:
        return gettext("Staff reply by %(who)s in %(link)s") % values
    if event == Event.STATUS_CHANGED:
        actor = data.get("actor") or {}
        return gettext("%(actor)s set %(link)s to %(status)s") % {
            "actor": slack_escape(actor.get("name", "")),
            "link": _link(thread["url"], thread["title"]),
            "status": slack_escape(_status_label(data["status"]["to"])),
        }
    if event == Event.ANSWER_ACCEPTED:
        return gettext("An answer by %(who)s was accepted in %(link)s") % values
    if event == Event.POST_FLAGGED:
        review = data["flag"].get("review_url")
        text = gettext("A post by %(who)s was flagged in %(link)s") % values
        return text + (f" ({_link(review, gettext('review'))})" if review else "")
    if event == Event.POST_HELD:
        review = data.get("review_url")
        text = gettext("A post by %(who)s is held for review in %(link)s") % values
        return text + (f" ({_link(review, gettext('review'))})" if review else "")
    return slack_escape(event)


def _status_label(value: str) -> str:
    try:
        return str(Thread.Status(value).label)
    except ValueError:
        return value


def slack_body(*, event: str, data: dict) -> str:
    return json.dumps({"text": slack_text(event=event, data=data)}, ensure_ascii=False)

"""What the forum holds about one member, for their data export, and what happens to it
when their account is deleted. Reached through ``accounts.signals`` (accounts does not
know the forum); connected in ``forum.receivers``."""

import json
from collections.abc import Iterator

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from forum import pagecache
from forum.markup import RENDER_VERSION, render_markdown
from forum.models import (
    Attachment,
    KeywordWatch,
    Notification,
    Post,
    PostRevision,
    ReadMarker,
    ThreadVote,
    Watch,
)
from forum.services.attachments import attachments_delete_of_member
from forum.services.search import index_post

# Posts are read in chunks, so a prolific member's export costs memory by the chunk.
CHUNK = 500


def _iso(value) -> str | None:
    return value.isoformat() if value else None


_POST_FIELDS = (
    "pk",
    "thread_id",
    "thread__title",
    "thread__board__name",
    "position",
    "created_at",
    "edited_at",
    "is_hidden",
    "held_at",
    "body",
)


def _post_chunks(user: User) -> Iterator[list[dict]]:
    """The member's posts, oldest first, CHUNK at a time (by key, so each chunk is one
    indexed query however far in), as plain rows: an export of thousands of posts reads
    no model instances."""
    posts = Post.objects.filter(author=user).order_by("pk").values(*_POST_FIELDS)
    after = 0
    while chunk := list(posts.filter(pk__gt=after)[:CHUNK]):
        yield chunk
        after = chunk[-1]["pk"]


def _revisions_of(post_ids: list[int], author_id: int) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {post_id: [] for post_id in post_ids}
    rows = (
        PostRevision.objects.filter(post_id__in=post_ids)
        .order_by("post_id", "number")
        .values_list("post_id", "number", "title", "body", "created_at", "editor_id")
    )
    for post_id, number, title, body, created_at, editor_id in rows:
        found[post_id].append(
            {
                "number": number,
                "title": title,
                "markdown": body,
                "created_at": _iso(created_at),
                "edited_by_you": editor_id == author_id,
            }
        )
    return found


def _post_url(post_id: int) -> str:
    return reverse("forum:post-permalink", kwargs={"post_id": post_id})


def _post_record(row: dict, revisions: list[dict] | None = None) -> dict:
    record = {
        "id": row["pk"],
        "url": _post_url(row["pk"]),
        "board": row["thread__board__name"],
        "thread_id": row["thread_id"],
        "thread_title": row["thread__title"],
        "is_opening_post": row["position"] == 1,
        "created_at": _iso(row["created_at"]),
        "edited_at": _iso(row["edited_at"]),
        "hidden_by_moderators": row["is_hidden"] and row["held_at"] is None,
        "held_for_review": row["held_at"] is not None,
        "markdown": row["body"],
    }
    if revisions is not None:
        record["revisions"] = revisions
    return record


def _posts_json(user: User) -> Iterator[str]:
    """A JSON list, one post at a time."""
    yield "["
    first = True
    for chunk in _post_chunks(user):
        revisions = _revisions_of([row["pk"] for row in chunk], user.pk)
        for row in chunk:
            record = _post_record(row, revisions[row["pk"]])
            yield ("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False)
            first = False
    yield "\n]\n"


def _posts_markdown(user: User) -> Iterator[str]:
    heading = _("Posts by %(name)s") % {"name": user.public_name}
    yield f"# {heading}\n\n"
    empty = True
    for chunk in _post_chunks(user):
        empty = False
        for row in chunk:
            record = _post_record(row)
            yield (
                f"## {record['thread_title']}\n\n"
                f"*{record['board']} · {record['created_at']} · {record['url']}*\n\n"
                f"{record['markdown']}\n\n---\n\n"
            )
    if empty:
        yield _("No posts.") + "\n"


def _stored_file_chunks(name: str) -> Iterator[bytes]:
    """Opened only when the archive reaches it, read in pieces."""
    with Attachment._meta.get_field("image").storage.open(name, "rb") as handle:
        yield from iter(lambda: handle.read(64 * 1024), b"")


def _images(user: User) -> dict[str, Iterator[bytes]]:
    """The images the member uploaded, as stored (already stripped of EXIF), named by
    the address posts.json and posts.md use for them."""
    images = {}
    for pk, name in (
        Attachment.objects.filter(uploader=user).order_by("pk").values_list("pk", "image")
    ):
        extension = name.rsplit(".", 1)[-1] if "." in name else "img"
        images[f"images/{pk}.{extension}"] = _stored_file_chunks(name)
    return images


def member_data_for_export(*, user: User) -> dict[str, str | Iterator[str] | Iterator[bytes]]:
    """posts.json (every post with its Markdown source and revisions) and posts.md (the
    same posts, readable), both streamed in chunks of posts; votes.json,
    notification_settings.json, and the member's images under images/."""
    votes = [
        {
            "thread_id": vote.thread_id,
            "thread_title": vote.thread.title,
            "kind": vote.kind,
            "created_at": _iso(vote.created_at),
        }
        for vote in ThreadVote.objects.filter(user=user).select_related("thread").order_by("pk")
    ]
    watches = [
        {
            "thread_id": watch.thread_id,
            "thread_title": watch.thread.title if watch.thread_id else None,
            "board": watch.board.name if watch.board_id else None,
            "level": watch.level,
        }
        for watch in Watch.objects.filter(user=user)
        .select_related("thread", "board")
        .order_by("pk")
    ]
    settings_record = {
        "email_frequency": user.email_frequency,
        "watches": watches,
        "keyword_watches": list(
            KeywordWatch.objects.filter(user=user).order_by("pk").values_list("term", flat=True)
        ),
    }

    def dump(value) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False)

    return {
        "posts.json": _posts_json(user),
        "posts.md": _posts_markdown(user),
        "votes.json": dump(votes),
        "notification_settings.json": dump(settings_record),
        **_images(user),
    }


def erased_post_html() -> tuple[str, str]:
    body = _("*This post was erased at its author's request.*")
    return body, render_markdown(body)


@transaction.atomic
def member_forum_data_erase(*, user: User, erase_posts: bool) -> int:
    """Forget what only served the member (watches, keyword watches, read markers, their
    notifications). With ``erase_posts``, replace every post's text and every revision's
    with a note that it was erased, and take the old words out of search; threads, their
    replies and counts stay. Votes stay, anonymous, so vote counts stay true. Returns the
    number of posts erased."""
    Watch.objects.filter(user=user).delete()
    KeywordWatch.objects.filter(user=user).delete()
    ReadMarker.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    attachments_delete_of_member(uploader=user, attached_too=erase_posts)
    if not erase_posts:
        return 0
    body, body_html = erased_post_html()
    posts = Post.objects.filter(author=user)
    thread_ids = set(posts.values_list("thread_id", flat=True))
    erased = posts.update(body=body, body_html=body_html, body_html_version=RENDER_VERSION)
    PostRevision.objects.filter(post__author=user).update(body=body, body_html=body_html)
    for post in posts.select_related("thread").only("pk", "position", "body", "thread__title"):
        index_post(post=post, thread=post.thread)
    for thread_id in thread_ids:
        pagecache.thread_changed_on_commit(thread_id)
    return erased

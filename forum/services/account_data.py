"""What the forum holds about one member, for their data export, and what happens to it
when their account is deleted. Reached through ``accounts.signals`` (accounts does not
know the forum); connected in ``forum.receivers``."""

import json
from collections.abc import Iterator

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from forum import pagecache
from forum.markup import RENDER_VERSION, render_markdown
from forum.models import (
    KeywordWatch,
    Notification,
    Post,
    PostRevision,
    ReadMarker,
    ThreadVote,
    Watch,
)
from forum.services.search import index_post

# Posts are read in chunks, so a prolific member's export costs memory by the chunk.
CHUNK = 500


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _posts(user: User):
    return (
        Post.objects.filter(author=user)
        .select_related("thread", "thread__board")
        .prefetch_related("revisions")
        .order_by("created_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _post_record(post: Post) -> dict:
    return {
        "id": post.pk,
        "url": post.get_absolute_url(),
        "board": post.thread.board.name,
        "thread_id": post.thread_id,
        "thread_title": post.thread.title,
        "is_opening_post": post.is_opening_post,
        "created_at": _iso(post.created_at),
        "edited_at": _iso(post.edited_at),
        "hidden_by_moderators": post.is_hidden and post.held_at is None,
        "held_for_review": post.held_at is not None,
        "markdown": post.body,
        "revisions": [
            {
                "number": revision.number,
                "title": revision.title,
                "markdown": revision.body,
                "created_at": _iso(revision.created_at),
                "edited_by_you": revision.editor_id == post.author_id,
            }
            for revision in post.revisions.all()
        ],
    }


def _posts_json(user: User) -> Iterator[str]:
    """A JSON list, one post at a time."""
    yield "["
    for index, post in enumerate(_posts(user)):
        yield ("," if index else "") + "\n" + json.dumps(_post_record(post), ensure_ascii=False)
    yield "\n]\n"


def _posts_markdown(user: User) -> Iterator[str]:
    heading = _("Posts by %(name)s") % {"name": user.public_name}
    yield f"# {heading}\n\n"
    empty = True
    for post in _posts(user):
        empty = False
        record = _post_record(post)
        yield (
            f"## {record['thread_title']}\n\n"
            f"*{record['board']} · {record['created_at']} · {record['url']}*\n\n"
            f"{record['markdown']}\n\n---\n\n"
        )
    if empty:
        yield _("No posts.") + "\n"


def member_data_for_export(*, user: User) -> dict[str, str | Iterator[str]]:
    """posts.json (every post with its Markdown source and revisions) and posts.md (the
    same posts, readable), both streamed in chunks of posts; votes.json and
    notification_settings.json."""
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

"""Writing posts: a thread with its opening post, a reply, an edit.

Services assume the caller asked the permission check for the action (forum.permissions);
they validate content, render Markdown once, keep the denormalised counters exact and
record revisions. A new post sets the Help workflow, the search index, watching, unread
tracking and notifications going inside its transaction; their side effects follow after
commit."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from config.compiled import CompiledQuery
from forum import ratelimit, realtime
from forum.markup import RENDER_VERSION
from forum.models import Board, Notice, Post, PostRevision, Thread
from forum.services import (
    answers,
    attachments,
    notifications,
    reading,
    search,
    visibility,
    watching,
    webhooks,
)
from forum.services.validation import render_body, validate_body, validate_title


def _existing_submission(*, author: User, submission_key: str) -> Post | None:
    if not submission_key:
        return None
    return (
        Post.objects.select_related("thread")
        .filter(author=author, submission_key=submission_key)
        .first()
    )


def _add_post(
    *,
    thread: Thread,
    author: User,
    body: str,
    body_html: str,
    submission_key: str,
    now,
    posted_during_lock=False,
    screening: dict | None = None,
) -> Post:
    """Append a post to a locked thread row and bring every counter up to date. ``body_html``
    is rendered by the caller before the lock is taken: rendering is the slow part of a
    write, and every other reply to the thread waits for the lock.

    A post held for review (``screening["action"] == "hold"``) is written with
    ``held_at``, but nobody is notified and no live page hears of it: approval does that
    later, as if it were new. The caller hides it once its counters are in place, which
    also takes it off its author's post count (so it never lifts them out of "new
    account"). A post in a hidden thread is not public, so it does not count either."""
    held = bool(screening) and screening.get("action") == "hold"
    position = thread.reply_count + 2 if thread.last_post_id else 1
    vector = search.new_post_vector(title=thread.title if position == 1 else "", body=body)
    indexed = {} if vector is None else {"search_vector": vector}
    post = Post.objects.create(
        thread=thread,
        author=author,
        position=position,
        body=body,
        body_html=body_html,
        body_html_version=RENDER_VERSION,
        created_at=now,
        submission_key=submission_key,
        posted_during_lock=posted_during_lock,
        held_at=now if held else None,
        # Kept for the review queue only when screening asked a moderator to look.
        screening=(
            {**screening, "on": "create"}
            if screening and screening.get("action") in ("hold", "flag")
            else {}
        ),
        **indexed,
    )
    if vector is not None:
        # The row holds the computed vector; the instance keeps no expression to save again.
        del post.search_vector
    attachments.attachments_attach_named(post=post, body=body)
    PostRevision.objects.create(
        post=post,
        number=1,
        title=thread.title if position == 1 else "",
        body=body,
        body_html=body_html,
        editor=author,
        created_at=now,
    )
    thread.reply_count = position - 1
    thread.last_post = post
    thread.last_poster = author
    thread.last_activity_at = now
    thread.save(update_fields=["reply_count", "last_post", "last_poster", "last_activity_at"])
    if not thread.is_hidden:
        # A reply in a thread hidden by moderators is not on its board's lists.
        Board.objects.filter(pk=thread.board_id).update(
            post_count=F("post_count") + 1, last_post=post, last_activity_at=now
        )
    if not thread.is_hidden:
        # Public for now: a held post leaves the count again when the caller hides it
        # (forum.services.visibility keeps counts equal to public posts).
        User.objects.filter(pk=author.pk).update(post_count=F("post_count") + 1)
    # The workflows, the search index, watching, unread tracking and notifications all
    # follow a new post inside the same transaction (their side effects after commit).
    if not held:
        answers.post_added(thread=thread, post=post)
    if vector is None:
        search.index_post(post=post, thread=thread)
    # Read once for both: whether the author chose a level, and who is to be told.
    audience = watching.thread_audience(thread) if position > 1 else None
    watching.watch_on_participation(user=author, thread=thread, audience=audience)
    reading.mark_read(user=author, thread=thread, position=position)
    transaction.on_commit(lambda: ratelimit.record_write(author.pk))
    if held:
        return post
    notifications.post_added(post=post, thread=thread, audience=audience)
    realtime.post_created(post)
    webhooks.post_published_on_commit(post=post, thread=thread)
    if getattr(thread, "notice_in_force", False):
        # A notice in force links here with its reply count: open pages refresh it.
        realtime.notices_changed()
    return post


def _notice_in_force(now) -> Exists:
    """Whether a notice in force links to the thread: read with the locked thread row,
    since a reply to it changes the reply count the notice shows (a thread being created
    has no notice yet)."""
    return Exists(
        Notice.objects.filter(thread_id=OuterRef("pk"), starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
    )


def _locked_thread_query(thread_id: int, now):
    return (
        Thread.objects.select_for_update()
        .annotate(notice_in_force=_notice_in_force(now))
        .filter(pk=thread_id)
    )


# Every reply runs it: built once per process (building costs more than running).
_LOCKED_THREAD = CompiledQuery(
    _locked_thread_query,
    converted=True,
    thread_id=-7_000_000_041,
    now=datetime(1901, 2, 3, 4, 5, 6, 791, tzinfo=UTC),
)


def _lock_thread(thread_id: int) -> Thread:
    """The thread row, locked, with ``notice_in_force``."""
    row = _LOCKED_THREAD.fetchone(thread_id=thread_id, now=timezone.now())
    if row is None:
        raise Thread.DoesNotExist
    names = [field.attname for field in Thread._meta.concrete_fields]
    locked = Thread.from_db(connection.alias, names, row[: len(names)])
    locked.notice_in_force = bool(row[len(names)])
    return locked


def thread_create(
    *,
    board: Board,
    author: User,
    title: str,
    body: str,
    submission_key: str = "",
    screening: dict | None = None,
) -> Thread:
    """Start a thread with its opening post. Atomic; a repeated ``submission_key`` from the
    same author returns the thread already created instead of a second one.

    ``screening`` is what spam screening decided, made by the caller before this (it may
    ask a remote service, so never inside the transaction): ``{"action": "hold", ...}``
    writes the thread hidden and held for review, seen only by its author and
    moderators; any other action publishes it and is kept on the post for the queue."""
    title = validate_title(title)
    body = validate_body(body)
    existing = _existing_submission(author=author, submission_key=submission_key)
    if existing is not None:
        return existing.thread
    body_html = render_body(body)
    try:
        with transaction.atomic():
            now = timezone.now()
            thread = Thread.objects.create(
                board=board,
                author=author,
                title=title,
                created_at=now,
                last_activity_at=now,
                help_state=(
                    Thread.HelpState.AWAITING_STAFF
                    if board.kind == Board.Kind.HELP
                    else Thread.HelpState.NONE
                ),
                status=Thread.Status.NEW if board.kind == Board.Kind.BUGS else "",
            )
            _add_post(
                thread=thread,
                author=author,
                body=body,
                body_html=body_html,
                submission_key=submission_key,
                now=now,
                screening=screening,
            )
            Board.objects.filter(pk=board.pk).update(thread_count=F("thread_count") + 1)
            _hide_if_held(thread.last_post)
            thread.is_hidden = thread.last_post.is_hidden
    except IntegrityError:
        # A concurrent double-submit won the race; hand back its thread.
        existing = _existing_submission(author=author, submission_key=submission_key)
        if existing is None:
            raise
        return existing.thread
    return thread


def post_create(
    *,
    thread: Thread,
    author: User,
    body: str,
    submission_key: str = "",
    posted_during_lock: bool = False,
    screening: dict | None = None,
) -> Post:
    """Reply to a thread. Atomic; the thread row is locked while its position and counters
    move, so concurrent replies get distinct positions. Idempotent per ``submission_key``.
    ``posted_during_lock`` marks a staff or moderator reply in a locked thread.
    ``screening`` as for ``thread_create``: a held reply is seen by its author and
    moderators only."""
    body = validate_body(body)
    body_html = render_body(body)
    # A repeated key is rare (a double click, a resent form): the unique constraint on
    # (author, submission_key) finds it, so a reply does not look for it first.
    try:
        with transaction.atomic():
            locked = _lock_thread(thread.pk)
            if locked.merged_into_id is not None:
                # Merged while the reply was being written: the thread is an empty shell.
                raise ValidationError(
                    gettext(
                        "Staff merged this thread into thread #%(pk)s while you were writing. "
                        "Your reply is kept below: copy it and post it there."
                    )
                    % {"pk": locked.merged_into_id}
                )
            post = _add_post(
                thread=locked,
                author=author,
                body=body,
                body_html=body_html,
                submission_key=submission_key,
                now=timezone.now(),
                posted_during_lock=posted_during_lock,
                screening=screening,
            )
            if post.held_at is not None:
                _hide_if_held(post)
                # Hiding it gave the thread back its previous latest post.
                locked.refresh_from_db(fields=["last_post", "last_poster", "last_activity_at"])
    except IntegrityError:
        existing = _existing_submission(author=author, submission_key=submission_key)
        if existing is None:
            raise
        return existing
    thread.reply_count = locked.reply_count
    thread.last_post_id = locked.last_post_id
    thread.last_poster_id = locked.last_poster_id
    thread.last_activity_at = locked.last_activity_at
    return post


def _hide_if_held(post: Post) -> None:
    """A held post leaves every public surface through the one hiding service, so the
    thread's and board's counters, latest post and the thread's visibility (a held opening
    post hides its thread) are exactly as if it had been posted and hidden."""
    if post.held_at is not None:
        visibility.posts_set_hidden(post_ids=[post.pk], hidden=True)
        post.is_hidden = True


def post_edit(
    *,
    post: Post,
    editor: User,
    body: str,
    title: str | None = None,
    screening: dict | None = None,
) -> bool:
    """Change a post (and, for an opening post, its thread's title), keeping the previous
    version as a revision. Returns False when nothing changed. The body is rendered before
    the post row is locked. With ``screening`` ``{"action": "hold", ...}`` (decided by the
    caller beforehand) the whole post is held for review — hidden from everyone but its
    author and moderators — until a moderator approves the edited version."""
    body = validate_body(body)
    body_html = render_body(body)
    return _post_edit_locked(
        post=post, editor=editor, body=body, body_html=body_html, title=title, screening=screening
    )


@transaction.atomic
def _post_edit_locked(
    *,
    post: Post,
    editor: User,
    body: str,
    body_html: str,
    title: str | None,
    screening: dict | None = None,
) -> bool:
    locked = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    thread = locked.thread
    new_title = thread.title
    if title is not None and locked.is_opening_post:
        new_title = validate_title(title)
    if body == locked.body and new_title == thread.title:
        return False
    now = timezone.now()
    if body == locked.body:
        body_html = locked.body_html
    locked.revision_count += 1
    PostRevision.objects.create(
        post=locked,
        number=locked.revision_count,
        title=new_title if locked.is_opening_post else "",
        body=body,
        body_html=body_html,
        editor=editor,
        created_at=now,
    )
    locked.body = body
    locked.body_html = body_html
    locked.body_html_version = RENDER_VERSION
    locked.edited_at = now
    fields = ["body", "body_html", "body_html_version", "edited_at", "revision_count"]
    holds = bool(screening) and screening.get("action") == "hold"
    if screening and screening.get("action") in ("hold", "flag"):
        if locked.held_at is not None:
            # Still held: a new hold refreshes what the moderator sees; a milder verdict
            # on the edit does not release it, the moderator still decides.
            if holds:
                locked.screening = {**screening, "on": locked.screening.get("on", "create")}
                fields.append("screening")
        else:
            locked.screening = {**screening, "on": "edit"}
            fields.append("screening")
    if holds and locked.held_at is None:
        locked.held_at = now
        fields.append("held_at")
    locked.save(update_fields=fields)
    attachments.attachments_attach_named(post=locked, body=body)
    if holds and not locked.is_hidden:
        visibility.posts_set_hidden(post_ids=[locked.pk], hidden=True)
        locked.is_hidden = True
    if new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title"])
    search.index_post(post=locked, thread=thread)
    post.__dict__.update(
        {
            "body": locked.body,
            "body_html": locked.body_html,
            "edited_at": now,
            "revision_count": locked.revision_count,
            "held_at": locked.held_at,
            "screening": locked.screening,
            "is_hidden": locked.is_hidden,
        }
    )
    transaction.on_commit(lambda: ratelimit.record_write(editor.pk))
    realtime.post_changed(locked)
    return True

"""Searching posts: the read side of the index ``forum.services.search`` keeps.

``search_queryset`` gives the matching posts a person may see, ranked and with snippets;
``forum.selectors.search.search_posts`` turns it into the search page's bounded page of
hits, and the search feeds take its newest.

- PostgreSQL: ``websearch_to_tsquery`` in the ``english`` and ``simple`` configurations
  (stemmed, and as written), ``ts_rank`` with the title (weight A) above bodies
  (weight B), ``ts_headline`` snippets — all through the GIN index on
  ``forum_post.search_vector``.
- SQLite with FTS5: ``MATCH`` with ``bm25`` (title column weighted 10:1) and
  ``snippet()``. The person's words are turned into a safe FTS5 query first: each word
  is quoted, so punctuation, operators and non-ASCII text never cause a syntax error.
- SQLite without FTS5: every word must appear (``icontains``), newest first.

Snippets are built so that the post's text is always escaped and only our ``<mark>``
tags survive: the database marks matches with two private-use characters, which are
turned into ``<mark>`` after everything else has been escaped.

Hidden posts are searched only for moderators; everyone else never sees them. Feeds call
this with an anonymous user, so they never include hidden posts either.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.models import Board, KeywordWatch, Post, Thread

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20
EMPTY_QUERY_MESSAGE = _("Type a word or two to search.")
NO_WORDS_MESSAGE = _(
    "Type a word or two to search: punctuation and symbols on their own match nothing."
)

FTS_TABLE = "forum_post_fts"
# Where a match starts and stops in a snippet from the database: private-use characters,
# turned into <mark> only after the rest has been escaped.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
_MARKERS = re.compile(f"[{MARK_START}{MARK_STOP}]")
_WORD = re.compile(r"\w+")
_CONTROL_AS_SPACE = dict.fromkeys([*range(32), 127], " ")

# Thread states a search can be narrowed to: Help's solved/unsolved, then each Bug and
# Idea status.
STATUS_SOLVED = "solved"
STATUS_UNSOLVED = "unsolved"
STATUS_CHOICES = [
    ("", _("Any status")),
    (STATUS_SOLVED, _("Help: solved")),
    (STATUS_UNSOLVED, _("Help: not solved yet")),
    *(
        (value, format_lazy(_("Bug: {}"), Thread.Status(value).label))
        for value in Thread.BUG_STATUSES
    ),
    *(
        (value, format_lazy(_("Idea: {}"), Thread.Status(value).label))
        for value in Thread.IDEA_STATUSES
    ),
]
ORDER_RELEVANCE = "relevance"
ORDER_NEWEST = "newest"


def fold_text(text: str) -> str:
    """``text`` without accents ("Café" → "Cafe"; compatibility forms too: "ﬁ" → "fi").
    Used on both sides of the PostgreSQL index and by keyword watches."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def clean_query(query: str | None) -> str:
    """The query to search for, or a ValidationError keyed to ``q`` saying what to do."""
    # Control characters (NUL among them, which PostgreSQL refuses) count as spaces.
    query = " ".join((query or "").translate(_CONTROL_AS_SPACE).split())
    if not query:
        raise ValidationError({"q": EMPTY_QUERY_MESSAGE})
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            {
                "q": gettext(
                    "Searches can be at most %(max_query_length)s characters; this "
                    "one has %(count)s. Keep the two or three words that matter most "
                    "and search again."
                )
                % {"max_query_length": MAX_QUERY_LENGTH, "count": len(query)}
            }
        )
    if not _WORD.search(query):
        raise ValidationError({"q": NO_WORDS_MESSAGE})
    return query


def sqlite_fts_ready(using: str = "default") -> bool:
    """True when ``using`` is SQLite and has the FTS5 table. The migration creates it only
    when the SQLite library has FTS5, so its presence is what tells; looked up once per
    database (alias and name)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    key = (using, str(connection.settings_dict["NAME"]))
    if key not in _fts_ready:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
            )
            _fts_ready[key] = cursor.fetchone() is not None
    return _fts_ready[key]


_fts_ready: dict[tuple[str, str], bool] = {}


# --- Turning what people type into a query ---------------------------------------------


def _websearch_items(text: str) -> list[tuple[str, bool, list[str]]]:
    """What ``websearch_to_tsquery`` reads in ``text``, as (joiner, negated, words) items:
    a "quoted phrase" (an unclosed quote runs to the end), a word (punctuation splits it
    into a phrase of its parts: "don't" → don t), ``OR`` between two items, ``-`` before
    one to exclude it. Everything that is not a word character is dropped here."""
    items: list[tuple[str, bool, list[str]]] = []
    joiner = "AND"
    for match in re.finditer(r'(-?)"([^"]*)"?|(\S+)', text):
        negated = bool(match.group(1))
        chunk = match.group(2) if match.group(2) is not None else match.group(3)
        if match.group(3) is not None:
            if chunk.upper() == "OR" and items:
                joiner = "OR"
                continue
            if chunk.startswith("-") and len(chunk) > 1:
                negated, chunk = True, chunk[1:]
        words = _WORD.findall(chunk)
        if not words:
            continue
        items.append((joiner, negated, words))
        joiner = "AND"
    return items


def fts5_query(text: str) -> str:
    """A safe FTS5 query for what someone typed: every item becomes a quoted phrase of
    plain words (so no operator, bareword or quote of theirs reaches FTS5), joined with
    AND, OR and NOT as ``websearch_to_tsquery`` would. Empty when nothing is searchable."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    for joiner, negated, words in _websearch_items(text):
        phrase = '"' + " ".join(words) + '"'
        if negated:
            excluded.append(phrase)
        elif joiner == "OR" and groups:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
    if not groups:
        return ""  # FTS5 cannot search for "everything except"
    expression = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    for phrase in excluded:
        expression += f" NOT {phrase}"
    return expression


def marked_snippet(raw: str) -> SafeString:
    """HTML for a snippet the database marked with MARK_START/MARK_STOP: all text escaped,
    each marked run in <mark>, stray markers (a post may contain the characters) dropped."""
    parts = _MARKED.split(raw or "")
    html = []
    for index, part in enumerate(parts):
        text = escape(_MARKERS.sub("", part))
        html.append(f"<mark>{text}</mark>" if index % 2 and text else text)
    return mark_safe("".join(html))  # noqa: S308 - every part escaped above


def _plain_snippet(body: str, words: list[str], width: int = 220) -> SafeString:
    """A snippet for the fallback without FTS5: the text around the first word found, with
    every occurrence of the words marked."""
    folded = body.casefold()
    starts = [folded.find(word.casefold()) for word in words]
    first = min((s for s in starts if s >= 0), default=0)
    begin = max(0, first - width // 3)
    excerpt = body[begin : begin + width]
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
        excerpt = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_STOP}", excerpt)
    prefix = "… " if begin else ""
    suffix = " …" if begin + width < len(body) else ""
    return marked_snippet(prefix + excerpt + suffix)


# --- The search ------------------------------------------------------------------------


@dataclass
class SearchHit:
    post: Post
    thread: Thread
    snippet: SafeString
    rank: float


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _filtered_posts(*, user, board, author, date_from, date_to, status) -> QuerySet[Post]:
    posts = Post.objects.select_related("thread__board", "author").defer(
        "body_html", "search_vector"
    )
    if not getattr(user, "is_moderator", False):
        # Replies in a thread whose opening post is hidden (spam) would show its title.
        posts = posts.filter(is_hidden=False, thread__is_hidden=False)
    if board:
        posts = posts.filter(thread__board__slug=board.slug if isinstance(board, Board) else board)
    if author:
        posts = posts.filter(author__username__iexact=getattr(author, "username", author))
    if date_from:
        posts = posts.filter(created_at__gte=_day_start(date_from))
    if date_to:
        posts = posts.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    if status == STATUS_SOLVED:
        posts = posts.filter(thread__help_state=Thread.HelpState.SOLVED)
    elif status == STATUS_UNSOLVED:
        posts = posts.filter(
            thread__help_state__in=[
                Thread.HelpState.AWAITING_STAFF,
                Thread.HelpState.AWAITING_ASKER,
            ]
        )
    elif status:
        if status not in Thread.Status.values:
            raise ValidationError({"status": gettext("Choose one of the statuses in the list.")})
        posts = posts.filter(thread__status=status)
    return posts


def _postgres_search(posts: QuerySet[Post], query: str, order: str) -> QuerySet[Post]:
    folded = fold_text(query)
    match = SearchQuery(folded, config="english", search_type="websearch") | SearchQuery(
        folded, config="simple", search_type="websearch"
    )
    # Snippets are cut from the stored (unfolded) body, so the words as typed are asked
    # too: "café" is marked in "café" as well as in "cafe".
    shown = match | SearchQuery(query, config="english", search_type="websearch")
    posts = posts.filter(search_vector=match).annotate(
        rank=SearchRank(F("search_vector"), match),
        snippet_raw=SearchHeadline(
            "body",
            shown,
            config="english",
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    )
    if order == ORDER_NEWEST:
        return posts.order_by("-created_at", "-pk")
    return posts.order_by("-rank", "-created_at", "-pk")


def _sqlite_fts_search(posts: QuerySet[Post], query: str, order: str) -> QuerySet[Post]:
    expression = fts5_query(query)
    if not expression:
        return posts.none()
    # extra(): the FTS5 table has no model, and bm25()/snippet() only work in the query
    # that MATCHes it, so it is joined here rather than through a subquery.
    posts = posts.extra(  # noqa: S610 - constant SQL; the query is a parameter
        select={
            "fts_rank": f"bm25({FTS_TABLE}, 10.0, 1.0)",
            "snippet_raw": f"snippet({FTS_TABLE}, 1, %s, %s, ' … ', 30)",
        },
        select_params=[MARK_START, MARK_STOP],
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = forum_post.id", f"{FTS_TABLE} MATCH %s"],
        params=[expression],
    )
    if order == ORDER_NEWEST:
        return posts.order_by("-created_at", "-pk")
    return posts.order_by("fts_rank", "-created_at", "-pk")


def _fallback_search(posts: QuerySet[Post], query: str) -> QuerySet[Post]:
    for word in _WORD.findall(query):
        posts = posts.filter(Q(body__icontains=word) | Q(position=1, thread__title__icontains=word))
    return posts.order_by("-created_at", "-pk")


def search_queryset(
    *,
    query: str,
    user,
    board: Board | str | None = None,
    author=None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    order: str = ORDER_RELEVANCE,
) -> QuerySet[Post]:
    """Posts matching ``query`` and the filters that ``user`` may see, best first (or
    newest first with ``order="newest"``), annotated for :func:`hit_for`. Raises
    ValidationError (keyed to ``q`` or ``status``) for a query that cannot be searched.

    ``board``: a Board or its slug; ``author``: a username (any case); ``date_from`` /
    ``date_to``: days in the current time zone, both included; ``status``: one of
    STATUS_CHOICES."""
    query = clean_query(query)
    posts = _filtered_posts(
        user=user, board=board, author=author, date_from=date_from, date_to=date_to,
        status=status,
    )  # fmt: skip
    using = posts.db
    if connections[using].vendor == "postgresql":
        return _postgres_search(posts, query, order)
    if sqlite_fts_ready(using):
        return _sqlite_fts_search(posts, query, order)
    return _fallback_search(posts, query)


def hit_for(post: Post, query: str) -> SearchHit:
    """A result row for a post from :func:`search_queryset`."""
    raw = getattr(post, "snippet_raw", None)
    if raw is None:
        snippet = _plain_snippet(post.body, _WORD.findall(query))
    else:
        snippet = marked_snippet(raw)
    rank = getattr(post, "rank", None)
    if rank is None and getattr(post, "fts_rank", None) is not None:
        rank = -post.fts_rank  # bm25: lower is better
    return SearchHit(post=post, thread=post.thread, snippet=snippet, rank=float(rank or 0))


def board_choices() -> list[tuple[str, str]]:
    """(slug, name) of every board, for the search form's board filter."""
    return list(Board.objects.order_by("position", "name").values_list("slug", "name"))


# --- Keyword watches (staff) -----------------------------------------------------------


def keyword_watch_list(*, user) -> list[KeywordWatch]:
    """A staff member's saved terms, alphabetical."""
    return list(KeywordWatch.objects.filter(user=user).order_by(Lower("term"), "pk"))


def keyword_watch_get_for_user(*, user, watch_id: int) -> KeywordWatch:
    """One of ``user``'s watches, or 404 — the same for another member's and a missing one."""
    return get_object_or_404(KeywordWatch, pk=watch_id, user=user)

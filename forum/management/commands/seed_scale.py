"""Build a large forum for the scale benchmark: by default 50,000 members, 100,000
threads and 1,000,000 posts (one thread with 2,100 replies), in a few minutes.

The bulk goes in with PostgreSQL's COPY (psycopg 3), elsewhere with batched INSERTs, not
through the services: a service call per post would take hours. What the services would
have written is written here too:

- every body is Markdown rendered by ``forum.markup.render_markdown``. A few hundred
  distinct bodies are rendered once and reused cyclically (rendering a million costs more
  than the whole insert);
- on PostgreSQL every post carries the search vector ``forum.services.search`` would
  store (the body's part computed once per distinct body, the opening post's title part
  per thread);
- the temperature's hour rows (``BoardHour``) over the seed's time span, as the hourly
  task would have written them (also when a data set seeded earlier has none);
- every denormalised counter (a thread's replies and last post, a board's threads, posts
  and last post, a member's post count) is recounted from the rows at the end.

Idempotent: the seed's rows are recognised (members named ``scale-member-N``, threads on
the ``scale-*`` boards) and only what is missing is added, so a second run with the same
sizes adds nothing and a run with larger sizes tops up. Each run is one transaction.
"""

import io
import random
import sys
import time
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max, Min

from forum.management.bulk import Progress, RowSink
from forum.markup import RENDER_VERSION, render_markdown
from forum.models import Board, BoardHour, Post, Thread
from forum.search import fold_text
from forum.services import board_create
from moderation.services.temperature import temperature_rebuild

MEMBER_PREFIX = "scale-member-"
BIG_BOARD = ("scale-big", "Everything", "The busy board: almost every thread is here.")
SIDE_BOARD = ("scale-side", "Off topic", "A quiet board beside it.")
# Every SIDE_EVERY-th thread goes to the quiet board; the rest make one deep board.
SIDE_EVERY = 20
DISTINCT_BODIES = 400
BASE_TIME = datetime(2025, 1, 1, tzinfo=UTC)
THREAD_STEP = timedelta(minutes=5)
REPLY_STEP = timedelta(seconds=30)
PASSWORD = "scale-password"  # noqa: S105 - a throwaway data set's shared password

FEATURES = [
    "CSV export", "calendar sync", "two-factor sign-in", "the mobile app", "webhooks",
    "invoices", "the dashboard", "team invitations", "search", "single sign-on", "the API",
    "file uploads", "custom fields", "the audit log", "dark mode", "the import wizard",
]  # fmt: skip
PROBLEMS = [
    "stops working after the update", "shows the wrong time zone", "is slow with big lists",
    "drops rows with accented names", "asks me to sign in again", "returns a 502 now and then",
    "ignores the filter", "duplicates entries", "is missing for my teammates",
]  # fmt: skip
SNIPPETS = [
    "curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/v2/contacts?page=2",
    '{\n  "error": "rate_limited",\n  "retry_after": 30\n}',
]


def _title(rng: random.Random) -> str:
    return f"{rng.choice(FEATURES).capitalize()} {rng.choice(PROBLEMS)}"


def _body(rng: random.Random) -> str:
    parts = [
        f"Since last week **{rng.choice(FEATURES)}** {rng.choice(PROBLEMS)}. We have "
        f"{rng.randint(3, 60)} seats and nothing changed on our side.",
        "What I tried:\n\n"
        + "\n".join(f"- {rng.choice(FEATURES)}: {rng.choice(PROBLEMS)}" for _ in range(3)),
    ]
    if rng.random() < 0.4:
        parts.append("```\n" + rng.choice(SNIPPETS) + "\n```")
    if rng.random() < 0.5:
        parts.append(f"See https://example.com/kb/{rng.randint(100, 999)} for *more* detail.")
    rng.shuffle(parts)
    return "\n\n".join(parts)


def planned_replies(index: int, *, threads: int, posts: int, long_replies: int) -> int:
    """How many replies seed thread ``index`` (0-based) has at these sizes: thread 0 is the
    long one, the rest share the remaining replies evenly."""
    spare = max(posts - threads, 0)
    long_replies = min(long_replies, spare)
    if index == 0:
        return long_replies
    others = threads - 1
    share, extra = divmod(spare - long_replies, max(others, 1))
    return share + (1 if index <= extra else 0)


class Command(BaseCommand):
    help = "Seed a large data set (members, threads, posts) for the scale benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50_000)
        parser.add_argument("--threads", type=int, default=100_000)
        parser.add_argument("--posts", type=int, default=1_000_000, help="Opening posts included.")
        parser.add_argument("--long-replies", type=int, default=2_100)
        parser.add_argument("--quiet", action="store_true", help="No progress bars.")

    def handle(self, *args, members, threads, posts, long_replies, quiet, **options):
        if min(members, threads) < 1 or posts < threads:
            raise CommandError("Give at least one member and one thread, and posts ≥ threads.")
        self.stream = io.StringIO() if quiet else sys.stderr
        started = time.monotonic()
        with transaction.atomic():
            boards = self._boards()
            added_members = self._members(members)
            member_ids = list(
                get_user_model()
                .objects.filter(username__startswith=MEMBER_PREFIX)
                .order_by("pk")
                .values_list("pk", flat=True)[:members]
            )
            bodies = self._bodies()
            added_threads = self._threads(threads, boards, member_ids, bodies)
            added_posts = self._replies(threads, posts, long_replies, member_ids, bodies)
            added = added_members + added_threads + added_posts
            if added:
                self._recount(boards)
        if added and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Fresh statistics and visibility map: the list pages' index-only scans need both.
            with connection.cursor() as cursor:
                for table in ("accounts_user", "forum_board", "forum_thread", "forum_post"):
                    cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(
            f"Added {added_members:,} members, {added_threads:,} threads and "
            f"{added_threads + added_posts:,} posts in {time.monotonic() - started:.0f} s."
        )
        self._aggregate_temperature(boards, refresh=bool(added))

    def _aggregate_temperature(self, boards: list[Board], *, refresh: bool) -> None:
        """The temperature's hour rows over the seed's time span, as the hourly task would
        have written them: after adding rows, or when a data set seeded before the hour
        table existed has none."""
        if not refresh and BoardHour.objects.filter(board__in=boards).exists():
            return
        span = Post.objects.filter(thread__board__in=boards).aggregate(
            first=Min("created_at"), last=Max("created_at")
        )
        if span["first"] is None:
            return
        started = time.monotonic()
        rows = temperature_rebuild(start=span["first"], end=span["last"] + timedelta(hours=1))
        self.stdout.write(
            f"Aggregated the temperature ({rows:,} hour rows) in "
            f"{time.monotonic() - started:.0f} s."
        )

    def _progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, self.stream)

    def _boards(self) -> list[Board]:
        boards = []
        for position, (slug, name, description) in enumerate((BIG_BOARD, SIDE_BOARD), start=90):
            board = Board.objects.filter(slug=slug).first() or board_create(
                slug=slug, name=name, description=description, position=position
            )
            boards.append(board)
        return boards

    def _members(self, wanted: int) -> int:
        User = get_user_model()
        have = User.objects.filter(username__startswith=MEMBER_PREFIX).count()
        if have >= wanted:
            return 0
        fields = [f for f in User._meta.concrete_fields if not f.primary_key]
        password = make_password(PASSWORD)
        joined = BASE_TIME - timedelta(days=30)
        columns = [f.column for f in fields]
        taken = set(
            User.objects.filter(username__startswith=MEMBER_PREFIX).values_list(
                "username", flat=True
            )
        )
        progress = self._progress("members", wanted - have)

        def rows():
            number = 0
            made = have
            while made < wanted:
                username = f"{MEMBER_PREFIX}{number}"
                number += 1
                if username in taken:
                    continue
                made += 1
                values = {
                    "username": username,
                    "email": f"{username}@example.com",
                    "password": password,
                    "date_joined": joined,
                    "display_name": f"Member {number}",
                }
                row = []
                for field in fields:
                    value = values.get(field.attname, field.get_default())
                    row.append(field.get_db_prep_save(value, connection))
                yield tuple(row)

        RowSink(User._meta.db_table, columns, progress).write(rows())
        progress.close()
        return wanted - have

    def _bodies(self) -> list[tuple[str, str, str | None]]:
        """(markdown, html, body's search vector as text or None) for each distinct body."""
        rng = random.Random(7)  # noqa: S311 - sample text, not secrets
        sources = [_body(rng) for _ in range(DISTINCT_BODIES)]
        progress = self._progress("render", len(sources))
        rendered = []
        for source in sources:
            rendered.append(render_markdown(source, mentions={}))
            progress.advance()
        progress.close()
        vectors = [None] * len(sources)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT (setweight(to_tsvector('english'::regconfig, b), 'B')"
                    " || setweight(to_tsvector('simple'::regconfig, b), 'B'))::text"
                    " FROM unnest(%s::text[]) WITH ORDINALITY AS t(b, n) ORDER BY n",
                    [[fold_text(source) for source in sources]],
                )
                vectors = [row[0] for row in cursor.fetchall()]
        return list(zip(sources, rendered, vectors, strict=True))

    def _seed_threads(self):
        return Thread.objects.filter(board__slug__in=(BIG_BOARD[0], SIDE_BOARD[0]))

    def _threads(self, wanted, boards, member_ids, bodies) -> int:
        have = self._seed_threads().count()
        if have >= wanted:
            return 0
        big, side = boards
        rng = random.Random(11)  # noqa: S311 - sample text, not secrets
        titles = [_title(rng) for _ in range(500)]
        progress = self._progress("threads", wanted - have)
        columns = [
            "board_id", "author_id", "title", "created_at", "is_pinned", "reply_count",
            "last_activity_at", "is_hidden", "hidden_reply_count", "help_state",
            "status", "status_reason", "vote_count", "affected_count",
        ]  # fmt: skip
        blanks = ("", "", "", 0, 0)

        def rows():
            for index in range(have, wanted):
                board = side if index % SIDE_EVERY == SIDE_EVERY - 1 else big
                created = BASE_TIME + THREAD_STEP * index
                author = member_ids[(index * 7919) % len(member_ids)]
                title = f"{titles[index % len(titles)]} ({index + 1})"
                yield (board.pk, author, title, created, False, 0, created, False, 0, *blanks)

        RowSink(Thread._meta.db_table, columns, progress).write(rows())
        progress.close()
        new = list(self._seed_threads().order_by("pk").values_list("pk", "created_at", "author_id"))
        new = new[have:]
        progress = self._progress("openers", len(new))
        post_rows = (
            self._post_row(thread_id, author, 1, created, bodies[(thread_id * 31) % len(bodies)])
            for thread_id, created, author in new
        )
        RowSink(Post._meta.db_table, POST_COLUMNS, progress).write(post_rows)
        progress.close()
        if connection.vendor == "postgresql" and new:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE forum_post p SET search_vector ="
                    " setweight(to_tsvector('english'::regconfig, t.title), 'A')"
                    " || setweight(to_tsvector('simple'::regconfig, t.title), 'A')"
                    " || p.search_vector"
                    " FROM forum_thread t WHERE p.thread_id = t.id AND p.position = 1"
                    " AND t.id >= %s AND t.board_id = ANY(%s)",
                    [new[0][0], [big.pk, side.pk]],
                )
        return len(new)

    @staticmethod
    def _post_row(thread_id, author_id, position, created, body):
        source, html, vector = body
        return (
            thread_id, author_id, position, source, html, RENDER_VERSION, created, 1, False,
            "", "{}", False, "", False, vector,
        )  # fmt: skip

    def _replies(self, threads, posts, long_replies, member_ids, bodies) -> int:
        existing = list(
            self._seed_threads()
            .order_by("pk")
            .values_list("pk", "created_at")
            .annotate(last=Max("posts__position"))[:threads]
        )
        plan = []
        for index, (thread_id, created, last) in enumerate(existing):
            missing = planned_replies(
                index, threads=threads, posts=posts, long_replies=long_replies
            ) - ((last or 1) - 1)
            if missing > 0:
                plan.append((thread_id, created, last or 1, missing))
        total = sum(item[3] for item in plan)
        if not total:
            return 0
        progress = self._progress("replies", total)

        def rows():
            turn = 0
            for thread_id, created, last, missing in plan:
                for position in range(last + 1, last + missing + 1):
                    turn += 1
                    author = member_ids[(thread_id * 131 + position * 17) % len(member_ids)]
                    yield self._post_row(
                        thread_id, author, position, created + REPLY_STEP * (position - 1),
                        bodies[turn % len(bodies)],
                    )  # fmt: skip

        RowSink(Post._meta.db_table, POST_COLUMNS, progress).write(rows())
        progress.close()
        return total

    def _recount(self, boards) -> None:
        """Every denormalised counter the seed touches, recounted from the rows."""
        board_ids = tuple(board.pk for board in boards)
        statements = [
            (
                "UPDATE forum_thread SET"
                " reply_count = (SELECT MAX(p.position) FROM forum_post p"
                "   WHERE p.thread_id = forum_thread.id) - 1,"
                " last_post_id = (SELECT p.id FROM forum_post p"
                "   WHERE p.thread_id = forum_thread.id ORDER BY p.position DESC LIMIT 1),"
                " last_poster_id = (SELECT p.author_id FROM forum_post p"
                "   WHERE p.thread_id = forum_thread.id ORDER BY p.position DESC LIMIT 1),"
                " last_activity_at = (SELECT p.created_at FROM forum_post p"
                "   WHERE p.thread_id = forum_thread.id ORDER BY p.position DESC LIMIT 1)"
                " WHERE board_id IN (%s, %s)",
                board_ids,
            ),
            (
                "UPDATE forum_board SET"
                " thread_count = (SELECT COUNT(*) FROM forum_thread t"
                "   WHERE t.board_id = forum_board.id AND NOT t.is_hidden),"
                " post_count = (SELECT COUNT(*) FROM forum_post p JOIN forum_thread t"
                "   ON t.id = p.thread_id WHERE t.board_id = forum_board.id"
                "   AND NOT t.is_hidden AND NOT p.is_hidden),"
                " last_post_id = (SELECT t.last_post_id FROM forum_thread t"
                "   WHERE t.board_id = forum_board.id AND NOT t.is_hidden"
                "   ORDER BY t.last_activity_at DESC, t.id DESC LIMIT 1),"
                " last_activity_at = (SELECT MAX(t.last_activity_at) FROM forum_thread t"
                "   WHERE t.board_id = forum_board.id AND NOT t.is_hidden)"
                " WHERE id IN (%s, %s)",
                board_ids,
            ),
            (
                "UPDATE accounts_user SET post_count = (SELECT COUNT(*) FROM forum_post p"
                " JOIN forum_thread t ON t.id = p.thread_id WHERE p.author_id = accounts_user.id"
                " AND NOT p.is_hidden AND NOT t.is_hidden)"
                " WHERE username LIKE %s",
                (MEMBER_PREFIX + "%",),
            ),
        ]
        progress = self._progress("counters", len(statements))
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                progress.advance()
        progress.close()


POST_COLUMNS = [
    "thread_id", "author_id", "position", "body", "body_html", "body_html_version",
    "created_at", "revision_count", "is_hidden", "hidden_rule_code", "screening",
    "posted_during_lock", "submission_key", "is_official_answer", "search_vector",
]  # fmt: skip

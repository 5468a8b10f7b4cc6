"""Search benchmark: ``.venv/bin/python bench/search.py`` (about two minutes).

1. Recreates the PostgreSQL database ``porchlight_search`` (BENCH_DATABASE_NAME) and
   migrates it (migration 0006 creates the GIN index on ``forum_post.search_vector``).
2. Seeds SEARCH_POSTS posts (default 20,000) in threads of 1–8 posts over the three boards,
   written by 200 members. Threads and posts are bulk-inserted (the services would take
   several minutes for 20,000 posts and nothing in search depends on their counters); the
   bodies are rendered with the one Markdown pipeline, and the index is filled by
   ``forum.services.search.reindex_posts`` — ``index_post`` for every post, the very
   function the services call on write.
   Text: a fixed vocabulary of ~100 support words drawn with Zipf-like weights (so "error"
   or "sync" appear in thousands of posts) plus 2,000 invented rare words (each in a
   handful of posts; the rare queries pick words that were used), random but seeded, so
   every run builds the same data.
3. Times 200 searches in-process through ``forum.selectors.search.search_posts`` (capped
   count + first page of 20 hits with snippets, as the page does), for an anonymous
   reader: 100 common single words, 50 common pairs, 50 rare words. Reports p50/p95/max
   per query, with the GIN index and again after dropping it (``ANALYZE`` after each
   change), and EXPLAIN ANALYZE for a common and a rare query in both states. The index
   is recreated afterwards.
4. Times ``index_post`` for 200 existing posts (the cost each new post or edit pays).

Writes bench/results/<date>-search.md. Environment knobs: SEARCH_POSTS (20000),
SEARCH_QUERIES (200), BENCH_DATABASE_NAME (porchlight_search), BENCH_PG (127.0.0.1:5432).
"""

import datetime as dt
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "porchlight_search")
PG_HOST, _, PG_PORT = os.environ.get("BENCH_PG", "127.0.0.1:5432").partition(":")
POSTS = int(os.environ.get("SEARCH_POSTS", "20000"))
QUERIES = int(os.environ.get("SEARCH_QUERIES", "200"))
SEED = 20261122

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{DB_NAME}",
        # Production mode, so Django keeps no per-query log in memory.
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
)
os.environ.pop("REDIS_URL", None)

_COMMON_TEXT = (
    "error sync login export import printer crash update install password account billing "
    "invoice refund email notification upload download backup restore settings profile "
    "dashboard report chart filter search slow timeout network server browser mobile app "
    "android iphone windows mac linux screen button page link file folder photo video "
    "audio share team invite permission admin plan subscription trial license key token "
    "api webhook integration calendar reminder task project comment message chat "
    "keyboard mouse display font language translation spreadsheet csv pdf print scan "
    "camera bluetooth wifi battery storage disk memory cache cookie session logout "
    "crashes crashed failing failed broken stuck frozen missing wrong duplicate"
)
COMMON = _COMMON_TEXT.split()
_FILLER_TEXT = (
    "the a to and of it is in my when i on for with this that but not after "
    "again every time since yesterday today still also just please help thanks"
)
FILLER = _FILLER_TEXT.split()


def log(message: str) -> None:
    print(f"[search-bench] {message}", flush=True)


def pg(*args: str) -> str:
    cmd = [args[0], "-h", PG_HOST, "-p", PG_PORT, "-U", "postgres", *args[1:]]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def invented_words(rng: random.Random, n: int) -> list[str]:
    syllables = ["zor", "blax", "quin", "tev", "mur", "pli", "dax", "fen", "gru", "hol", "vik"]
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(syllables) for _ in range(rng.choice((3, 4)))))
    return sorted(words)


def seed(rng: random.Random, rare: list[str]) -> list[str]:
    """Insert the posts and index them; returns the rare words that were used."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.services import user_create
    from forum.markup import RENDER_VERSION, render_markdown
    from forum.models import Board, Post, Thread
    from forum.services.search import reindex_posts

    weights = [1 / (rank + 1) for rank in range(len(COMMON))]
    boards = list(Board.objects.all())
    authors = [
        user_create(username=f"bench{n}", email=f"bench{n}@example.com", password=None)
        for n in range(200)
    ]

    def sentence(words: int) -> str:
        picked = []
        for _ in range(words):
            roll = rng.random()
            if roll < 0.45:
                picked.append(rng.choice(FILLER))
            elif roll < 0.995:
                picked.append(rng.choices(COMMON, weights)[0])
            else:
                word = rng.choice(rare)
                used.add(word)
                picked.append(word)
        return " ".join(picked).capitalize() + "."

    used: set[str] = set()
    now = timezone.now()
    started = time.perf_counter()
    made = 0
    with transaction.atomic():
        while made < POSTS:
            batch_threads, batch_posts = [], []
            for _ in range(200):
                if made >= POSTS:
                    break
                size = min(rng.randint(1, 8), POSTS - made)
                when = now - dt.timedelta(minutes=POSTS - made)
                thread = Thread(
                    board=rng.choice(boards),
                    author=rng.choice(authors),
                    title=sentence(rng.randint(4, 8)).rstrip(".")[:150],
                    created_at=when,
                    last_activity_at=when,
                    reply_count=size - 1,
                )
                batch_threads.append((thread, size, when))
                made += size
            Thread.objects.bulk_create([t for t, _, _ in batch_threads])
            for thread, size, when in batch_threads:
                for position in range(1, size + 1):
                    body = " ".join(sentence(rng.randint(6, 16)) for _ in range(rng.randint(2, 6)))
                    batch_posts.append(
                        Post(
                            thread=thread,
                            author=rng.choice(authors),
                            position=position,
                            body=body,
                            body_html=render_markdown(body, mentions={}),
                            body_html_version=RENDER_VERSION,
                            created_at=when + dt.timedelta(seconds=position),
                        )
                    )
            Post.objects.bulk_create(batch_posts)
    log(f"inserted {made} posts in {time.perf_counter() - started:.1f} s; indexing")
    started = time.perf_counter()
    indexed = reindex_posts()
    log(f"indexed {indexed} posts with index_post in {time.perf_counter() - started:.1f} s")
    return sorted(used)


def queries(rng: random.Random, rare: list[str]) -> list[tuple[str, str]]:
    common_words = COMMON[:40]
    picked = []
    for n in range(QUERIES):
        kind = n % 4
        if kind in (0, 1):
            picked.append(("common word", rng.choice(common_words)))
        elif kind == 2:
            picked.append(("common pair", " ".join(rng.sample(common_words, 2))))
        else:
            picked.append(("rare word", rng.choice(rare)))
    return picked


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_searches(picked: list[tuple[str, str]]) -> dict:
    from django.contrib.auth.models import AnonymousUser

    from forum.selectors.search import search_posts

    anonymous = AnonymousUser()
    for _, query in picked[:10]:  # warm up
        search_posts(query=query, user=anonymous)
    timings: dict[str, list[float]] = {"all": []}
    hits: dict[str, list[int]] = {}
    for kind, query in picked:
        started = time.perf_counter()
        page = search_posts(query=query, user=anonymous)
        list(page.object_list)
        elapsed = (time.perf_counter() - started) * 1000
        timings["all"].append(elapsed)
        timings.setdefault(kind, []).append(elapsed)
        hits.setdefault(kind, []).append(page.paginator.count)
    return {"timings": timings, "hits": hits}


def explain(query: str) -> str:
    from django.contrib.auth.models import AnonymousUser

    from forum.search import search_queryset

    posts = search_queryset(query=query, user=AnonymousUser())
    return posts[:20].explain(analyze=True, verbose=True)


def run_sql(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)


def time_index_post(rng: random.Random) -> list[float]:
    from django.db import transaction

    from forum.models import Post
    from forum.services.search import index_post

    ids = rng.sample(list(Post.objects.values_list("pk", flat=True)), 200)
    timings = []
    for post in Post.objects.select_related("thread").filter(pk__in=ids):
        started = time.perf_counter()
        with transaction.atomic():
            index_post(post=post, thread=post.thread)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def table(results: dict) -> list[str]:
    lines = [
        "| Queries | n | p50 | p95 | max | matching posts (median) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind in ("all", "common word", "common pair", "rare word"):
        values = results["timings"][kind]
        matched = (
            statistics.median(results["hits"][kind])
            if kind != "all"
            else statistics.median(sum(results["hits"].values(), []))
        )
        lines.append(
            f"| {kind} | {len(values)} | {percentile(values, 50):.1f} ms | "
            f"{percentile(values, 95):.1f} ms | {max(values):.1f} ms | {matched:,.0f} |"
        )
    return lines


def main() -> None:
    log(f"recreating {DB_NAME}")
    pg("dropdb", "--if-exists", "--force", DB_NAME)
    pg("createdb", DB_NAME)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    rare = invented_words(rng, 2000)
    used_rare = seed(rng, rare)
    run_sql("ANALYZE")
    picked = queries(rng, used_rare)
    common_probe, rare_probe = picked[0][1], picked[3][1]

    log("searching with the GIN index")
    with_index = time_searches(picked)
    plan_common_with = explain(common_probe)
    plan_rare_with = explain(rare_probe)
    log("dropping the GIN index")
    run_sql("DROP INDEX post_search_vector_gin")
    run_sql("ANALYZE")
    without_index = time_searches(picked)
    plan_common_without = explain(common_probe)
    plan_rare_without = explain(rare_probe)
    run_sql("CREATE INDEX post_search_vector_gin ON forum_post USING gin (search_vector)")
    run_sql("ANALYZE")
    writes = time_index_post(rng)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (pg_version,) = cursor.fetchone()
        cursor.execute("SELECT pg_size_pretty(pg_relation_size('post_search_vector_gin'))")
        (gin_size,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM forum_post")
        (post_total,) = cursor.fetchone()
    import django as dj

    now = dt.datetime.now(dt.UTC)
    lines = [
        f"# Search benchmark, {now:%Y-%m-%d %H:%M} UTC",
        "",
        "Command: `.venv/bin/python bench/search.py`",
        "",
        f"- Posts: {post_total:,}; GIN index size {gin_size}",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Django {dj.get_version()}",
        f"- PostgreSQL: {pg_version}",
        f"- Searches: {len(picked)} through `forum.selectors.search.search_posts` (capped "
        "count + page of 20 with snippets), anonymous reader, in-process",
        "",
        "## With the GIN index",
        "",
        *table(with_index),
        "",
        "## Without it (DROP INDEX post_search_vector_gin; ANALYZE)",
        "",
        *table(without_index),
        "",
        "## index_post (one UPDATE per post, what each new post or edit pays)",
        "",
        f"200 posts: p50 {percentile(writes, 50):.2f} ms, p95 {percentile(writes, 95):.2f} ms, "
        f"max {max(writes):.2f} ms",
        "",
        f"## EXPLAIN ANALYZE, common word “{common_probe}”, with the index",
        "",
        "```",
        plan_common_with,
        "```",
        "",
        f"## EXPLAIN ANALYZE, rare word “{rare_probe}”, with the index",
        "",
        "```",
        plan_rare_with,
        "```",
        "",
        f"## EXPLAIN ANALYZE, common word “{common_probe}”, without the index",
        "",
        "```",
        plan_common_without,
        "```",
        "",
        f"## EXPLAIN ANALYZE, rare word “{rare_probe}”, without the index",
        "",
        "```",
        plan_rare_without,
        "```",
        "",
    ]
    out = ROOT / "bench" / "results" / f"{now:%Y-%m-%d}-search.md"
    out.write_text("\n".join(lines))
    print("\n".join(lines[:30]))
    log(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

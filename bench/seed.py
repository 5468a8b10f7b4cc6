"""Seed the benchmark database through the real services and print what the load run needs.

Run by ``bench/run.py`` as ``python -m bench.seed`` with the benchmark environment
(DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL pointing at ``porchlight_bench``).
It expects a freshly migrated database: the Help board gets 1,000 threads, 999 with one
post each and, written last, one with 20 posts (opening post + 19 replies), which is
the newest and so the first row of the board's first page. Prints one JSON object.
"""

import json
import os
import random
import sys
from urllib.parse import urlencode

import django

BOARD_SLUG = "help"
THREAD_COUNT = 1000
LONG_THREAD_POSTS = 20
READER_USERNAME = "bench-reader"

MEMBERS = [
    ("jamie", "Jamie"),
    ("priya", "Priya N."),
    ("dmitri", "Dmitri"),
    ("aiko", "Aiko Tanaka"),
    ("lars", "Lars"),
    ("fatima", "Fatima Z."),
    ("tom", "Tom Okafor"),
    ("zoe", "Zoë"),
    ("marta", "Marta"),
    ("kwame", "Kwame A."),
]
STAFF = ("sam", "Sam Rivera", "Support Engineer")
MODERATOR = ("morgan", "Morgan")

FEATURES = [
    "CSV export", "the calendar sync", "two-factor sign-in", "the mobile app", "webhooks",
    "invoices", "the dashboard chart", "team invitations", "the search box", "SSO with Okta",
    "the API rate limit", "email notifications", "the Zapier integration", "file uploads",
    "custom fields", "the audit log", "dark mode", "bulk editing", "the import wizard",
]  # fmt: skip
PROBLEMS = [
    "stops working after the latest update", "shows the wrong time zone",
    "is slow with more than 5,000 records", "drops rows with non-ASCII names",
    "asks me to sign in again every hour", "returns a 502 now and then",
    "ignores the filter I set", "duplicates entries when I click twice",
    "doesn't show up for my teammates", "fails silently on large files",
]  # fmt: skip
QUESTIONS = [
    "How do I set up {feature} for a team of twenty?",
    "Is there a way to limit {feature} to one project?",
    "{Feature} {problem}",
    "Can {feature} be automated from the API?",
    "Best practice for {feature} with several workspaces?",
    "{Feature}: {problem} since Tuesday",
]
CODE_SNIPPETS = [
    "curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/v2/contacts?page=2",
    'import requests\nr = requests.get(URL, timeout=10)\nprint(r.status_code, r.json()["errors"])',
    "Settings → Integrations → Webhooks → Add endpoint\nEvents: contact.created, contact.updated",
    '{\n  "error": "rate_limited",\n  "retry_after": 30\n}',
]


def _title(rng: random.Random, number: int) -> str:
    feature = rng.choice(FEATURES)
    title = rng.choice(QUESTIONS).format(
        feature=feature, Feature=feature[0].upper() + feature[1:], problem=rng.choice(PROBLEMS)
    )
    return f"{title} (#{number})"


def _body(rng: random.Random) -> str:
    """A few hundred to ~1,500 characters of the Markdown people actually write here."""
    feature = rng.choice(FEATURES)
    parts = [
        f"Since last week **{feature}** {rng.choice(PROBLEMS)}. We're on the *Team* plan "
        f"with {rng.randint(3, 60)} seats and nothing changed on our side as far as I know.",
        "What I tried:\n\n"
        + "\n".join(
            f"{i}. {step}"
            for i, step in enumerate(
                rng.sample(
                    [
                        "Signed out and back in",
                        "Cleared the browser cache",
                        "Tried Firefox and Chrome",
                        "Removed and re-added the integration",
                        "Checked the [status page](https://status.example.com)",
                        "Asked a teammate to try with their account",
                    ],
                    k=rng.randint(2, 4),
                ),
                start=1,
            )
        ),
    ]
    if rng.random() < 0.5:
        parts.append(f"The request and what comes back:\n\n```\n{rng.choice(CODE_SNIPPETS)}\n```")
    if rng.random() < 0.3:
        parts.append(
            "| Browser | Works? |\n|---|---|\n| Firefox 128 | no |\n| Chrome 126 | no |\n"
            "| Safari 17 | yes |"
        )
    parts.append(
        rng.choice(
            [
                "Is there a setting I'm missing? Thanks in advance.",
                "Any pointers appreciated — this blocks our month-end report.",
                "Happy to send logs to support if that helps.",
            ]
        )
    )
    return "\n\n".join(parts)


def _reply(rng: random.Random, *, staff: bool) -> str:
    if staff:
        return (
            "Thanks for the detailed report — I can reproduce it. Until the fix ships, "
            "this works around it:\n\n"
            f"```\n{rng.choice(CODE_SNIPPETS)}\n```\n\n"
            "I'll post here again when the release is out. If it still fails after that, "
            "reply with the **request ID** from the error banner."
        )
    return rng.choice(
        [
            "Same here on the *Team* plan. Following.",
            "That workaround fixed it for us, thanks!\n\n- export finished in 40 s\n"
            "- all rows present",
            "We see it too, but only for workspaces created before March. "
            "Could it be an old setting?",
            "For what it's worth, switching to **CSV (UTF-8)** in the format menu made it go "
            "away for me. See also [the docs](https://docs.example.com/export).",
            "> only for workspaces created before March\n\nConfirmed: our new workspace is fine, "
            "the old one isn't.",
        ]
    )


def seed() -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.access_tokens import Scope, access_token_create
    from accounts.roles import Role
    from accounts.services import user_create
    from forum.models import Board
    from forum.services import post_create, thread_create

    # The bench's own Redis database: forget write budgets left over from the last run,
    # whose user ids the freshly created database hands out again.
    cache.clear()
    rng = random.Random(20480)
    board = Board.objects.get(slug=BOARD_SLUG)
    members = [
        user_create(username=u, email=f"{u}@example.com", password=None, display_name=name)
        for u, name in MEMBERS
    ]
    staff = user_create(
        username=STAFF[0],
        email=f"{STAFF[0]}@example.com",
        password=None,
        role=Role.STAFF,
        display_name=STAFF[1],
        job_title=STAFF[2],
    )
    moderator = user_create(
        username=MODERATOR[0],
        email=f"{MODERATOR[0]}@example.com",
        password=None,
        role=Role.MODERATOR,
        display_name=MODERATOR[1],
    )
    reader = user_create(
        username=READER_USERNAME,
        email=f"{READER_USERNAME}@example.com",
        password=None,
        display_name="Bench Reader",
    )

    for number in range(1, THREAD_COUNT):
        thread_create(
            board=board, author=rng.choice(members), title=_title(rng, number), body=_body(rng)
        )

    long_thread = thread_create(
        board=board,
        author=members[0],
        title="Export to CSV drops rows with non-ASCII names — long thread",
        body=_body(rng),
    )
    repliers = [*members, staff, moderator]
    for position in range(2, LONG_THREAD_POSTS + 1):
        author = staff if position % 5 == 2 else rng.choice(repliers)
        post_create(thread=long_thread, author=author, body=_reply(rng, staff=author == staff))

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(reader)
    session_cookie = client.cookies["sessionid"].value
    # The same reader through the JSON API, with a read token of their own.
    api_token = access_token_create(user=reader, name="bench", scope=Scope.READ).raw
    api = {"HTTP_AUTHORIZATION": f"Bearer {api_token}", "HTTP_HOST": "127.0.0.1"}
    api_client = Client(HTTP_X_FORWARDED_PROTO="https")
    api_board = f"/api/v1/boards/{board.slug}/threads"
    first_page = api_client.get(api_board, **api)
    if first_page.status_code != 200 or not first_page.json()["next"]:
        raise SystemExit(f"seed: {api_board} answered {first_page.status_code} in-process")

    paths = {
        "board": board.get_absolute_url(),
        "thread": long_thread.get_absolute_url(),
        "api_board": api_board,
        "api_board_cursor": f"{api_board}?{urlencode({'cursor': first_page.json()['next']})}",
        "api_thread_posts": f"/api/v1/threads/{long_thread.pk}/posts",
        "api_thread": f"/api/v1/threads/{long_thread.pk}",
    }
    # Each page twice: cold (nothing stored yet; the reader's first visit, which marks the
    # thread read) and then warm, as the load measures it.
    queries, queries_cold = {}, {}
    for name, path, signed_in in [
        ("board (anonymous)", paths["board"], False),
        ("thread (anonymous)", paths["thread"], False),
        ("thread (signed in)", paths["thread"], True),
    ]:
        page_client = client if signed_in else Client(HTTP_X_FORWARDED_PROTO="https")
        for counted in (queries_cold, queries):
            with CaptureQueriesContext(connection) as captured:
                response = page_client.get(path, HTTP_HOST="127.0.0.1")
            if response.status_code != 200:
                raise SystemExit(f"seed: {path} answered {response.status_code} in-process")
            counted[name] = [query["sql"] for query in captured.captured_queries]
    # The API the same way; the conditional read sends the ETag its first answer carried.
    etag = api_client.get(paths["api_thread"], **api)["ETag"]
    for name, path, headers, expected in [
        ("API: board threads", paths["api_board"], api, 200),
        ("API: board threads, cursor", paths["api_board_cursor"], api, 200),
        ("API: thread posts", paths["api_thread_posts"], api, 200),
        (
            "API: thread, If-None-Match",
            paths["api_thread"],
            {**api, "HTTP_IF_NONE_MATCH": etag},
            304,
        ),
    ]:
        for counted in (queries_cold, queries):
            with CaptureQueriesContext(connection) as captured:
                response = api_client.get(path, **headers)
            if response.status_code != expected:
                raise SystemExit(f"seed: {path} answered {response.status_code} in-process")
            counted[name] = [query["sql"] for query in captured.captured_queries]

    return {
        "board_path": paths["board"],
        "thread_path": paths["thread"],
        "thread_posts": long_thread.post_total,
        "board_threads": Board.objects.get(pk=board.pk).thread_count,
        "session_cookie": session_cookie,
        "reader_name": reader.public_name,
        "api_token": api_token,
        "api_paths": {name: path for name, path in paths.items() if name.startswith("api_")},
        "queries": queries,
        "queries_cold": queries_cold,
    }


def main() -> None:
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        sys.exit("Run through bench/run.py, which sets up the benchmark environment.")
    django.setup()
    print(json.dumps(seed()))


if __name__ == "__main__":
    main()

"""The JSON API's targets in `make bench`: sent with the reader's token (kept out of the
report), the conditional read with its ETag, their answers checked, and their figures in
latest.json beside the pages' without changing the pages' keys."""

import json

import pytest

from bench import run as bench

SEEDED = {
    "session_cookie": "s3ss10n",
    "api_token": "plt_s3cr3t",
    "board_path": "/b/help/",
    "thread_path": "/t/7/",
    "thread_posts": 20,
    "api_paths": {
        "api_board": "/api/v1/boards/help/threads",
        "api_board_cursor": "/api/v1/boards/help/threads?cursor=abc",
        "api_thread_posts": "/api/v1/threads/7/posts",
        "api_thread": "/api/v1/threads/7",
    },
}
QUERIES = {
    "board (anonymous)": ["SELECT 1"] * 4,
    "thread (anonymous)": ["SELECT 1"] * 5,
    "thread (signed in)": ["SELECT 1"] * 9,
    "API: board threads": ["SELECT 1"] * 3,
    "API: board threads, cursor": ["SELECT 1"] * 3,
    "API: thread posts": ["SELECT 1"] * 3,
    "API: thread, If-None-Match": ["SELECT 1"] * 3,
}


def _measured(targets: list) -> list:
    for n, target in enumerate(targets):
        target.result = {
            "rps": 100.0 + n,
            "requests": 1000,
            "p50_ms": 20.0,
            "p99_ms": 90.0,
            "non_2xx": 0,
            "socket_errors": "",
            "timeouts": 0,
        }
    return targets


def test_the_api_is_loaded_with_the_readers_token_and_the_etag():
    targets = {t.name: t for t in bench.targets_for(SEEDED)}
    endpoint = bench.Endpoint("http", 8000)

    posts = bench.wrk_command(endpoint, targets["API: thread posts"], 10)
    assert posts[-1] == "http://127.0.0.1:8000/api/v1/threads/7/posts"
    assert "Authorization: Bearer plt_s3cr3t" in posts
    assert not any(h.startswith("Cookie:") for h in posts)

    conditional = targets["API: thread, If-None-Match"]
    assert conditional.conditional
    conditional.headers["If-None-Match"] = 'W/"abc"'
    assert 'If-None-Match: W/"abc"' in bench.wrk_command(endpoint, conditional, 10)


def test_the_report_shows_neither_the_token_nor_the_session():
    targets = {t.name: t for t in bench.targets_for(SEEDED)}
    endpoint = bench.Endpoint("http", 8000)
    api = bench.recorded_command(
        bench.wrk_command(endpoint, targets["API: board threads"], 10), SEEDED
    )
    page = bench.recorded_command(
        bench.wrk_command(endpoint, targets["thread (signed in)"], 10), SEEDED
    )

    assert "plt_s3cr3t" not in api
    assert "Authorization: Bearer plt_…" in api
    assert "s3ss10n" not in page
    assert "Cookie: sessionid=…" in page


def test_api_figures_sit_beside_the_pages_in_the_same_shape(tmp_path):
    summary = bench.json_summary({"direct": _measured(bench.targets_for(SEEDED))}, QUERIES)
    written = json.loads(bench.write_latest_json(summary, tmp_path / "latest.json").read_text())

    assert written["thread_signed_in"]["queries"] == 9
    for key in bench.API_PAGES:
        assert type(written[key]["rps"]) is float
        assert type(written[key]["p50_ms"]) is float
        assert written[key]["queries"] == 3
    assert written["api_thread_posts"]["rps"] == 106.0
    assert written["errors"] == 0


def _page(results: int, *, next_: str | None = "n", previous: str | None = None) -> str:
    return json.dumps({"results": [{}] * results, "next": next_, "previous": previous})


def test_api_answers_are_checked_for_what_they_should_hold():
    targets = {t.name: t for t in bench.targets_for(SEEDED)}
    bench.check_api_answer(targets["API: board threads"], _page(25), SEEDED)
    bench.check_api_answer(targets["API: board threads, cursor"], _page(25, previous="p"), SEEDED)
    bench.check_api_answer(targets["API: thread posts"], _page(20, next_=None), SEEDED)
    bench.check_api_answer(targets["API: thread, If-None-Match"], "", SEEDED)

    with pytest.raises(bench.BenchError, match="25 threads"):
        bench.check_api_answer(targets["API: board threads"], _page(3), SEEDED)
    with pytest.raises(bench.BenchError, match="previous"):
        bench.check_api_answer(targets["API: board threads, cursor"], _page(25), SEEDED)
    with pytest.raises(bench.BenchError, match="20 posts"):
        bench.check_api_answer(targets["API: thread posts"], _page(19, next_=None), SEEDED)
    with pytest.raises(bench.BenchError, match="304 with a body"):
        bench.check_api_answer(targets["API: thread, If-None-Match"], "{}", SEEDED)

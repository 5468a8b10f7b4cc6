"""bench/results/latest.json is a contract: its shape is checked here on a small made-up
run, both straight to uvicorn and through nginx. BENCH_SMOKE=1 also runs `make bench`
for real for one second a page (PostgreSQL, Redis and wrk needed)."""

import json
import os
import subprocess
import sys

import pytest

from bench import run as bench

PAGE_KEYS = {"rps": float, "p50_ms": float, "p99_ms": float, "queries": int}
QUERIES = {
    "board (anonymous)": ["SELECT 1"] * 4,
    "thread (anonymous)": ["SELECT 1"] * 5,
    "thread (signed in)": ["SELECT 1"] * 9,
}


def _wrk(rps: float, *, non_2xx: int = 0, socket_errors: str = "") -> dict:
    return {
        "rps": rps,
        "requests": int(rps * 5),
        "p50_ms": 12.5,
        "p99_ms": 80.0,
        "non_2xx": non_2xx,
        "socket_errors": socket_errors,
        "timeouts": 0,
    }


def _targets(*, non_2xx: int = 0, socket_errors: str = "") -> list:
    names = [
        ("ceiling", 2000.0),
        ("board (anonymous)", 120.0),
        ("thread (anonymous)", 100.0),
        ("thread (signed in)", 80.0),
        ("ceiling (again)", 1900.0),
    ]
    targets = [bench.Target(name, "/x/", result=_wrk(rps)) for name, rps in names]
    targets[2].result |= _wrk(100.0, non_2xx=non_2xx, socket_errors=socket_errors)
    targets[2].sizes = {"bytes": 74_000, "gzip_bytes": 9_000, "encoding": "gzip"}
    return targets


def _assert_contract(figures: dict) -> None:
    assert isinstance(figures["ceiling"]["rps"], float)
    for page in ("thread_anon", "thread_signed_in", "board_anon"):
        for key, kind in PAGE_KEYS.items():
            assert type(figures[page][key]) is kind, (page, key, figures[page][key])
    assert type(figures["errors"]) is int


def test_latest_json_has_the_contract_shape(tmp_path):
    summary = bench.json_summary({"direct": _targets()}, QUERIES)
    path = bench.write_latest_json(summary, tmp_path / "latest.json")

    written = json.loads(path.read_text())
    _assert_contract(written)
    assert written["ceiling"]["rps"] == 2000.0
    assert written["thread_anon"]["rps"] == 100.0
    assert written["thread_anon"]["queries"] == 5
    assert written["thread_anon"]["gzip_bytes"] == 9_000
    assert written["thread_signed_in"]["queries"] == 9
    assert written["board_anon"]["queries"] == 4
    assert written["errors"] == 0
    assert "via_nginx" not in written


def test_cold_query_counts_sit_beside_the_warm_ones(tmp_path):
    cold = {name: [*statements, "SELECT 2"] for name, statements in QUERIES.items()}
    summary = bench.json_summary({"direct": _targets()}, QUERIES, queries_cold=cold)
    written = json.loads(bench.write_latest_json(summary, tmp_path / "latest.json").read_text())

    _assert_contract(written)
    assert written["thread_signed_in"]["queries"] == 9
    assert written["thread_signed_in"]["queries_cold"] == 10
    assert written["board_anon"]["queries_cold"] == 5
    table = bench.results_table(_with_cpu(_targets()), QUERIES, cold)
    assert "| 9 (10) |" in table


def _with_cpu(targets: list) -> list:
    for target in targets:
        target.result |= {
            "server_cpu_ms": 1.0,
            "postgres_cpu_ms": 1.0,
            "db_connections": 1,
        }
    return targets


def test_through_nginx_the_same_shape_sits_under_via_nginx_and_errors_add_up(tmp_path):
    runs = {
        "direct": _targets(non_2xx=3),
        "via nginx": _targets(socket_errors="connect 0, read 2, write 0, timeout 1"),
    }
    summary = bench.json_summary(runs, QUERIES, server_errors=1)
    written = json.loads(bench.write_latest_json(summary, tmp_path / "latest.json").read_text())

    _assert_contract(written)
    _assert_contract(written["via_nginx"])
    assert written["via_nginx"]["errors"] == 3
    assert written["errors"] == 3 + 3 + 1


@pytest.mark.skipif(os.environ.get("BENCH_SMOKE") != "1", reason="BENCH_SMOKE=1 runs it")
def test_a_one_second_bench_run_writes_the_contract(tmp_path):
    env = {
        **os.environ,
        "BENCH_DURATION": "1",
        "BENCH_DATABASE_NAME": "porchlight_bench_smoke",
        "BENCH_RESULTS_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "bench/run.py"], cwd=bench.ROOT, env=env, check=True)

    _assert_contract(json.loads((tmp_path / "latest.json").read_text()))

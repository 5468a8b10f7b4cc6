"""How long rendering a post takes, for the worst shapes of body we know, at up to the
50,000-character limit. Prints a Markdown table (docs/performance.md, "Rendering"); the last
column is the longest body of each shape that is rendered rather than refused, and its time
(the slowest accepted body of that shape).

    .venv/bin/python bench/render.py                 # the pipeline as it is
    .venv/bin/python bench/render.py --before REV    # forum/markup.py as of a git revision

Each figure is the best of ``--repeat`` runs (default 3) of what a service does with a body:
``check_renderable`` (which may refuse it: "refused") then ``render_markdown``. The Markdown
step's cache is cleared before every run. ``--before`` times the old ``render_markdown`` at
small sizes only (its worst shapes take minutes at 50,000 characters) and extrapolates to
50,000 from the growth between the two largest sizes, marked "~" in the table.

No database: mentions are resolved from a fixed map, as ``bench/search.py`` does.
"""

import argparse
import importlib.util
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMIT = 50_000


def repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


# name → (what it is, body of n characters)
SHAPES = {
    "bracket-bomb": ("[ … ] nested", lambda n: "[" * (n // 2) + "]" * (n // 2)),
    "open-brackets": ("[ repeated", lambda n: "[" * n),
    "image-openers": ("![[ repeated", lambda n: repeat("![[", n)),
    "link-openers": ("[a]( repeated", lambda n: repeat("[a](", n)),
    "reference-openers": ("[x][ repeated", lambda n: repeat("[x][", n)),
    "paren-run": ("[a]( then ((( … )))", lambda n: "[a](" + "(" * (n // 2) + ")" * (n // 2)),
    "nested-quotes": ("> repeated on one line", lambda n: "> " * (n // 2)),
    "nested-ordered-lists": ("1. repeated", lambda n: repeat("1. ", n)),
    "emphasis": ("*a repeated", lambda n: repeat("*a", n)),
    "mixed-emphasis": ("*_ repeated", lambda n: repeat("*_", n)),
    "unclosed-tags": ("<a repeated", lambda n: repeat("<a", n)),
    "unclosed-autolinks": ("<http://a repeated", lambda n: repeat("<http://a", n)),
    "setext-headings": ("a / = lines", lambda n: repeat("a\n=\n", n)),
    "rules": ("--- lines", lambda n: repeat("---\n", n)),
    "fences": ("``` lines", lambda n: repeat("```\n", n)),
    "backtick-runs": ("` runs of growing length", lambda n: "".join(
        "`" * i + "a" for i in range(1, 400))[:n]),
    "backslashes": ("\\ repeated", lambda n: "\\" * n),
    "line-breaks": ("a + two spaces, lines", lambda n: repeat("a  \n", n)),
    "ampersands": ("& repeated", lambda n: "&" * n),
    "wide-table": ("one row, many | cells", lambda n: (
        "|" + "a|" * (n // 6) + "\n|" + "-|" * (n // 6) + "\n")),
    "domains": ("a.co repeated (linkified)", lambda n: repeat("a.co ", n)),
    "dotted-url": ("http://a.a.a…", lambda n: "http://" + repeat("a.", n - 7)),
    "mentions": ("@a repeated", lambda n: repeat("@a ", n)),
    "prose": (
        "ordinary formatted prose",
        lambda n: repeat(
            "It fails **every** time, *mostly* when I open [the docs](https://example.com/x). "
            "See `code` and https://example.com/y for more, thanks @a.\n\n",
            n,
        ),
    ),
    "code-block": (
        "one fenced block of log lines",
        lambda n: "```\n" + repeat("2026-12-06 01:02:03 INFO job=42 started\n", n - 8) + "\n```",
    ),
}  # fmt: skip


def load_markup(revision: str | None):
    if revision is None:
        import forum.markup

        return forum.markup
    source = subprocess.run(
        ["git", "show", f"{revision}:forum/markup.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "markup_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("markup_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_once(markup, body: str) -> tuple[float, str]:
    for cache in ("_to_html", "markdown_to_html"):
        if hasattr(getattr(markup, cache, None), "cache_clear"):
            getattr(markup, cache).cache_clear()
    seen = getattr(getattr(markup, "render", markup), "_CANDIDATES_SEEN", None)
    if seen is not None:
        seen.clear()
    refused = getattr(markup, "RenderRefused", ())
    start = time.perf_counter()
    try:
        if hasattr(markup, "check_renderable"):
            markup.check_renderable(body)
        markup.render_markdown(body, mentions={"a": "/u/a/"})
        outcome = "rendered"
    except RecursionError:
        outcome = "RecursionError (a 500)"
    except refused:
        outcome = "refused"
    return (time.perf_counter() - start) * 1000, outcome


def best_of(markup, body: str, runs: int) -> tuple[float, str]:
    results = [time_once(markup, body) for _ in range(runs)]
    return min(ms for ms, _ in results), results[0][1]


def largest_accepted(markup, make, limit: int) -> int:
    """The longest body of this shape (to 1% of the limit) that is rendered, not refused."""
    if not hasattr(markup, "check_renderable"):
        return limit
    low, high = 0, limit
    while high - low > limit // 100:
        middle = (low + high) // 2
        if time_once(markup, make(middle)[:middle])[1] == "rendered":
            low = middle
        else:
            high = middle
    if time_once(markup, make(high)[:high])[1] == "rendered":
        return high
    return low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", metavar="REV", help="time forum/markup.py as of REV")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default=None, help="comma-separated body lengths")
    parser.add_argument("--only", default=None, help="comma-separated shape names")
    args = parser.parse_args()
    markup = load_markup(args.before)
    default_sizes = "2000,4000,8000" if args.before else "12500,25000,50000"
    sizes = [int(size) for size in (args.sizes or default_sizes).split(",")]
    names = args.only.split(",") if args.only else list(SHAPES)
    load = os.getloadavg()[0]
    label = f"forum/markup.py at {args.before}" if args.before else "the pipeline as it is"
    print(f"Rendering, {label}; best of {args.repeat}; 1-minute load average {load:.1f}\n")
    header = [f"{size:,} chars" for size in sizes]
    if args.before and sizes[-1] < LIMIT:
        header.append(f"{LIMIT:,} chars (extrapolated)")
    if not args.before:
        header.append("longest accepted: its time")
    print("| shape | what | " + " | ".join(header) + " | outcome at the largest |")
    print("|---|---|" + "---:|" * len(header) + "---|")
    for name in names:
        what, make = SHAPES[name]
        cells, timings, outcome = [], [], ""
        for size in sizes:
            body = make(size)[:size]
            ms, outcome = best_of(markup, body, args.repeat)
            timings.append(ms)
            cells.append(f"{ms:,.0f} ms")
        if args.before and sizes[-1] < LIMIT:
            small, large = timings[-2], timings[-1]
            growth = math.log(max(large, 0.01) / max(small, 0.01)) / math.log(sizes[-1] / sizes[-2])
            growth = max(growth, 1.0)
            estimate = large * (LIMIT / sizes[-1]) ** growth
            cells.append(f"~{estimate / 1000:,.1f} s (n^{growth:.1f})")
        if not args.before:
            size = largest_accepted(markup, make, LIMIT)
            if size:
                ms, _ = best_of(markup, make(size)[:size], args.repeat)
                cells.append(f"{size:,}: {ms:,.0f} ms")
            else:
                cells.append("none")
        what = what.replace("|", "\\|")
        print(f"| {name} | {what} | " + " | ".join(cells) + f" | {outcome} |", flush=True)


if __name__ == "__main__":
    main()

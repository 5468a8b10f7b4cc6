"""How long matching admins' watched phrases takes against a 50,000-character post (the
longest a post may be), for ordinary prose and for bodies built to make a matcher work
hard. Prints a Markdown table (docs/performance.md, "Watched words").

    .venv/bin/python bench/watched_words.py [--phrases 300] [--repeat 5]

Each figure is the best of ``--repeat`` runs of ``moderation.spam.watched.matches`` over
the title and body (folding included). No database: the phrases are built in memory."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from moderation.spam.watched import Watched, fold, matches  # noqa: E402

SIZE = 50_000


def phrase_set(n: int, make) -> tuple[Watched, ...]:
    # Half whole-word, half plain, as admins would mix them.
    return tuple(Watched(p, fold(p), i % 2 == 0, "hold") for i, p in enumerate(make(n)))


def cases(n: int):
    prose = "the export stops halfway through and the file is empty when it finishes "
    words = phrase_set(n, lambda n: [f"offer{i} deal" for i in range(n)])
    yield "prose, no phrase present", words, (prose * SIZE)[:SIZE]
    yield (
        "prose, every phrase present",
        words,
        (" ".join(f"offer{i} deal" for i in range(n)) + " " + prose * SIZE)[:SIZE],
    )
    yield "one letter repeated", words, "a" * SIZE
    # Every phrase shares a 98-letter prefix with the body, so each position compares long.
    prefixed = phrase_set(n, lambda n: ["a" * 98 + str(i) for i in range(n)])
    yield "phrases sharing a long prefix with the body", prefixed, "a" * SIZE
    # A whole-word phrase present thousands of times, never between word boundaries.
    inner = phrase_set(n, lambda n: ["ab"] + [f"offer{i} deal" for i in range(n - 1)])
    yield "a phrase found 16,000 times inside words", inner, "xab" * (SIZE // 3)
    accents = "Crème brûlée, naïve café, Ångström, ｆｕｌｌ-ｗｉｄｔｈ "
    yield "accents and full-width letters", words, (accents * SIZE)[:SIZE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.phrases} phrases, {SIZE:,}-character body, best of {args.repeat}\n")
    print("| body | time | phrases found |")
    print("|---|---|---|")
    for name, words, body in cases(args.phrases):
        best, found = float("inf"), {}
        for _ in range(args.repeat):
            start = time.perf_counter()
            found = matches(words, "Export stops halfway", body)
            best = min(best, time.perf_counter() - start)
        total = sum(len(v) for v in found.values())
        print(f"| {name} | {best * 1000:.1f} ms | {total} |")


if __name__ == "__main__":
    main()

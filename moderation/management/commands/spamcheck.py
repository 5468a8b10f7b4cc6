"""Dry-run the spam score over posts, one JSON object per line:

    python manage.py spamcheck export.jsonl
    cat export.jsonl | python manage.py spamcheck -

Input lines: {"title": str, "body": str, "age_days": int, "posts": int} (the author's
account age in days and post count). For each valid line, exactly one output line:
{"spam": bool, "score": float 0..1, "reasons": [str, ...]}, in input order, from the same
scoring service live posts use (Akismet only when AKISMET_API_KEY is set).

A line that is not such an object gets no output line; an error naming its line number
goes to stderr and the rest are still scored. Blank lines are skipped. Exit status: 0
when every line was scored, 1 when some line was refused, 2 when the file cannot be read.
Nothing is written: the run happens in a transaction that is always rolled back."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from moderation.spam.scoring import spam_score

FIELDS = {"title": str, "body": str, "age_days": int, "posts": int}


def parse_line(raw: str) -> dict:
    """The scoring arguments of one input line, or ValueError saying what to fix."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise ValueError(
            'expected a JSON object like {"title": …, "body": …, "age_days": 0, "posts": 0}'
        )
    problems = []
    for name, kind in FIELDS.items():
        value = data.get(name)
        if name not in data:
            problems.append(f'"{name}" is missing')
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(f'"{name}" must be a whole number, 0 or more (got {value!r})')
        elif kind is str and not isinstance(value, str):
            problems.append(f'"{name}" must be a string (got {type(value).__name__})')
    if problems:
        raise ValueError("; ".join(problems))
    return data


class Command(BaseCommand):
    help = (
        "Score posts for spam without side effects: FILE (or - for stdin) holds one JSON "
        'object per line, {"title", "body", "age_days", "posts"}; prints one JSON line '
        '{"spam", "score", "reasons"} for each.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON-lines file, or - to read standard input.")

    def handle(self, *args, file, **options):
        if file == "-":
            lines = sys.stdin
        else:
            try:
                lines = open(file, encoding="utf-8")  # noqa: SIM115 (closed below)
            except OSError as exc:
                raise CommandError(
                    f"Cannot read {file}: {exc.strerror}. Give a JSON-lines file, or - to "
                    "read standard input.",
                    returncode=2,
                ) from exc
        refused = 0
        try:
            with transaction.atomic():
                refused = self._score_lines(lines)
                # Scoring only reads; the rollback makes "no side effects" a guarantee.
                transaction.set_rollback(True)
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file} is not UTF-8 text ({exc.reason}). Save it as UTF-8 and try again.",
                returncode=2,
            ) from exc
        finally:
            if lines is not sys.stdin:
                lines.close()
        if refused:
            sys.exit(1)

    def _score_lines(self, lines) -> int:
        refused = 0
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                data = parse_line(raw)
            except ValueError as exc:
                refused += 1
                self.stderr.write(f"line {number}: {exc}; skipped.")
                continue
            verdict = spam_score(
                title=data["title"],
                body=data["body"],
                author_age_days=data["age_days"],
                author_posts=data["posts"],
            )
            self.stdout.write(json.dumps(verdict.as_json(), ensure_ascii=False))
            self.stdout.flush()
        return refused

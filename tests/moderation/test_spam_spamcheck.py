"""``manage.py spamcheck`` keeps its contract: one JSON line per input line, from the same
scoring service as live posts, stdin with ``-``, a line-numbered error for a bad line
(the rest still scored), and no writes at all."""

import io
import json
import sys

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from moderation.models import BlockedDomain, SpamTokenCount
from moderation.spam.scoring import spam_score
from moderation.spam.training import spam_filter_learn

pytestmark = pytest.mark.django_db

SPAM = {
    "title": "QuickBooks Support Number +1-888-555-0199",
    "body": "Call QuickBooks support +1-888-555-0199 for instant help, certified experts 24/7.",
    "age_days": 0,
    "posts": 0,
}
HAM = {
    "title": "Charged twice this month",
    "body": "I was charged $49 twice in March. How do I get the duplicate refunded?",
    "age_days": 3,
    "posts": 1,
}


def run(argv, stdin_text=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin_text is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    code = 0
    try:
        call_command("spamcheck", *argv, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return out.getvalue(), err.getvalue(), code


def jsonl(*rows):
    return "".join(json.dumps(row) + "\n" for row in rows)


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_each_line_gets_one_json_line_in_the_contract_format(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl(SPAM, HAM), encoding="utf-8")
    out, err, code = run([str(path)])
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert len(lines) == 2
    results = [json.loads(line) for line in lines]
    for result in results:
        assert set(result) == {"spam", "score", "reasons"}
        assert isinstance(result["spam"], bool)
        assert isinstance(result["score"], float) and 0 <= result["score"] <= 1
        assert result["reasons"] and all(isinstance(r, str) for r in result["reasons"])
    assert results[0]["spam"] is True and results[1]["spam"] is False


def test_output_is_the_scoring_service_verdict(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl(SPAM), encoding="utf-8")
    out, _, _ = run([str(path)])
    expected = spam_score(title=SPAM["title"], body=SPAM["body"], author_age_days=0, author_posts=0)
    assert json.loads(out) == expected.as_json()


def test_dash_reads_standard_input(monkeypatch):
    out, err, code = run(["-"], stdin_text=jsonl(HAM, SPAM, HAM), monkeypatch=monkeypatch)
    assert code == 0
    assert [json.loads(line)["spam"] for line in out.splitlines()] == [False, True, False]


def test_what_moderators_taught_is_used(moderator, monkeypatch):
    text = {"title": "Aged Gmail accounts", "body": "PVA gmail accounts bulk telegram"}
    row = {**text, "age_days": 0, "posts": 0}
    before = json.loads(run(["-"], jsonl(row), monkeypatch)[0])["score"]
    spam_filter_learn(**text, is_spam=True, actor=moderator)
    after = json.loads(run(["-"], jsonl(row), monkeypatch)[0])["score"]
    assert after > before


def test_bad_lines_are_named_on_stderr_and_the_rest_still_scored(monkeypatch):
    bad = [
        "not json",
        json.dumps(["a", "list"]),
        json.dumps({**HAM, "age_days": "3"}),
        json.dumps({"title": "No body", "age_days": 1, "posts": 0}),
        json.dumps({**HAM, "posts": -1}),
    ]
    text = jsonl(SPAM) + "\n".join(bad) + "\n\n" + jsonl(HAM)
    out, err, code = run(["-"], stdin_text=text, monkeypatch=monkeypatch)
    assert code == 1
    assert [json.loads(line)["spam"] for line in out.splitlines()] == [True, False]
    errors = err.splitlines()
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 4", "line 5", "line 6"]
    assert "not valid JSON" in errors[0]
    assert "expected a JSON object" in errors[1]
    assert '"age_days" must be a whole number' in errors[2]
    assert '"body" is missing' in errors[3]
    assert '"posts" must be a whole number' in errors[4]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*or - to read standard input") as info:
        call_command("spamcheck", str(tmp_path / "nope.jsonl"))
    assert info.value.returncode == 2


def test_spamcheck_writes_nothing(tmp_path, moderator):
    BlockedDomain.objects.create(domain="bad-pharma.example")
    spam_filter_learn(title="seed", body="seed words here", is_spam=True, actor=moderator)
    before = row_counts()
    learned = list(SpamTokenCount.objects.order_by("token").values_list("token", "spam", "ham"))
    path = tmp_path / "posts.jsonl"
    link = {**HAM, "body": HAM["body"] + " https://bad-pharma.example/x"}
    path.write_text(jsonl(SPAM, HAM, link) * 5, encoding="utf-8")
    out, _, code = run([str(path)])
    assert code == 0 and len(out.splitlines()) == 15
    assert row_counts() == before
    after = list(SpamTokenCount.objects.order_by("token").values_list("token", "spam", "ham"))
    assert after == learned

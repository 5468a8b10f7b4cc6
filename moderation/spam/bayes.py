"""A Robinson–Fisher token filter (the method of SpamBayes): each token's spam
probability comes from how often it appeared in spam and in ham, shrunk towards 0.5 when
it was seen only a few times; the most telling tokens are combined with Fisher's
chi-square method, which says "unsure" (near 0.5) when the evidence points both ways
instead of jumping to 0 or 1.

Counts are the starter model's (built from the labelled corpus in ``corpus/train.jsonl``
when first needed, then kept for the life of the process) plus what moderators taught
this site (``SpamTokenCount`` rows)."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from moderation.models import SpamTokenCount
from moderation.spam.tokens import MESSENGER_NAMES, tokenize

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
STARTER_CORPUS = CORPUS_DIR / "train.jsonl"

# Robinson's smoothing: a token seen n times gets (S*X + n*p) / (S + n); one sighting
# cannot make a token damning.
STRENGTH = 1.0
PRIOR = 0.5
# Only tokens at least this far from 0.5 count, and at most this many of them: a long
# post cannot win by the number of its bland words.
MIN_DEVIATION = 0.2
MAX_CLUES = 25


@dataclass(frozen=True)
class Counts:
    tokens: dict[str, tuple[int, int]]
    spam_messages: int
    ham_messages: int


@dataclass
class BayesResult:
    score: float
    spam_clues: list[tuple[str, float]] = field(default_factory=list)
    ham_clues: list[tuple[str, float]] = field(default_factory=list)


def read_corpus(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def train_counts(rows) -> Counts:
    """Token counts of labelled examples: each token counted once per example."""
    spam, ham = Counter(), Counter()
    n_spam = n_ham = 0
    for row in rows:
        tokens = tokenize(title=row.get("title", ""), body=row.get("body", ""))
        if row["label"] == "spam":
            spam.update(tokens)
            n_spam += 1
        else:
            ham.update(tokens)
            n_ham += 1
    merged = {token: (spam[token], ham[token]) for token in spam.keys() | ham.keys()}
    return Counts(tokens=merged, spam_messages=n_spam, ham_messages=n_ham)


@cache
def starter_counts() -> Counts:
    """The starter model. Built from the corpus on first use (about a tenth of a second;
    see docs/spam.md) rather than shipped as a generated file, so it can never be stale
    against the corpus it claims to come from."""
    return train_counts(read_corpus(STARTER_CORPUS))


def combined_counts(tokens, learned: dict[str, tuple[int, int]] | None) -> Counts:
    starter = starter_counts()
    learned = learned or {}
    learned_spam, learned_ham = learned.get(SpamTokenCount.MESSAGES, (0, 0))
    merged = {}
    for token in tokens:
        s0, h0 = starter.tokens.get(token, (0, 0))
        s1, h1 = learned.get(token, (0, 0))
        if s0 + h0 + s1 + h1:
            merged[token] = (s0 + s1, h0 + h1)
    return Counts(
        tokens=merged,
        spam_messages=starter.spam_messages + learned_spam,
        ham_messages=starter.ham_messages + learned_ham,
    )


def token_probability(spam: int, ham: int, n_spam: int, n_ham: int) -> float:
    spam_ratio = spam / max(n_spam, 1)
    ham_ratio = ham / max(n_ham, 1)
    p = spam_ratio / (spam_ratio + ham_ratio) if spam_ratio + ham_ratio else PRIOR
    n = spam + ham
    return (STRENGTH * PRIOR + n * p) / (STRENGTH + n)


def _chi2q(x2: float, dof: int) -> float:
    """P(chi-square with ``dof`` (even) degrees of freedom ≥ x2)."""
    m = x2 / 2.0
    total = term = math.exp(-m)
    for i in range(1, dof // 2):
        term *= m / i
        total += term
    return min(total, 1.0)


def classify(tokens, counts: Counts) -> BayesResult:
    clues = []
    for token in tokens:
        if token not in counts.tokens:
            continue
        spam, ham = counts.tokens[token]
        prob = token_probability(spam, ham, counts.spam_messages, counts.ham_messages)
        if abs(prob - 0.5) >= MIN_DEVIATION:
            clues.append((abs(prob - 0.5), token, prob))
    clues.sort(key=lambda clue: (-clue[0], clue[1]))
    clues = clues[:MAX_CLUES]
    if not clues:
        return BayesResult(score=0.5)
    n = len(clues)
    ln_ham = sum(math.log(max(prob, 1e-9)) for _, _, prob in clues)
    ln_spam = sum(math.log(max(1.0 - prob, 1e-9)) for _, _, prob in clues)
    spamminess = 1.0 - _chi2q(-2.0 * ln_spam, 2 * n)
    hamminess = 1.0 - _chi2q(-2.0 * ln_ham, 2 * n)
    score = (spamminess - hamminess + 1.0) / 2.0
    return BayesResult(
        score=score,
        spam_clues=[(token, prob) for _, token, prob in clues if prob > 0.5],
        ham_clues=[(token, prob) for _, token, prob in clues if prob < 0.5],
    )


def describe_token(token: str) -> str:
    """A token in words a moderator reads without knowing the tokeniser."""
    where = ""
    if token.startswith("title:"):
        token, where = token.removeprefix("title:"), " in the title"
    kind, _, value = token.partition(":")
    plain = {
        "domain": f"a link to {value}",
        "tld": f"a link ending .{value}",
        "has": "a link behind other words" if value == "anchor" else "a link",
        "phone": {
            "tollfree": "a toll-free phone number",
            "calltoaction": "a request to phone a number",
        }.get(value, "a phone number"),
        "money": {
            "large": "a large amount of money",
            "huge": "a sum in the millions",
            "rate": "money per day, week or month",
        }.get(value, "an amount of money"),
        "caps": "text in capital letters",
        "email": "an address at a free mail service"
        if value == "freemail"
        else f"an email address at {value}",
        "contact": "a messenger contact to write to"
        if value == "messenger"
        else f"a {MESSENGER_NAMES.get(value, value)} contact to write to",
        "anchor": f"the link text “{value}”",
    }
    text = plain.get(kind, f"“{token}”") if value else f"“{token}”"
    return text + where

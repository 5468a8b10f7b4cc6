"""Matching admins' watched words and phrases. Phrases are literal text, never patterns
(escaped before use), compared after folding case, compatibility forms (NFKC: full-width
letters, ligatures) and accents, with runs of white space as one space. Cost is bounded:
a body is folded once, then each phrase is one substring search (``in``), and a
whole-word phrase found that way is searched again as an escaped literal between
one-character look-arounds, so nothing can backtrack; 300 phrases over a
50,000-character body stay linear in both."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache

from moderation.models import WatchedWord

CACHE_KEY = "spam:watched-words:v1"
CACHE_SECONDS = 300
SPACE_RE = re.compile(r"\s+")
# Block beats hold beats flag: the strongest action found decides.
ACTION_ORDER = (WatchedWord.Action.BLOCK, WatchedWord.Action.HOLD, WatchedWord.Action.FLAG)


def fold(text: str) -> str:
    """The form both phrases and posts are compared in."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass(frozen=True)
class Watched:
    phrase: str  # as the admin typed it, for messages
    folded: str
    whole_word: bool
    action: str


def watched_words() -> tuple[Watched, ...]:
    """Every watched phrase: from the shared cache, or one query (any change in admin
    clears the cached copy)."""
    words = cache.get(CACHE_KEY)
    if words is None:
        rows = WatchedWord.objects.values_list("phrase", "whole_word", "action")
        words = tuple(
            Watched(phrase, fold(phrase), whole_word, action)
            for phrase, whole_word, action in rows
            if fold(phrase)
        )
        cache.set(CACHE_KEY, words, CACHE_SECONDS)
    return words


def watched_words_forget() -> None:
    cache.delete(CACHE_KEY)


@lru_cache(maxsize=4096)
def _whole_word_re(folded: str) -> re.Pattern:
    # Look-arounds of one character each: a word boundary that also works for phrases
    # starting or ending in punctuation ("c++", "$$$").
    return re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")


def matches(words, *texts: str) -> dict[str, list[str]]:
    """The phrases found in the texts, by action: {"block": [...], "hold": [...], ...},
    each list in the admins' order, without duplicates."""
    if not words:
        return {}
    folded = [fold(text) for text in texts if text]
    found: dict[str, list[str]] = {}
    for word in words:
        # The substring test (linear) comes first, so the whole-word search runs only
        # for phrases that are there at all.
        candidates = [text for text in folded if word.folded in text]
        if word.whole_word and candidates:
            pattern = _whole_word_re(word.folded)
            hit = any(pattern.search(text) for text in candidates)
        else:
            hit = bool(candidates)
        if hit and word.phrase not in found.get(word.action, []):
            found.setdefault(word.action, []).append(word.phrase)
    return found

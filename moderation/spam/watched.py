"""Matching admins' watched words and phrases. Phrases are literal text, never patterns
(escaped before use), compared after folding case, compatibility forms (NFKC: full-width
letters, ligatures) and accents, with runs of white space as one space. Cost is bounded:
a body is folded once, then each phrase is one substring search (``in``), and a
whole-word phrase found that way is searched again as an escaped literal between
one-character look-arounds, so nothing can backtrack; 300 phrases over a
50,000-character body stay linear in both. In scripts written without spaces (Chinese,
Japanese, Korean, Thai…) words have no visible edges, so a whole-word phrase's ends in
those scripts match anywhere, and their characters count as edges for a Latin word."""

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


def watched_words(cached=None) -> tuple[Watched, ...]:
    """Every watched phrase: from the shared cache, or one query (any change in admin
    clears the cached copy). ``cached`` is the cache's copy when the caller read it
    already (with other keys, in one round trip)."""
    words = cached if cached is not None else cache.get(CACHE_KEY)
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


# Scripts written without spaces between words (Chinese, Japanese, Korean as often typed,
# Thai, Lao, Khmer, Myanmar): a whole word cannot be told from its neighbours there, so a
# phrase's edge in one of them needs no word edge, and one of their characters next to a
# Latin word is an edge for it.
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3005-\u3007"
    "\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uffdc"
    "\U00020000-\U0003134f"
)
UNSPACED_RE = re.compile(f"[{UNSPACED}]")
# A letter or digit of a spaced script: what continues a word there.
_WORD_CHAR = f"[^\\W{UNSPACED}]"


@lru_cache(maxsize=4096)
def _whole_word_re(folded: str) -> re.Pattern | None:
    """The phrase between one-character look-arounds (a word edge that also works for
    phrases starting or ending in punctuation: "c++", "$$$"), or None when both its ends
    are in an unspaced script, where the substring test alone decides."""
    start = "" if UNSPACED_RE.match(folded[0]) else f"(?<!{_WORD_CHAR})"
    end = "" if UNSPACED_RE.match(folded[-1]) else f"(?!{_WORD_CHAR})"
    if not start and not end:
        return None
    return re.compile(start + re.escape(folded) + end)


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
        pattern = _whole_word_re(word.folded) if word.whole_word and candidates else None
        if pattern is not None:
            hit = any(pattern.search(text) for text in candidates)
        else:
            hit = bool(candidates)
        if hit and word.phrase not in found.get(word.action, []):
            found.setdefault(word.action, []).append(word.phrase)
    return found

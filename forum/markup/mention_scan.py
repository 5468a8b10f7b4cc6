"""Finding @mentions in sanitised HTML: where a mention may start, and the filter that
links the ones the render's lookup knows (outside links, code and preformatted blocks)."""

import re
import unicodedata
from collections.abc import Callable

from bleach import html5lib_shim

from forum.markup.sanitise import LINK_REL

# Django's username characters are letters, digits and @ . + - _ ; a mention starts and ends
# with a letter or digit (or _), so "Thanks @sam." mentions "sam", not "sam.".
MENTION_RE = re.compile(r"@(\w(?:[\w.@+-]*\w)?)")
# What may come right before the "@": nothing (start of a paragraph, list item, cell…), a
# space, or punctuation in any script ("(", "“", "、"…) except the characters below. Letters,
# digits and . @ & # % / \ - _ do not count, so e-mail addresses (a@b.com), URL paths,
# entities and "@@" never mention anyone; nor do symbols such as < > = + (code-ish text).
_NOT_BEFORE_MENTION = frozenset("@.&#%/\\-_`")
USERNAME_MAX = 150
# One post can notify at most this many members; later mentions stay plain text.
MENTIONS_MAX = 20
# Text inside these elements never mentions anyone (code is quoted, links already link).
_MENTION_SKIP_TAGS = frozenset({"a", "code", "pre"})
# Inline elements run on within a line: "**hi**@sam" is not a mention, but a new paragraph,
# list item, cell or line break starts afresh.
_INLINE_TAGS = frozenset({"strong", "em", "b", "i", "del", "s", "kbd", "code", "a", "img"})


def _may_precede_mention(char: str) -> bool:
    if not char or char.isspace():
        return True
    if char in _NOT_BEFORE_MENTION:
        return False
    return unicodedata.category(char).startswith("P") or char == "~"


def mentions_in_text(text: str, before: str = "") -> list[re.Match]:
    """The mention matches in one run of plain text. ``before`` is the character just before
    the text ("" at the start of a block)."""
    found = []
    for match in MENTION_RE.finditer(text):
        start = match.start()
        if not _may_precede_mention(text[start - 1] if start else before):
            continue
        if len(match.group(1)) > USERNAME_MAX:
            continue
        found.append(match)
    return found


class MentionFilter(html5lib_shim.Filter):
    """Finds @username in the text of sanitised HTML (outside a, code and pre), asks
    ``resolve`` once for the links of the first ``MENTIONS_MAX`` distinct names
    (case-insensitively) and turns each linked mention into
    ``<a href="…" class="mention" rel="…">@name</a>``. Runs after bleach's sanitiser, so the
    links it adds are the only ones carrying ``class``."""

    def __init__(self, source, resolve: Callable[[list[str]], dict[str, str]]):
        super().__init__(source)
        self.resolve = resolve

    def _walk(self, tokens):
        """Yield (index, match) for every mention, in document order."""
        skip_depth = 0
        before = ""
        for index, token in enumerate(tokens):
            kind = token["type"]
            if kind in ("StartTag", "EndTag", "EmptyTag"):
                name = token["name"]
                if name in _MENTION_SKIP_TAGS and kind != "EmptyTag":
                    skip_depth += 1 if kind == "StartTag" else -1
                    skip_depth = max(skip_depth, 0)
                if name not in _INLINE_TAGS:
                    before = ""
                continue
            if kind in ("Characters", "SpaceCharacters"):
                text = token["data"]
                if not skip_depth and kind == "Characters" and "@" in text:
                    for match in mentions_in_text(text, before):
                        yield index, match
                if text:
                    before = text[-1]
            elif kind == "Entity":
                before = "&"  # an entity (&amp;…) is never followed by a mention

    def __iter__(self):
        tokens = list(super().__iter__())
        found = list(self._walk(tokens))
        names, seen = [], set()
        for _, match in found:
            key = match.group(1).lower()
            if key not in seen and len(names) < MENTIONS_MAX:
                seen.add(key)
                names.append(match.group(1))
        resolved = self.resolve(names) if names else {}
        # Only the first MENTIONS_MAX names link, whatever the lookup returned.
        links = {key: resolved[key] for key in seen if key in resolved}
        if not links:
            yield from tokens
            return
        by_token: dict[int, list[re.Match]] = {}
        for index, match in found:
            if match.group(1).lower() in links:
                by_token.setdefault(index, []).append(match)
        for index, token in enumerate(tokens):
            if index not in by_token:
                yield token
                continue
            text, end = token["data"], 0
            for match in by_token[index]:
                if match.start() > end:
                    yield {"type": "Characters", "data": text[end : match.start()]}
                yield {
                    "type": "StartTag",
                    "name": "a",
                    "data": {
                        (None, "href"): links[match.group(1).lower()],
                        (None, "class"): "mention",
                        (None, "rel"): LINK_REL,
                    },
                }
                yield {"type": "Characters", "data": match.group(0)}
                yield {"type": "EndTag", "name": "a"}
                end = match.end()
            if end < len(text):
                yield {"type": "Characters", "data": text[end:]}

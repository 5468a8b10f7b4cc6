"""The one rendering pipeline: Markdown to HTML, then bleach against an allow-list, then
@mentions of members linked to their profiles.

Services call ``render_markdown`` when a post is written and store the result with
``RENDER_VERSION``; templates print the stored HTML and never render Markdown.
Raw HTML typed by a member is escaped (shown as text), never dropped, so nothing
they wrote silently disappears.

Mentions are found in the *sanitised* HTML's text (never inside links, code or
preformatted blocks) and their links are added after sanitising, so a member cannot type a
fake mention: a ``class`` typed on a link is removed by the allow-list like any other
attribute, and only the pipeline itself adds ``class="mention"``.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import partial

import bleach
import markdown
from bleach import html5lib_shim
from bleach.linkifier import LinkifyFilter

# Bump when the pipeline's output changes; stored HTML carries the version it was made with.
# 3: @mentions of members link to their profiles.
RENDER_VERSION = 3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "del", "s", "code", "pre", "kbd",
        "blockquote", "ul", "ol", "li", "a", "img",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # "class" is only ever added by the pipeline (class="mention"); a typed one is removed
    # (see _allow_code_class).
    "a": ["href", "title", "rel", "class"],
    "img": ["src", "alt", "title"],
    "th": ["align"],
    "td": ["align"],
    "ol": ["start"],
    "code": ["class"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
# Column alignment as the align attribute the allow-list keeps; the default (a style
# attribute) would be removed by bleach and the alignment silently lost.
_MARKDOWN_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def _set_rel(attrs, new=False):
    """Every link, typed or linkified, gets rel="nofollow ugc noopener"; mail links get no
    rel at all. A rel the member typed never survives (e.g. rel="me" claiming identity)."""
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith("mailto:"):
        attrs.pop((None, "rel"), None)
        return attrs
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _allow_code_class(tag, name, value):
    if tag == "a" and name == "class":
        return False  # only the pipeline marks links (mentions), after sanitising
    if name in ALLOWED_ATTRIBUTES.get(tag, ()):
        if tag == "code" and name == "class":
            # Only the language hint fenced code adds, e.g. "language-python".
            return value.startswith("language-") and value[9:].replace("-", "").isalnum()
        return True
    return False


def _attribute_filter(tag, name, value):
    return _allow_code_class(tag, name, value)


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_filter,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"})],
)


# --- @mentions --------------------------------------------------------------------------

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


def _clean(html: str, resolve=None) -> str:
    if resolve is None:
        return _cleaner.clean(html)
    # A cleaner per call: the mention filter carries this render's lookup.
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_attribute_filter,
        protocols=ALLOWED_PROTOCOLS,
        strip=False,
        strip_comments=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}),
            partial(MentionFilter, resolve=resolve),
        ],
    )
    return cleaner.clean(html)


def _to_html(source: str) -> str:
    return markdown.markdown(
        source,
        extensions=_MARKDOWN_EXTENSIONS,
        extension_configs=_MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )


def mention_candidates(source: str) -> list[str]:
    """The @names in Markdown source exactly where rendering would link them (outside code,
    links and e-mail addresses), as written, first ``MENTIONS_MAX`` distinct ones
    (case-insensitively). Pure: no database."""
    if "@" not in source:
        return []
    collected: list[str] = []

    def collect(names):
        collected.extend(names)
        return {}

    _clean(_to_html(source), collect)
    return collected


def _resolve_members(names: list[str]) -> dict[str, str]:
    from forum.mentions import mention_links  # forum.mentions imports this module

    return mention_links(names)


def render_markdown(source: str, *, mentions: dict[str, str] | None = None) -> str:
    """Markdown source to safe HTML, @mentions of members linked to their profiles.

    ``mentions`` maps lower-cased usernames to profile URLs; without it the members are
    looked up with one query (none when the text has no "@" or no mention), so every
    caller links mentions. Pure given ``mentions``: the same source gives the same HTML."""
    html = _to_html(source)
    if "@" not in source:
        return _clean(html)
    if mentions is None:
        return _clean(html, _resolve_members)
    return _clean(html, lambda _names: mentions)

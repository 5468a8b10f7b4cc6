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

Rendering cost is bounded, because a post is rendered while its author waits and every
shape of 50,000 characters must render in a fraction of a second (docs/performance.md,
"Rendering"). Python-Markdown has paths that cost the square of the text's length (a
bracket or a link's parenthesis searched for again from every opening one, a table test
re-reading every line of a block, an unclosed tag re-scanned from every "<") and nesting
limited only by the recursion limit. ``_BoundedRendering`` closes each of them: nesting of
blocks (quotes, lists) is capped at ``NESTING_MAX``, bracket nesting in link text at
``LINK_NESTING_MAX``, and the scanning for link ends shares a budget linear in the text's
length; what goes over stays as plain text, nothing is dropped. What remains is linear but
not free, so ``check_renderable`` refuses (with a human reason) a post so dense with markup
that even linear work would blow the budget.

Links to other sites and images: a protocol-relative address (``//host``) is made the
https link it is, with the external rel; an image from another host is never loaded by
readers' browsers (it would tell that host who reads the post): it becomes a link saying
what it was. Images on our own site (a relative address) stay images.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, partial
from urllib.parse import urlsplit
from xml.etree import ElementTree as etree

import bleach
import markdown
from bleach import html5lib_shim, linkifier
from bleach.linkifier import LinkifyFilter
from markdown.blockparser import BlockParser
from markdown.blockprocessors import SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor

# Bump when the pipeline's output changes; stored HTML carries the version it was made with.
# 3: @mentions of members link to their profiles.
# 4: bounded nesting, protocol-relative links made https, images from other hosts as links.
RENDER_VERSION = 4

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


# How a browser reads an address before resolving it (WHATWG URL parser): leading and
# trailing C0 controls and spaces are trimmed, tabs and newlines anywhere are removed, and
# for http(s) pages a backslash is a slash.
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def _browser_view(url: str) -> str:
    """An attribute value as the browser's URL parser gets it: the sanitiser leaves
    character references (&#9;) in attribute values, and the browser decodes them first."""
    return _TAB_OR_NEWLINE.sub("", html5lib_shim.convert_entities(url).strip(_C0_OR_SPACE))


def _network_path_as_https(url: str) -> str | None:
    """The https address a browser fetches for a protocol-relative one ("//host/…", also
    "/\\host", "\\\\host" or with a tab inside), or None when ``url`` is not one. Such an
    address leaves our site as surely as "https://host/…", so it is written as such and gets
    the external-link rel like any other."""
    squashed = _browser_view(url).replace("\\", "/")
    if not squashed.startswith("//"):
        return None
    return "https://" + squashed.lstrip("/")


def _set_rel(attrs, new=False):
    """Every link, typed or linkified, gets rel="nofollow ugc noopener"; mail links get no
    rel at all. A rel the member typed never survives (e.g. rel="me" claiming identity)."""
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith("mailto:"):
        attrs.pop((None, "rel"), None)
        return attrs
    if (external := _network_path_as_https(href)) is not None:
        attrs[href_key] = external
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _external_image_target(src: str) -> str | None:
    """The address of an image on another host (absolute or protocol-relative), or None for
    one on our own site (a relative address), which may stay an image."""
    if (external := _network_path_as_https(src)) is not None:
        return external
    squashed = _browser_view(src)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", squashed):
        return squashed  # the sanitiser left only http, https or mailto
    return None


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


class ExternalImageFilter(html5lib_shim.Filter):
    """Turns each image from another host into a link to it, reading "image: <alt> (<host>)",
    so a reader's browser never fetches it unasked (which would give their address to any
    host a member names). Runs after the sanitiser; inside a link the image becomes its text,
    as links do not nest."""

    def __iter__(self):
        link_depth = 0
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if name == "a" and kind == "StartTag":
                link_depth += 1
            elif name == "a" and kind == "EndTag":
                link_depth = max(link_depth - 1, 0)
            elif name == "img" and kind in ("EmptyTag", "StartTag"):
                target = _external_image_target(token["data"].get((None, "src"), ""))
                if target is not None:
                    alt = " ".join(token["data"].get((None, "alt"), "").split())
                    host = _host_of(target)
                    label = "image: " + alt if alt else "image"
                    if host:
                        label += f" ({host})"
                    if link_depth:
                        yield {"type": "Characters", "data": label}
                        continue
                    attrs = {(None, "href"): target, (None, "class"): "external-image"}
                    if not target.startswith("mailto:"):
                        attrs[(None, "rel")] = LINK_REL
                    yield {"type": "StartTag", "name": "a", "data": attrs}
                    yield {"type": "Characters", "data": label}
                    yield {"type": "EndTag", "name": "a"}
                    continue
            yield token


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


class RenderRefused(ValueError):
    """A text whose rendering would take too long; ``str()`` says what to change."""


# What the sanitiser may write: start and end tags, attributes and runs of text. Links the
# linkifier adds are made here, after the Markdown step, so ``check_renderable`` cannot count
# them; a text that would pass this many is refused while it is being written.
OUTPUT_PIECES_MAX = 40_000


class _OutputBudgetFilter(html5lib_shim.Filter):
    def __iter__(self):
        pieces = 0
        for token in super().__iter__():
            pieces += 1 + len(token.get("data") or ()) if token["type"] != "Characters" else 1
            if pieces > OUTPUT_PIECES_MAX:
                raise RenderRefused(
                    "This post has too many links and too much formatting to show: one post "
                    f"can make {OUTPUT_PIECES_MAX:,} pieces of markup, links and text runs "
                    "included. Split it into two posts, or put long lists of addresses in a "
                    "code block — your text is kept below."
                )
            yield token


# bleach's address pattern starts with "\(*" at every position, so a run of "(" costs the
# square of its length; starting only where no "(" precedes (possessively) finds the same
# addresses in one pass.
_URL_RE = re.compile(
    linkifier.URL_RE.pattern.replace(r"\(*  # Match any opening parentheses.", r"(?<!\()\(*+", 1),
    linkifier.URL_RE.flags,
)
assert _URL_RE.pattern != linkifier.URL_RE.pattern
_linkify = partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, url_re=_URL_RE)

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_filter,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[
        ExternalImageFilter,
        _linkify,
        _OutputBudgetFilter,
    ],
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
            ExternalImageFilter,
            _linkify,
            partial(MentionFilter, resolve=resolve),
            _OutputBudgetFilter,
        ],
    )
    return cleaner.clean(html)


# --- bounded rendering ------------------------------------------------------------------

# Blocks inside blocks (a quote in a list in a quote…) deeper than this are plain paragraphs.
NESTING_MAX = 12
# Brackets inside a link's text ("[a [b [c]]](…)") deeper than this: not a link, plain text.
LINK_NESTING_MAX = 8
# Searching for the end of a link's text and address may look at this many characters per
# character of the text in all, whatever the text; links beyond stay plain text.
LINK_SCAN_PER_CHAR = 4
_LINK_SCAN_BASE = 2_000

_BRACKET = re.compile(r"[\[\]]")


def _bounded_get_text(processor: LinkInlineProcessor, data: str, index: int):
    """``LinkInlineProcessor.getText`` (the text up to the matching "]"), giving up past
    ``LINK_NESTING_MAX`` nested brackets or when the render's scanning budget is spent.
    Upstream scans to the end of the text from every "[": the square of its length."""
    md = processor.md
    depth = 1
    for match in _BRACKET.finditer(data, index):
        md.link_scan_budget -= 1
        if md.link_scan_budget < 0:
            return "", index, False
        depth += 1 if match.group() == "[" else -1
        if depth > LINK_NESTING_MAX:
            return "", index, False
        if depth == 0:
            md.link_scan_budget -= match.start() - index
            return data[index : match.start()], match.end(), True
    md.link_scan_budget -= len(data) - index
    return "", index, False


def _bounded_get_link(processor: LinkInlineProcessor, upstream, data: str, index: int):
    """``LinkInlineProcessor.getLink`` (the "(address "title")" part), charged to the
    render's scanning budget: upstream walks, one character at a time, to the matching
    ")" — from every "[…](" that has none, to the end of the text."""
    md = processor.md
    if md.link_scan_budget < 0:
        return "", None, index, False
    href, title, end, handled = upstream(data, index)
    md.link_scan_budget -= max(end - index, 1) if handled else len(data) - index
    return href, title, end, handled


def _bounded_find_code_spans(md, upstream, start: int, text: str):
    """``BacktickInlineProcessor.find_code_spans`` charged to the same budget: upstream
    walks, one character at a time, to the end of the text from every run of backticks
    that no run of the same length closes. Past the budget, backticks are plain text."""
    if md.link_scan_budget < 0:
        ticks = len(text) - len(text[start:].lstrip("`"))
        return start + ticks, None
    begin, end = upstream(start, text)
    md.link_scan_budget -= (end - start) if end is not None else len(text) - start
    return begin, end


class _BoundedParser(BlockParser):
    """Blocks nested deeper than ``NESTING_MAX`` are parsed as plain paragraphs. Each level
    of a quote or list re-reads its whole content, so depth multiplies the work, and
    upstream's only limit is Python's recursion limit (an error, not a page)."""

    depth = 0

    def parseBlocks(self, parent, blocks):
        if self.depth >= NESTING_MAX:
            for block in blocks:
                if block.strip():
                    paragraph = etree.SubElement(parent, "p")
                    paragraph.text = block.strip()
            blocks.clear()
            return
        self.depth += 1
        try:
            super().parseBlocks(parent, blocks)
        finally:
            self.depth -= 1


class _NoMatchMemo:
    """A block processor's whole-block search that remembers the last block with no match.
    Upstream searches every block from its start; a block losing one line per step (a run
    of headings or rules: the rest is put back as a new block) is searched once per line,
    each time to its end. A block that ends the remembered one at a line start cannot match
    where the remembered one did not (the patterns anchor at line starts), so it is not
    searched again."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.unmatched = ""

    def search(self, block: str, *args):
        if not args and self.unmatched.endswith(block):
            offset = len(self.unmatched) - len(block)
            if offset == 0 or self.unmatched[offset - 1] == "\n":
                return None
        match = self.pattern.search(block, *args)
        if match is None and not args:
            self.unmatched = block
        return match

    def __getattr__(self, name):
        return getattr(self.pattern, name)


# Block processors whose test searches the whole block, and the attribute holding the pattern.
_WHOLE_BLOCK_SEARCHES = {"hashheader": "RE", "hr": "SEARCH_RE", "quote": "RE", "reference": "RE"}


class _BoundedTableProcessor(TableProcessor):
    """Whether a block starts a table depends on its first two lines only; upstream splits
    and strips every line of the block for each test, and a block that loses one line per
    step (headings, rules) is tested once per line: the square of its length."""

    def test(self, parent, block):
        return super().test(parent, "\n".join(block.split("\n", 2)[:2]))


class _BoundedSetextHeaderProcessor(SetextHeaderProcessor):
    """A heading underlined with = or - is the block's first two lines; upstream splits the
    whole block into lines (and joins the rest again) for each heading."""

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


class _BoundedHTMLExtractor(HTMLExtractor):
    """A "<" is only tried as a start tag when a ">" comes before the next "<" (or a quote
    does, as in <a title="<">). The standard library's tolerant tag pattern lets a tag name
    run over "<", so "<a<a<a…" re-scans the rest of the text from every "<"."""

    _scan_data: str | None = None
    _next_close = -1

    def check_for_whole_start_tag(self, i):
        rawdata = self.rawdata
        if rawdata is not self._scan_data or self._next_close < i:
            self._scan_data = rawdata
            self._next_close = rawdata.find(">", i)
            if self._next_close == -1:
                self._next_close = len(rawdata)
        next_open = rawdata.find("<", i + 1, self._next_close)
        if next_open != -1 and not any(q in rawdata[i:next_open] for q in "\"'"):
            return -1
        if self._next_close == len(rawdata):
            return -1
        return super().check_for_whole_start_tag(i)


class _BoundedHtmlBlockPreprocessor(HtmlBlockPreprocessor):
    def run(self, lines):
        parser = _BoundedHTMLExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _BoundedRendering(Extension):
    def extendMarkdown(self, md):
        md.parser.__class__ = _BoundedParser
        md.preprocessors.register(_BoundedHtmlBlockPreprocessor(md), "html_block", 20)
        md.parser.blockprocessors.register(
            _BoundedSetextHeaderProcessor(md.parser), "setextheader", 60
        )
        table = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(
            _BoundedTableProcessor(md.parser, table.config), "table", 75
        )
        for name, attribute in _WHOLE_BLOCK_SEARCHES.items():
            processor = md.parser.blockprocessors[name]
            setattr(processor, attribute, _NoMatchMemo(getattr(processor, attribute)))
        backtick = md.inlinePatterns["backtick"]
        backtick.find_code_spans = partial(_bounded_find_code_spans, md, backtick.find_code_spans)
        for processor in md.inlinePatterns:
            if isinstance(processor, LinkInlineProcessor):
                processor.getText = partial(_bounded_get_text, processor)
                processor.getLink = partial(_bounded_get_link, processor, processor.getLink)


@lru_cache(maxsize=8)
def _to_html(source: str) -> str:
    """The Markdown step alone (pure, so kept for the few sources last seen: checking a body
    with ``check_renderable`` and then rendering it costs one Markdown pass)."""
    md = markdown.Markdown(
        extensions=[*_MARKDOWN_EXTENSIONS, _BoundedRendering()],
        extension_configs=_MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    md.link_scan_budget = _LINK_SCAN_BASE + LINK_SCAN_PER_CHAR * len(source)
    return md.convert(source)


# The sanitiser's cost is per piece of HTML it reads: a tag, or an escaped character such as
# &lt; (about 15–30 µs each here, see docs/performance.md). A post whose Markdown makes more
# than this is refused with a reason, so no accepted post takes long to render.
MARKUP_PIECES_MAX = 5_000


# Markdown's own cost grows with the characters that may start markup (each a pattern tried,
# each match a copy of the paragraph) and with lines (each may start a block); past this
# many of them together, a text is refused before Markdown runs.
MARKUP_CHARS_MAX = 10_000
_MARKUP_CHARS = re.compile(r"[*_`\[\]()<>&|\\!#~\n]")


_PRE_BLOCK = re.compile(r"<pre>.*?</pre>", re.DOTALL)


def markup_pieces(source: str) -> int:
    """How many pieces of markup the text makes: the tags, attributes ("=") and escaped
    characters (&lt;…) of its HTML, which the sanitiser reads one by one, its lines (each
    tag on a line of its own comes with a run of text), plus its backslash escapes, which
    Markdown handles one by one."""
    html = _to_html(source)
    # The lines of a code block are one run of text to the sanitiser, not a piece each, so
    # a long pasted log or JSON document in a fence is not mistaken for dense markup.
    lines = html.count("\n") - sum(block.count("\n") for block in _PRE_BLOCK.findall(html))
    # An escaped character costs the sanitiser about half what a tag does (measured:
    # docs/performance.md, "Rendering"), so a pasted document full of quotes or & counts
    # for what it costs.
    escapes = html.count("&") // 2
    return html.count("<") + escapes + html.count("=") + lines + source.count("\\")


def check_renderable(source: str) -> None:
    """Raise ``RenderRefused`` (with what to change) for a text too dense with markup to
    render within the budget. Costs one Markdown pass, which ``render_markdown`` reuses."""
    marks = len(_MARKUP_CHARS.findall(source))
    if marks > MARKUP_CHARS_MAX:
        raise RenderRefused(
            f"This post has too many lines and formatting characters to show: {marks:,} "
            "(line breaks and * _ ` [ ] ( ) < > & | \\ ! # ~ count) and one post can have "
            f"{MARKUP_CHARS_MAX:,}. Split it into two posts or shorten the longest log, table "
            "or code in it — your text is kept below."
        )
    pieces = markup_pieces(source)
    if pieces > MARKUP_PIECES_MAX:
        raise RenderRefused(
            f"This post has too much formatting to show: it would make {pieces:,} pieces of "
            f"markup (every emphasis, link, line break, list item, table cell and special "
            f"character such as < or & counts) and one post can have {MARKUP_PIECES_MAX:,}. "
            "Split it into two posts, or put long logs and data in a code block and shorten "
            "them — your text is kept below."
        )


# The @names the last few rendered sources mention, so notifications do not sanitise the
# post a second time (inside the post's transaction) to learn who it mentions.
_CANDIDATES_SEEN: dict[str, list[str]] = {}
_CANDIDATES_KEPT = 8


def _remember_candidates(source: str, names: list[str]) -> None:
    _CANDIDATES_SEEN[source] = list(names)
    while len(_CANDIDATES_SEEN) > _CANDIDATES_KEPT:
        try:
            del _CANDIDATES_SEEN[next(iter(_CANDIDATES_SEEN))]
        except (KeyError, RuntimeError, StopIteration):  # another thread evicted it first
            break


def mention_candidates(source: str) -> list[str]:
    """The @names in Markdown source exactly where rendering would link them (outside code,
    links and e-mail addresses), as written, first ``MENTIONS_MAX`` distinct ones
    (case-insensitively). Pure: no database."""
    if "@" not in source:
        return []
    if (seen := _CANDIDATES_SEEN.get(source)) is not None:
        return list(seen)
    collected: list[str] = []

    def collect(names):
        collected.extend(names)
        return {}

    _clean(_to_html(source), collect)
    _remember_candidates(source, collected)
    return collected


def _resolve_members(names: list[str]) -> dict[str, str]:
    from forum.mentions import mention_links  # forum.mentions imports this module

    return mention_links(names)


def render_markdown(source: str, *, mentions: dict[str, str] | None = None) -> str:
    """Markdown source to safe HTML, @mentions of members linked to their profiles.

    ``mentions`` maps lower-cased usernames to profile URLs; without it the members are
    looked up with one query (none when the text has no "@" or no mention), so every
    caller links mentions. Pure given ``mentions``: the same source gives the same HTML.
    Callers that take text from members call ``check_renderable`` first; what it cannot
    foresee (links the linkifier adds) raises ``RenderRefused`` past ``OUTPUT_PIECES_MAX``."""
    html = _to_html(source)
    if "@" not in source:
        return _clean(html)

    named: list[str] = []

    def resolve(names):
        named.extend(names)
        return _resolve_members(names) if mentions is None else mentions

    html = _clean(html, resolve)
    _remember_candidates(source, named)  # also when nobody is named: "@" in an address
    return html

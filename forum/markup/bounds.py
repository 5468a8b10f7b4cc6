"""The Markdown stage with its cost bounded: nesting of blocks capped at ``NESTING_MAX``,
bracket nesting in link text at ``LINK_NESTING_MAX``, the scanning for link ends sharing a
budget linear in the text's length, and ``check_renderable`` refusing a text too dense
with markup to render in time. What goes over a bound stays plain text; nothing is
dropped."""

import re
from functools import lru_cache, partial
from xml.etree import ElementTree as etree

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.htmlparser import HTMLExtractor
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor

from forum.markup.sanitise import RenderRefused

_MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists"]
# Column alignment as the align attribute the allow-list keeps; the default (a style
# attribute) would be removed by bleach and the alignment silently lost.
_MARKDOWN_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


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
def markdown_to_html(source: str) -> str:
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
    html = markdown_to_html(source)
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

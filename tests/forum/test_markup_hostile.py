"""The hostile-input corpus through the real ``render_markdown``: whatever a member types, the
stored HTML holds only allowed tags and attributes, no event handler, no style, no script
URL, and every link carries our rel. The browser half is tests/e2e/test_hostile_rendering.py.
"""

import re
from html.parser import HTMLParser

import pytest

from forum.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    render_markdown,
)
from tests.forum.hostile_corpus import HAS_NUL, HOSTILE_CORPUS, HostileCase

# How a browser reads a URL's scheme (WHATWG URL parser): leading and trailing C0 controls
# and spaces are trimmed, tabs and newlines anywhere are removed, then a scheme is an ASCII
# letter followed by letters, digits, "+", "-" or "." up to the first ":".
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
_CODE_CLASS = re.compile(r"^language-[A-Za-z0-9-]+$")


class _Element:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        self.tag = tag
        self.attrs = attrs

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs!r}>"


class _Collector(HTMLParser):
    """Every start tag with its attributes (values entity-decoded, as a browser sees them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.comments: list[str] = []
        self.declarations: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(_Element(tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append(_Element(tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.declarations.append(decl)

    def unknown_decl(self, data):
        self.declarations.append(data)

    def handle_pi(self, data):
        self.declarations.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def url_scheme(value: str) -> str | None:
    """The scheme a browser would use for this attribute value, or None if relative."""
    value = _TAB_OR_NEWLINE.sub("", value.strip(_C0_OR_SPACE))
    match = _SCHEME.match(value)
    return match.group(1).lower() if match else None


def squashed(value: str) -> str:
    """Belt and braces: the value with every control, space and zero-width character gone."""
    return re.sub(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\ufeff]", "", value).lower()


def assert_safe(html: str) -> None:
    parsed = parse(html)
    assert not parsed.comments, f"comment survived: {parsed.comments}"
    assert not parsed.declarations, f"declaration survived: {parsed.declarations}"
    for element in parsed.elements:
        assert element.tag in ALLOWED_TAGS, f"forbidden tag {element!r} in {html!r}"
        allowed = ALLOWED_ATTRIBUTES.get(element.tag, [])
        names = [name for name, _ in element.attrs]
        assert len(names) == len(set(names)), f"duplicate attribute on {element!r}"
        for name, value in element.attrs:
            assert not name.startswith("on"), f"event handler on {element!r}"
            assert name != "style", f"style attribute on {element!r}"
            assert name in allowed, f"attribute {name!r} not allowed on {element!r}"
            if element.tag == "code" and name == "class":
                assert value and _CODE_CLASS.match(value), f"code class {value!r}"
            if name in ("href", "src"):
                scheme = url_scheme(value or "")
                assert scheme is None or scheme in ALLOWED_PROTOCOLS, (
                    f"{name}={value!r} uses scheme {scheme!r} on {element!r}"
                )
                assert not squashed(value or "").startswith(_SCRIPT_SCHEMES), (
                    f"{name}={value!r} looks like a script URL on {element!r}"
                )
                # A protocol-relative address leaves the site: it must be written as https.
                assert not squashed(value or "").replace("\\", "/").startswith("//"), (
                    f"{name}={value!r} is protocol-relative on {element!r}"
                )
        if element.tag == "img":
            # Readers' browsers never fetch images from hosts a member names.
            assert url_scheme(element.get("src") or "") is None, f"external image {element!r}"
        if element.tag == "a":
            href = element.get("href")
            rel = element.get("rel")
            if href is not None and url_scheme(href) == "mailto":
                # Mail links are left without rel (forum.markup._set_rel), and a rel the
                # member typed never survives.
                assert rel in (None, LINK_REL), f"typed rel survived on {element!r}"
            else:
                assert rel == LINK_REL, f"link without our rel: {element!r}"
    assert not re.search(r"<\s*/?\s*(script|iframe|object|embed|svg|math|style)", html, re.I)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in HOSTILE_CORPUS])
def test_hostile_input_renders_to_allowed_html_only(case: HostileCase):
    assert_safe(render_markdown(case.source))


def test_corpus_is_large_and_distinct():
    assert len(HOSTILE_CORPUS) >= 120
    assert len({case.id for case in HOSTILE_CORPUS}) == len(HOSTILE_CORPUS)
    assert len({case.source for case in HOSTILE_CORPUS}) == len(HOSTILE_CORPUS)
    assert {case.id for case in HOSTILE_CORPUS} >= HAS_NUL


def test_rendering_is_deterministic():
    first = [render_markdown(case.source) for case in HOSTILE_CORPUS]
    second = [render_markdown(case.source) for case in reversed(HOSTILE_CORPUS)]
    assert first == second[::-1]


# --- what the pipeline must still do ----------------------------------------------------------


def test_emphasis_renders():
    assert render_markdown("It fails **every** time, *mostly*.") == (
        "<p>It fails <strong>every</strong> time, <em>mostly</em>.</p>"
    )


def test_fenced_code_keeps_its_language_class_and_escapes_html():
    html = render_markdown('```python\nprint("<b>hi</b>")\n```')
    assert html == (
        '<pre><code class="language-python">print(&quot;&lt;b&gt;hi&lt;/b&gt;&quot;)\n</code></pre>'
    )


def test_table_renders_with_alignment():
    html = render_markdown("| Name | Rows |\n|:-----|-----:|\n| orders | 1000 |")
    assert "<table>" in html
    assert '<th align="left">Name</th>' in html
    assert '<td align="right">1000</td>' in html
    assert_safe(html)


def test_bare_url_is_linkified_with_rel():
    html = render_markdown("See https://example.com/docs/export for details.")
    assert f'<a href="https://example.com/docs/export" rel="{LINK_REL}">' in html


def test_markdown_link_gets_rel_and_typed_rel_is_replaced():
    assert render_markdown("[docs](https://example.com/)") == (
        f'<p><a href="https://example.com/" rel="{LINK_REL}">docs</a></p>'
    )
    html = render_markdown('<a href="https://example.com/" rel="opener me">docs</a>')
    assert f'rel="{LINK_REL}"' in html
    assert "opener me" not in html


def test_mail_link_keeps_no_rel_at_all():
    assert render_markdown("[mail us](mailto:help@example.com)") == (
        '<p><a href="mailto:help@example.com">mail us</a></p>'
    )
    assert render_markdown('<a href="mailto:help@example.com" rel="me">mail</a>') == (
        '<p><a href="mailto:help@example.com">mail</a></p>'
    )


def test_raw_script_is_shown_as_text_not_dropped():
    html = render_markdown("Why does <script>alert(1)</script> break?")
    assert html == "<p>Why does &lt;script&gt;alert(1)&lt;/script&gt; break?</p>"


def test_disallowed_attributes_go_but_the_element_and_text_stay():
    html = render_markdown('<a href="javascript:alert(1)" onclick="alert(1)">click me</a>')
    assert html == f'<p><a rel="{LINK_REL}">click me</a></p>'
    assert render_markdown("<img src=x onerror=alert(1) alt=pic>") == (
        f'<p><a href="x" class="external-image" rel="{LINK_REL}">image: pic</a></p>'
    )


@pytest.mark.parametrize(
    "bad_html",
    [
        "<script>alert(1)</script>",
        "<p><svg></svg></p>",
        '<p style="color:red">x</p>',
        '<img src="x" onerror="alert(1)">',
        f'<a href="javascript:alert(1)" rel="{LINK_REL}">x</a>',
        f'<a href=" &#x6A;ava&#x09;script:alert(1)" rel="{LINK_REL}">x</a>',
        f'<a href="\x01DATA:text/html,x" rel="{LINK_REL}">x</a>',
        '<img src="vbscript:msgbox(1)">',
        '<a href="https://example.com/">no rel</a>',
        '<a href="https://example.com/" rel="nofollow">weak rel</a>',
        '<a href="mailto:x@example.com" rel="me">typed rel</a>',
        f'<a href="//evil.example/" rel="{LINK_REL}">x</a>',
        f'<a href="/&#92;evil.example/" rel="{LINK_REL}">x</a>',
        '<img src="https://evil.example/leak.png">',
        '<code class="language-x onclick">x</code>',
        '<td colspan="2">x</td>',
        "<p><!-- hidden --></p>",
    ],
)
def test_the_checker_itself_rejects_unsafe_html(bad_html):
    """Guard against a checker that passes everything."""
    with pytest.raises(AssertionError):
        assert_safe(bad_html)

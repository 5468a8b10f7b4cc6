"""The one rendering pipeline: Markdown to HTML, then bleach against an allow-list.

Services call ``render_markdown`` when a post is written and store the result with
``RENDER_VERSION``; templates print the stored HTML and never render Markdown.
Raw HTML typed by a member is escaped (shown as text), never dropped, so nothing
they wrote silently disappears.
"""

from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

# Bump when the pipeline's output changes; stored HTML carries the version it was made with.
RENDER_VERSION = 2

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "del", "s", "code", "pre", "kbd",
        "blockquote", "ul", "ol", "li", "a", "img",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
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


def render_markdown(source: str) -> str:
    """Markdown source to safe HTML. Pure: the same source always gives the same HTML."""
    html = markdown.markdown(
        source,
        extensions=_MARKDOWN_EXTENSIONS,
        extension_configs=_MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    return _cleaner.clean(html)

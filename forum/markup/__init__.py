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

The stages, one module each: ``bounds`` (Markdown with its cost bounded, and
``check_renderable``), ``sanitise`` (the allow-list, links and images), ``mention_scan``
(where a mention is), ``members`` (the one lookup of the members a render links) and
``render`` (the entry point). ``forum.mentions`` builds on them; nothing here imports it.
"""

from forum.markup.bounds import (
    LINK_NESTING_MAX,
    LINK_SCAN_PER_CHAR,
    MARKUP_CHARS_MAX,
    MARKUP_PIECES_MAX,
    NESTING_MAX,
    check_renderable,
    markdown_to_html,
    markup_pieces,
)
from forum.markup.mention_scan import MENTIONS_MAX, USERNAME_MAX, mentions_in_text
from forum.markup.render import RENDER_VERSION, mention_candidates, render_markdown
from forum.markup.sanitise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    OUTPUT_PIECES_MAX,
    RenderRefused,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "LINK_NESTING_MAX",
    "LINK_REL",
    "LINK_SCAN_PER_CHAR",
    "MARKUP_CHARS_MAX",
    "MARKUP_PIECES_MAX",
    "MENTIONS_MAX",
    "NESTING_MAX",
    "OUTPUT_PIECES_MAX",
    "RENDER_VERSION",
    "USERNAME_MAX",
    "RenderRefused",
    "check_renderable",
    "markdown_to_html",
    "markup_pieces",
    "mention_candidates",
    "mentions_in_text",
    "render_markdown",
]

"""The render entry point: Markdown (bounded), then sanitising, then @mentions of members
linked to their profiles; and the @names a source mentions, read from the same pass."""

from functools import partial

from forum.markup.bounds import markdown_to_html
from forum.markup.members import mention_links
from forum.markup.mention_scan import MentionFilter
from forum.markup.sanitise import clean

# Bump when the pipeline's output changes; stored HTML carries the version it was made with.
# 3: @mentions of members link to their profiles.
# 4: bounded nesting, protocol-relative links made https, images from other hosts as links.
# 5: attachments shown as thumbnails; other images on our own site become links too.
RENDER_VERSION = 5


def _clean(html: str, resolve=None) -> str:
    if resolve is None:
        return clean(html)
    return clean(html, mention_filter=partial(MentionFilter, resolve=resolve))


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

    _clean(markdown_to_html(source), collect)
    _remember_candidates(source, collected)
    return collected


def render_markdown(source: str, *, mentions: dict[str, str] | None = None) -> str:
    """Markdown source to safe HTML, @mentions of members linked to their profiles.

    ``mentions`` maps lower-cased usernames to profile URLs; without it the members are
    looked up with one query (none when the text has no "@" or no mention), so every
    caller links mentions. Pure given ``mentions``: the same source gives the same HTML.
    Callers that take text from members call ``check_renderable`` first; what it cannot
    foresee (links the linkifier adds) raises ``RenderRefused`` past ``OUTPUT_PIECES_MAX``."""
    html = markdown_to_html(source)
    if "@" not in source:
        return _clean(html)

    named: list[str] = []

    def resolve(names):
        named.extend(names)
        return mention_links(names) if mentions is None else mentions

    html = _clean(html, resolve)
    _remember_candidates(source, named)  # also when nobody is named: "@" in an address
    return html

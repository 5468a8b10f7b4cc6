"""Placeholders in saved replies: which ones exist, which a body names that don't, and
filling them for one thread.

The filled text is Markdown source that staff edit and then post through the normal
pipeline (``forum.markup``), so values are escaped for Markdown, not for HTML: a thread
titled ``**urgent** [click](x)`` reads as typed in the reply instead of turning into
bold text and a link, and ``<b>`` in a name reads as typed instead of as raw HTML."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# {name}: letters, digits and underscores, so "{ }" or "{0,3}" in code examples are not
# taken for placeholders.
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,40})\}")
# Characters Python-Markdown turns into markup inside a line; a backslash shows each as
# itself. "_" only at a word's edge: inside a word (snake_case) it is never emphasis.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]])|(?<!\w)_|_(?!\w)|^([#>+-])|^(\d+)\.")
_LINE_BREAKS = re.compile(r"[\r\n\x00-\x08\x0b-\x1f\x7f]+")


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str | Promise
    example: str | Promise


PLACEHOLDERS = (
    Placeholder("asker", _("the display name of the person who started the thread"), "Ada"),
    Placeholder("asker_username", _("their username, e.g. for an @mention"), "ada_l"),
    Placeholder("thread_title", _("the thread's title"), _("Export fails on large files")),
    Placeholder("board", _("the board's name"), _("Help")),
    Placeholder("me", _("your own display name"), "Sam"),
)
KNOWN = frozenset(p.name for p in PLACEHOLDERS)


def unknown_placeholders(body: str) -> list[str]:
    """The placeholders a body names that are not filled, each once, in order: they are
    inserted as typed, which is usually a typo."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER_RE.finditer(body or ""):
        if match.group(1) not in KNOWN:
            seen.setdefault("{" + match.group(1) + "}", None)
    return list(seen)


def markdown_escape(value: str) -> str:
    """One line of plain text as Markdown that renders as that text."""
    value = _LINE_BREAKS.sub(" ", value).strip()

    def escape(match: re.Match) -> str:
        if match.group(3) is not None:
            return match.group(3) + "\\."
        return "\\" + match.group(0)

    return _MARKDOWN_SPECIAL.sub(escape, value).replace("<", "&lt;")


def fill_placeholders(body: str, values: dict[str, str]) -> str:
    """Each known placeholder replaced by its value (escaped for Markdown), in one pass,
    so a value that itself contains "{me}" stays as it is; unknown ones are left."""

    escaped = {name: markdown_escape(value) for name, value in values.items()}
    return PLACEHOLDER_RE.sub(lambda m: escaped.get(m.group(1), m.group(0)), body)

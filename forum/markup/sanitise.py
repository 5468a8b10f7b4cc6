"""The sanitising stage: bleach against an allow-list, bare addresses linked with our rel,
protocol-relative links made https, images other than our attachments turned into links, and a
budget on what the sanitiser may write (``OUTPUT_PIECES_MAX``)."""

import re
from functools import partial
from urllib.parse import urlsplit

import bleach
from bleach import html5lib_shim, linkifier
from bleach.linkifier import LinkifyFilter

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


# An image attached to a post (forum.services.attachments), by the address the editor
# writes; shown as its thumbnail, linking to the full image.
_ATTACHMENT_SRC = re.compile(r"^/attachments/(\d{1,18})/\Z")


def _attachment_image(token, attachment_id: str, link_depth: int):
    alt = token["data"].get((None, "alt"), "")
    image = {
        "type": "EmptyTag",
        "name": "img",
        "data": {
            (None, "src"): f"/attachments/{attachment_id}/thumbnail/",
            (None, "alt"): alt,
            (None, "loading"): "lazy",
            (None, "class"): "attachment__image",
        },
    }
    if link_depth:
        yield image
        return
    full = f"/attachments/{attachment_id}/"
    yield {
        "type": "StartTag",
        "name": "a",
        "data": {(None, "href"): full, (None, "class"): "attachment"},
    }
    yield image
    yield {"type": "EndTag", "name": "a"}


class ExternalImageFilter(html5lib_shim.Filter):
    """Shows an attachment as its thumbnail linking to the full image, and turns every
    other image into a link to it, reading "image: <alt> (<host>)", so a reader's browser
    never fetches an address a member names (another host would learn their address; one
    of ours would be requested with their cookies). Runs after the sanitiser; inside a
    link the image becomes its text, as links do not nest."""

    def __iter__(self):
        link_depth = 0
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if name == "a" and kind == "StartTag":
                link_depth += 1
            elif name == "a" and kind == "EndTag":
                link_depth = max(link_depth - 1, 0)
            elif name == "img" and kind in ("EmptyTag", "StartTag"):
                src = token["data"].get((None, "src"), "")
                if (attachment := _ATTACHMENT_SRC.match(src)) is not None:
                    yield from _attachment_image(token, attachment.group(1), link_depth)
                    continue
                target = _external_image_target(src)
                if target is None:
                    # Another address on our own site: a reader's browser would request it,
                    # with their cookies, on every view of the post. Only attachments are
                    # shown as images; anything else is a link to it.
                    target = _browser_view(src)
                alt = " ".join(token["data"].get((None, "alt"), "").split())
                host = _host_of(target)
                label = "image: " + alt if alt else "image"
                if host:
                    label += f" ({host})"
                if link_depth or not target:
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


def clean(html: str, *, mention_filter=None) -> str:
    """Sanitise rendered Markdown against the allow-list, link bare addresses, turn other
    hosts' images into links and keep to the output budget; ``mention_filter`` (a
    ``MentionFilter`` bound to this render's lookup) links @mentions after sanitising."""
    if mention_filter is None:
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
            mention_filter,
            _OutputBudgetFilter,
        ],
    )
    return cleaner.clean(html)

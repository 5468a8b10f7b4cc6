"""The pieces of the hostile-URL walk (tests/config/test_hostile_urls.py): every URL pattern
of the project, hostile values for path converters, query strings and form fields, a
recorder that learns which parameters each view reads, and the judge of a response.

Values are written as they travel on the wire (percent-escaped), so the test client sends
exactly the bytes a hostile client would: ``%00`` reaches the view as a NUL, ``%ff%fe``
as invalid UTF-8."""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote_to_bytes, urlsplit

from django.http import QueryDict
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils.encoding import repercent_broken_unicode

LONG = "x" * 10_240
HUGE = "99999999999999999999"

# What a path converter's slot is filled with. Each is tried alone in its slot, the other
# slots keeping a valid value.
PATH_VALUES = [
    "%00",
    "a%00b",
    HUGE,
    "9223372036854775808",  # one past a 64-bit integer
    "2147483648",  # one past a 32-bit integer
    "0",
    "-1",
    "9999-12-31",
    LONG,
    "%ff%fe",  # invalid UTF-8
    "%C0%AE%C0%AE",  # overlong encoding of ".."
    "%E2%80%AE%F0%9F%92%A9",  # right-to-left override and an emoji
    "..",
    "%2e%2e%2f%2e%2e",
    "%20",
    "%3Cscript%3E",
]

# What a query parameter or form field is set to.
PARAM_VALUES = [
    "%00",
    "a%00b",
    HUGE,
    "-" + HUGE,
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",  # a datetime-local input's value
    "0001-01-01T00:00",
    "10000-01-01",
    "2026-02-30",
    "1e308",
    "NaN",
    LONG,
    "%ff%fe",
    "%C0%80",
    "%E2%80%AE%F0%9F%92%A9",
    "a%01b%1Bc%0Bd",  # control characters XML and terminals refuse
    "..%2F..%2Fetc%2Fpasswd",
    "%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example%2F",
    "",
]

# Always among a parameter's values, whatever the sample: the ones that broke views before.
CORE_PARAM_VALUES = ["%00", HUGE, "-1", "9999-12-31", "9999-12-31T23:59", LONG, "%ff%fe"]

# Names sent to every view whatever it reads: pagination, search, sorting, redirects.
GENERIC_PARAMS = ["page", "q", "sort", "status", "board", "next", "after", "o", "p"]


def as_arrays(name: str) -> list[str]:
    """The ways a client sends several values for one name."""
    return [
        f"{name}=1&{name}=2",
        f"{name}=1&{name}={HUGE}",
        f"{name}%5B%5D=x&{name}%5B%5D=y",
        f"{name}%5B0%5D=x",
        f"{name}",
    ]


# --- The URL patterns ---------------------------------------------------------------------

_SLOT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass
class Route:
    """One URL pattern, as a template with ``<converter:name>`` slots."""

    template: str
    name: str
    group: str
    callback: object = None
    slots: list[str] = field(default_factory=list)

    def path(self, values: dict[str, str], hostile: tuple[str, str] | None = None) -> str:
        def fill(match):
            slot = match.group("name")
            if hostile and slot == hostile[0]:
                return hostile[1]
            return values.get(slot, "1")

        return "/" + _SLOT.sub(fill, self.template)

    @property
    def is_admin(self) -> bool:
        return self.group == "admin"

    def reaches_view(self, path: str) -> bool:
        """Whether ``path`` (as sent on the wire) reaches this pattern's view. A value its
        converter refuses gets the URL resolver's 404, the same for every pattern."""
        decoded = repercent_broken_unicode(unquote_to_bytes(path)).decode()
        try:
            match = resolve(decoded)
        except Resolver404:
            return False
        return match.func is self.callback


def _regex_to_template(regex: str) -> str:
    """A RegexPattern's regex as a template: each named group becomes a ``<name>`` slot."""
    out, i = [], 0
    regex = regex.lstrip("^").removesuffix("$").removesuffix("\\Z")
    while i < len(regex):
        if regex.startswith("(?P<", i):
            end = regex.index(">", i)
            name = regex[i + 4 : end]
            depth, j = 1, end + 1
            while depth:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
            out.append(f"<{name}>")
            i = j
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _template(pattern) -> str:
    route = getattr(pattern, "_route", None)
    if route is not None:
        return route
    return _regex_to_template(pattern.regex.pattern)


def all_routes() -> list[Route]:
    """Every URL pattern reachable from the root URLconf, includes expanded."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, group: str):
        for entry in patterns:
            template = prefix + _template(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = group or (
                    "admin"
                    if template.startswith("admin/")
                    else "allauth"
                    if template.startswith("accounts/")
                    else entry.app_name or entry.namespace or "root"
                )
                walk(entry.url_patterns, template, inner)
            elif isinstance(entry, URLPattern):
                slots = [m.group("name") for m in _SLOT.finditer(template)]
                routes.append(
                    Route(template, entry.name or "", group or "root", entry.callback, slots)
                )

    walk(get_resolver().url_patterns, "", "")
    return routes


# --- Which parameters a view reads ----------------------------------------------------------

READ_EVERYTHING = "*"


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes every name asked for, present or not, in ``seen``. A view
    that walks all the names (``items()``, ``copy()``) is noted as reading everything."""

    seen: set[str] = set()

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.seen.add(key)
        return super().getlist(key, default)

    def items(self):
        self.seen.add(READ_EVERYTHING)
        return super().items()

    def lists(self):
        self.seen.add(READ_EVERYTHING)
        return super().lists()

    def keys(self):
        self.seen.add(READ_EVERYTHING)
        return super().keys()

    def __iter__(self):
        self.seen.add(READ_EVERYTHING)
        return super().__iter__()


class RecordingGET(RecordingQueryDict):
    seen: set[str] = set()


class RecordingPOST(RecordingQueryDict):
    seen: set[str] = set()


def start_recording() -> None:
    RecordingGET.seen = set()
    RecordingPOST.seen = set()


class RecordingMiddleware:
    """Put first in MIDDLEWARE during a probe: swaps request.GET and request.POST for
    recording copies, so every later read is noted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _recording(request.GET, RecordingGET)
        if request.method == "POST":
            request.POST = _recording(request.POST, RecordingPOST)
        return self.get_response(request)


def _recording(data: QueryDict, kind: type[RecordingQueryDict]) -> RecordingQueryDict:
    copy = kind(mutable=True, encoding=data.encoding)
    for key, values in dict.items(data):
        dict.__setitem__(copy, key, list(values))
    copy._mutable = False
    return copy


# --- Judging a response ------------------------------------------------------------------

# 401: allauth's page for a sign-in the identity provider did not complete.
OK_STATUSES = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409, 410, 413, 429}


def problem_with(response) -> str | None:
    """Why this response is not an acceptable answer to a hostile request, or None."""
    status = response.status_code
    if status not in OK_STATUSES:
        return f"answered {status}"
    content_type = response.get("Content-Type", "")
    if status in (301, 302, 303):
        location = response.get("Location", "")
        parts = urlsplit(location)
        if parts.netloc not in ("", "testserver") or location.startswith(("//", "/\\")):
            return f"redirects off the site to {location[:80]!r}"
    if status == 405 and not response.get("Allow"):
        return "405 without an Allow header"
    if status in (400, 401, 403, 404, 405, 409, 413, 429):
        body = response.content
        if content_type.startswith("application/json"):
            try:
                json.loads(body)
            except ValueError:
                return f"{status} with a body that is not JSON"
        elif content_type.startswith("text/html"):
            if b'href="/help/"' not in body and b"Django site admin" not in body:
                return f"{status} without the site's human error page"
        elif content_type.startswith("text/plain"):
            if len(body.strip()) < 20:
                return f"{status} with no explanation"
        else:
            return f"{status} as {content_type or 'no content type'}"
    return None


# --- A valid-looking form, so one hostile field meets the code behind the others ---------

FILLER = "A plain sentence, long enough for any minimum length on this site."


class _FormReader(HTMLParser):
    """The fields of the page's POST forms that submit to ``path`` (not the header's
    sign-out form), with the values a person would send unchanged."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._in_form = attrs.get("method", "").lower() == "post" and attrs.get(
                "action", ""
            ) in ("", self.path)
        if not self._in_form or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs or name not in self.fields:
                    self.fields[name] = attrs.get("value", "on")
                return
            self.fields[name] = attrs.get("value") or (FILLER if kind == "text" else "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = FILLER

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class _OptionReader(_FormReader):
    def handle_starttag(self, tag, attrs):
        if tag == "option" and self._in_form and self._select:
            attrs = {key: value or "" for key, value in attrs}
            value = attrs.get("value", "")
            if value and (self.fields.get(self._select, "") == "" or "selected" in attrs):
                self.fields[self._select] = value
            return
        super().handle_starttag(tag, attrs)


def form_baseline(html: bytes, path: str) -> dict[str, str]:
    """What the page's own form would send for ``path``, filled in where empty."""
    reader = _OptionReader(path)
    reader.feed(html.decode("utf-8", "replace"))
    return reader.fields

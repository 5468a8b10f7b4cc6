"""Whole pages for visitors, served from the page cache (forum.pagecache).

A visitor's page is stored under its address and the versions of what it shows, and a
later visitor asking for the same address gets the stored bytes: no query, no template.
Only what every visitor would see is stored, so a response is kept only when the request
carried no session or messages cookie and the page set no cookie, used no CSRF token,
touched no session and queued no message. The CSP nonce of the stored copy is swapped
for the new request's own nonce when it is served, so each response keeps a fresh one.
The stored response is taken before the middleware's response phase: compression,
security and CSP headers are added to each response as to any other.
"""

import functools
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from forum import pagecache

NONCE_MARK = b"\x00csp-nonce\x00"
_SKIPPED_HEADERS = {"set-cookie", "content-length"}


def valid_until(request, when: datetime | None) -> None:
    """This page changes by itself at ``when`` (a notice starts or ends, a lockdown runs
    out): a stored copy must not outlive it."""
    if when is None:
        return
    current = getattr(request, "page_valid_until", None)
    if current is None or when < current:
        request.page_valid_until = when


def _storable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _storable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    stored_messages = getattr(request, "_messages", None)
    if stored_messages is not None and (
        stored_messages.added_new or getattr(stored_messages, "_queued_messages", None)
    ):
        return False
    return not getattr(request, "user", None) or not request.user.is_authenticated


def _timeout(request) -> float:
    until = getattr(request, "page_valid_until", None)
    if until is None:
        return pagecache.PAGE_TIMEOUT
    return min(pagecache.PAGE_TIMEOUT, (until - timezone.now()).total_seconds())


def _nonce(request) -> bytes | None:
    nonce = getattr(request, "_csp_nonce", None)
    return nonce.encode() if nonce else None


def _stored(request, response) -> tuple:
    content = response.content
    nonce = _nonce(request)
    if nonce:
        content = content.replace(nonce, NONCE_MARK)
    headers = [(k, v) for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS]
    return (content, headers)


def _served(request, stored) -> HttpResponse:
    content, headers = stored
    if NONCE_MARK in content:
        content = content.replace(NONCE_MARK, str(request.csp_nonce).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def visitor_cached(scopes):
    """Serve the view's page to visitors from the page cache. ``scopes(**kwargs)`` names
    what the page shows (forum.pagecache scopes) from the URL alone, without a query."""

    def decorate(view):
        kind = getattr(view, "__name__", type(view).__name__)

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _storable_request(request):
                return view(request, *args, **kwargs)
            versions = pagecache.versions(scopes(**kwargs))
            if versions is None:
                return view(request, *args, **kwargs)
            # The full address: feeds and canonical links print the host and scheme.
            key = pagecache.page_key(kind, request.build_absolute_uri(), versions)
            stored = pagecache.page_get(key)
            if stored is not None:
                return _served(request, stored)
            response = view(request, *args, **kwargs)
            if _storable_response(request, response):
                pagecache.page_set(key, _stored(request, response), timeout=_timeout(request))
            return response

        return wrapped

    return decorate


def site_pages(**kwargs) -> tuple[str, ...]:
    """Pages listing content from anywhere: the board list, a board, search, feeds."""
    return (pagecache.SITE, pagecache.CONTENT)


def thread_pages(*, thread_id: int, **kwargs) -> tuple[str, ...]:
    return (pagecache.SITE, pagecache.thread_scope(thread_id))

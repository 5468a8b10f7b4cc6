"""Akismet, when ``AKISMET_API_KEY`` is set. A second opinion, never a gate: an outage,
an error or a slow answer (``AKISMET_TIMEOUT``, 2 s) returns None and the local filter
decides alone. The outage is logged once when it starts and once when Akismet answers
again, not once per post.

The ``akismet`` package always calls https://rest.akismet.com/…; ``AKISMET_ENDPOINT``
(for tests, a fake server on 127.0.0.1) is reached by handing the client an httpx client
whose transport sends each request to that endpoint instead. Everything else — the form
fields, the response parsing, the "discard" pro-tip — stays the package's own."""

import enum
import logging
import threading
from functools import lru_cache
from urllib.parse import urlsplit

import akismet
import httpx
from django.conf import settings

log = logging.getLogger(__name__)


class AkismetVerdict(enum.Enum):
    HAM = "ham"
    SPAM = "spam"
    # Akismet's "blatant spam, do not even keep it".
    DISCARD = "discard"


class _EndpointTransport(httpx.HTTPTransport):
    """Sends every request to ``endpoint`` (scheme, host and port), keeping the path."""

    def __init__(self, endpoint: str, **kwargs):
        super().__init__(**kwargs)
        parts = urlsplit(endpoint)
        self._scheme, self._host, self._port = parts.scheme, parts.hostname, parts.port

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme=self._scheme, host=self._host, port=self._port)
        request.headers["Host"] = request.url.netloc.decode("ascii")
        return super().handle_request(request)


@lru_cache(maxsize=4)
def _client(key: str, blog_url: str, endpoint: str, timeout: float) -> akismet.SyncClient:
    # One client per process (httpx clients are thread-safe and keep connections open).
    # The default constructor does not call verify-key: a wrong key shows up as an error
    # on the first check, which falls back like any other.
    http = httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT},
        timeout=timeout,
        transport=_EndpointTransport(endpoint),
    )
    return akismet.SyncClient(config=akismet.Config(key=key, url=blog_url), http_client=http)


class _Outage:
    def __init__(self):
        self._lock = threading.Lock()
        self.down = False

    def failed(self, exc: Exception) -> None:
        with self._lock:
            first, self.down = not self.down, True
        if first:
            log.warning(
                "Akismet is unavailable (%s: %s); scoring posts with the local filter "
                "until it answers again.",
                type(exc).__name__,
                str(exc).strip().splitlines()[0] if str(exc).strip() else "no detail",
            )

    def answered(self) -> None:
        with self._lock:
            was_down, self.down = self.down, False
        if was_down:
            log.warning("Akismet is answering again.")


outage = _Outage()


def akismet_enabled() -> bool:
    return bool(settings.AKISMET_API_KEY)


def akismet_check(
    *,
    title: str,
    body: str,
    ip: str | None,
    user_agent: str | None,
    author_name: str = "",
    author_email: str = "",
) -> AkismetVerdict | None:
    """Akismet's verdict on a post, or None when Akismet is not configured or did not
    answer in time."""
    if not akismet_enabled():
        return None
    client = _client(
        settings.AKISMET_API_KEY,
        settings.AKISMET_BLOG_URL,
        settings.AKISMET_ENDPOINT,
        float(settings.AKISMET_TIMEOUT),
    )
    content = f"{title}\n\n{body}" if title else body
    fields = {"comment_type": "forum-post", "comment_content": content}
    if user_agent:
        fields["user_agent"] = user_agent
    if author_name:
        fields["comment_author"] = author_name
    if author_email:
        fields["comment_author_email"] = author_email
    try:
        # Akismet requires an IP; an operator's dry run (spamcheck) has none.
        answer = client.comment_check(user_ip=ip or "127.0.0.1", **fields)
    except akismet.AkismetError as exc:
        outage.failed(exc)
        return None
    outage.answered()
    if answer == akismet.CheckResponse.DISCARD:
        return AkismetVerdict.DISCARD
    return AkismetVerdict.SPAM if answer else AkismetVerdict.HAM

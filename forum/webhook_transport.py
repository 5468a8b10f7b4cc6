"""How a webhook delivery travels: its signature, and a POST that only ever reaches a
public address (unless WEBHOOK_ALLOW_PRIVATE_TARGETS), follows no redirect, uses no proxy
and reads at most the start of the answer.

The address is vetted where the socket connects, not only when the URL is saved, so a
name that resolves to a public address when checked and a private one when used (DNS
rebinding) is still refused."""

import hashlib
import hmac
import ipaddress
import socket
import urllib.error
import urllib.request
from http.client import HTTPConnection, HTTPSConnection
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

# Only the start of a receiver's answer is kept (and read): enough to see its error.
RESPONSE_EXCERPT_BYTES = 2048
ERROR_MAX = 2000


class TargetRefused(Exception):
    """The webhook's address leads somewhere it may not (a private or reserved address)."""


def _refusal(host: str, address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_global and not ip.is_multicast:
        return None
    if host.strip("[]") == address:
        return gettext(
            "%(address)s is a loopback, private, link-local or reserved address: webhooks "
            "only go to public addresses."
        ) % {"address": ip}
    return gettext(
        "%(host)s resolves to %(address)s, a loopback, private, link-local or reserved "
        "address: webhooks only go to public addresses."
    ) % {"host": host, "address": ip}


def _vetted_addresses(host: str, port: int) -> list:
    """Every address ``host`` resolves to, refused as a whole when one is private (unless
    WEBHOOK_ALLOW_PRIVATE_TARGETS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TargetRefused(
            gettext("%(host)s could not be resolved (%(error)s).") % {"host": host, "error": exc}
        ) from exc
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        for info in infos:
            reason = _refusal(host, info[4][0])
            if reason:
                raise TargetRefused(reason)
    return infos


def target_problem(url: str) -> str | None:
    """Why a webhook may not send to ``url``, or None: asked by the admin form, and again
    at every connection (the address a name resolves to can change)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return gettext("Enter an http:// or https:// address.")
    try:
        _vetted_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except TargetRefused as exc:
        return str(exc)
    return None


def _vetted_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None,
                       **kwargs):  # fmt: skip
    """socket.create_connection to an address that was vetted in the same breath, so a name
    that resolves to a public address when checked and a private one when connecting
    (DNS rebinding) gets nowhere."""
    host, port = address
    error = None
    for family, kind, proto, _name, sockaddr in _vetted_addresses(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"No address for {host}")


class _VettedHTTPConnection(HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _vetted_connection


class _VettedHTTPSConnection(HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _vetted_connection


class _VettedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_VettedHTTPConnection, req)


class _VettedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_VettedHTTPSConnection, req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the receiver's answer, logged as it came: following it would let a
    public address send the signed body on to a private one."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxy from the environment either: the vetting is of the address connected to.
_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirects, _VettedHTTPHandler, _VettedHTTPSHandler
)


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The ``Porchlight-Signature`` header's value, as a receiver recomputes it."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post(url: str, *, body: bytes, headers: dict) -> tuple[int, str]:
    """POST and return (status code, the start of the answer). Raises on no answer."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise TargetRefused(gettext("Enter an http:// or https:// address."))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked above)
    try:
        response = _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT)
    except urllib.error.HTTPError as exc:
        response = exc
    try:
        status = response.status if hasattr(response, "status") else response.code
        try:
            excerpt = response.read(RESPONSE_EXCERPT_BYTES)
        except OSError:
            excerpt = b""
    finally:
        response.close()
    return status, excerpt.decode("utf-8", "replace")


def describe_failure(exc: Exception) -> str:
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, Exception) else exc
    if isinstance(exc, TimeoutError | socket.timeout):
        return gettext("No answer within %(seconds)s s (timed out).") % {
            "seconds": settings.WEBHOOK_TIMEOUT
        }
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]

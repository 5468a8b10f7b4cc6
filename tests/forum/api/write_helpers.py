"""What the API write tests share: tokens of each scope, JSON requests, and the refusal
sentence a form view shows (read from its page, so a test compares the API with the
site rather than with a copy of the words)."""

import json
import re

from accounts.access_tokens import access_token_create
from forum.templatetags.porchlight import link_paths


def bearer(user, scope: str = "write") -> dict:
    """Request headers that act as ``user`` through a new token of ``scope``."""
    created = access_token_create(user=user, name=f"{scope} token", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {created.raw}"}


def send(client, method: str, path: str, data=None, **headers):
    """A JSON request; ``data`` None sends no body."""
    if data is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(
        path, data=json.dumps(data), content_type="application/json", **headers
    )


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]


def form_refusal(response) -> str:
    """The refusal a form view showed: the reason above the form kept with the text, or
    the site's 403 page's reason, as HTML (paths are links there)."""
    html = response.content.decode()
    inline = re.search(r'<div class="form-errors" role="alert"><p>(.*?)</p></div>', html, re.S)
    if inline:
        return inline[1]
    page = re.search(r'<section class="error-page">\s*<h1>.*?</h1>\s*<p>(.*?)</p>', html, re.S)
    assert page, html[:2000]
    return page[1]


def as_page_shows(message: str) -> str:
    """An API message written as the site's pages write a refusal."""
    return str(link_paths(message))

"""What the API read tests share: a token of each scope, and walking a cursor-paged list."""

from urllib.parse import urlencode

from accounts.access_tokens import access_token_create

# Far more pages than any list in these tests has: a walk that loops is a failure.
MAX_PAGES = 50


def bearer(user, scope: str = "read") -> dict:
    """Request headers that act as ``user`` through a new token of ``scope``."""
    created = access_token_create(user=user, name=f"{scope} reader", scope=scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {created.raw}"}


def walk(client, path: str, *, page_size: int, direction: str = "next", **headers) -> list:
    """Every page of a list from ``path``, following ``direction`` links; the pages'
    results in the order read."""
    pages = []
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}page_size={page_size}", **headers)
    for _ in range(MAX_PAGES):
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body["results"])
        if body[direction] is None:
            return pages
        query = urlencode({"cursor": body[direction], "page_size": page_size})
        response = client.get(f"{path}{separator}{query}", **headers)
    raise AssertionError(f"{path} had more than {MAX_PAGES} pages")

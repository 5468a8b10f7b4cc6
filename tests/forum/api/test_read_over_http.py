"""Reading over real HTTP from a live server with a read token: a board's threads page by
page through their cursors, a thread's posts, the ETag answered with 304, and a bad
cursor's JSON error on the wire."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from forum import services
from tests.forum.api.read_helpers import MAX_PAGES, bearer


def _get(url: str, headers: dict):
    request = urllib.request.Request(url, headers=headers)
    return urllib.request.urlopen(request, timeout=10)  # noqa: S310 (127.0.0.1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_token_pages_through_a_board_over_real_http(
    live_server, boards, member, other_member
):
    threads = [
        services.thread_create(
            board=boards["help"], author=member, title=f"Question {n}", body="Every time."
        )
        for n in range(5)
    ]
    services.post_create(thread=threads[0], author=other_member, body="Same **here**.")
    headers = {"Authorization": bearer(member)["HTTP_AUTHORIZATION"]}
    base = f"{live_server.url}/api/v1"

    seen, query = [], {"page_size": 2}
    for _ in range(MAX_PAGES):
        with _get(f"{base}/boards/help/threads?{urllib.parse.urlencode(query)}", headers) as r:
            assert r.status == 200
            assert r.headers["Content-Type"].startswith("application/json")
            assert int(r.headers["X-RateLimit-Remaining"]) >= 0
            body = json.load(r)
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            break
        query = {"page_size": 2, "cursor": body["next"]}
    assert seen == [threads[0].pk, *(thread.pk for thread in reversed(threads[1:]))]

    with _get(f"{base}/threads/{threads[0].pk}/posts", headers) as response:
        etag = response.headers["ETag"]
        posts = json.load(response)["results"]
    assert [post["body_html"] for post in posts] == [
        "<p>Every time.</p>",
        "<p>Same <strong>here</strong>.</p>",
    ]
    with pytest.raises(urllib.error.HTTPError) as unchanged:
        _get(f"{base}/threads/{threads[0].pk}/posts", {**headers, "If-None-Match": etag})
    assert unchanged.value.code == 304

    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(f"{base}/boards/help/threads?cursor=forged", headers)
    assert refused.value.code == 400
    assert json.load(refused.value)["error"]["code"] == "invalid"

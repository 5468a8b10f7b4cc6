"""A reply posted with a write token over real HTTP, to a live server: the request, the
headers and the JSON on the wire, and the post in the database afterwards."""

import json
import urllib.error
import urllib.request

import pytest

from forum import services as forum_services
from forum.models import Post
from tests.forum.api.write_helpers import bearer


def _post(url: str, data: dict, headers: dict):
    request = urllib.request.Request(
        url,
        data=json.dumps(data).encode(),
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    return urllib.request.urlopen(request, timeout=10)  # noqa: S310 (127.0.0.1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_token_replies_over_real_http(live_server, boards, member, other_member):
    thread = forum_services.thread_create(
        board=boards["help"], author=member, title="Export drops rows", body="Every time."
    )
    token = bearer(other_member)["HTTP_AUTHORIZATION"]
    headers = {"Authorization": token, "Idempotency-Key": "over-the-wire-1"}
    url = f"{live_server.url}/api/v1/threads/{thread.pk}/posts"
    with _post(url, {"body": "Same here, over **HTTP**."}, headers) as response:
        assert response.status == 201
        assert response.headers["Location"].startswith("/api/v1/posts/")
        assert response.headers["Content-Type"].startswith("application/json")
        body = json.load(response)
    post = Post.objects.get(pk=body["id"])
    assert (post.thread_id, post.author_id, post.position) == (thread.pk, other_member.pk, 2)
    assert body["body_html"] == "<p>Same here, over <strong>HTTP</strong>.</p>"
    # Sent again with the same key (a client retrying after a timeout): the same post.
    with _post(url, {"body": "Same here, over **HTTP**."}, headers) as response:
        assert json.load(response)["id"] == post.pk
    assert Post.objects.filter(thread=thread).count() == 2
    # A read token over the wire is refused with the JSON error.
    with pytest.raises(urllib.error.HTTPError) as refused:
        _post(
            url,
            {"body": "No."},
            {"Authorization": bearer(other_member, "read")["HTTP_AUTHORIZATION"]},
        )
    assert refused.value.code == 403
    assert json.load(refused.value)["error"]["code"] == "forbidden"

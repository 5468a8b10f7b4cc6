"""Addresses under /api/v1/ that are no endpoint, the refusal past a request budget and a
visitor's 401 answer in the API's one error shape, saying what to do next."""

import pytest

from accounts.access_tokens import access_token_create

pytestmark = pytest.mark.django_db


def test_an_address_that_is_no_endpoint_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_a_trailing_slash_leads_to_the_endpoint_keeping_method_and_query(client, boards):
    response = client.get("/api/v1/boards/help/?page_size=5")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/boards/help?page_size=5"
    assert client.get(response["Location"]).json()["slug"] == "help"
    posted = client.post("/api/v1/threads/1/posts/", {}, content_type="application/json")
    assert (posted.status_code, posted["Location"]) == (308, "/api/v1/threads/1/posts")


def test_past_the_budget_the_refusal_says_what_to_do_in_the_readers_language(
    client, member, settings
):
    settings.API_TOKEN_RATE = "1/h"
    raw = access_token_create(user=member, name="busy", scope="read").raw
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/boards", **auth).status_code == 200
    refused = client.get("/api/v1/boards", HTTP_ACCEPT_LANGUAGE="fr", **auth)
    assert refused.status_code == 429
    message = refused.json()["error"]["message"]
    assert "Retry-After" in message
    assert "requêtes" in message


def test_a_visitor_refused_a_write_is_told_how_to_authenticate(client, thread):
    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts", {"body": "Hello"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "sign in" in response.json()["error"]["message"].lower()


def test_a_method_an_endpoint_does_not_take_is_refused_in_the_error_shape(client, boards):
    response = client.delete("/api/v1/boards/help")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (405, "method_not_allowed")
    assert "DELETE" in error["message"]

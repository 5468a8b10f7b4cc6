"""The OpenAPI document at /api/v1/openapi.json: a valid OpenAPI 3.1 description that
says how to authenticate and what an error looks like, for every operation."""

import pytest
from openapi_spec_validator import validate


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_openapi_document_is_valid(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Porchlight API"


def test_openapi_document_declares_the_bearer_token_on_every_operation(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenOrSession"]["type"] == "http"
    assert schemes["TokenOrSession"]["scheme"] == "bearer"
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    assert operations
    for operation in operations:
        assert {"TokenOrSession": []} in operation["security"], operation["operationId"]


def test_openapi_document_declares_the_error_shape_on_every_operation(document):
    schemas = document["components"]["schemas"]
    assert schemas["ErrorOut"]["required"] == ["error"]
    detail = schemas["ErrorDetail"]
    assert set(detail["required"]) == {"status", "code", "message"}
    assert "fields" in detail["properties"]
    error = document["components"]["responses"]["Error"]
    assert error["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["default"] == {"$ref": "#/components/responses/Error"}, path
            if method == "get":
                assert "304" in responses, path


def test_documented_error_shape_matches_what_the_api_answers(client, document):
    response = client.get("/api/v1/boards", HTTP_AUTHORIZATION="Bearer plt_not-a-token")
    assert response.status_code == 401
    body = response.json()
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert set(body) == {"error"}
    assert set(detail["required"]) <= set(body["error"]) <= set(detail["properties"])


def test_api_docs_page_points_swagger_ui_at_the_document_under_the_site_policy(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script id="swagger-settings" type="application/json">' in html
    assert '"url": "/api/v1/openapi.json"' in html
    assert "ninja/swagger-ui-bundle.js" in html and "js/api-docs.js" in html
    nonce = response.wsgi_request.csp_nonce
    assert html.count(f'nonce="{nonce}"') >= 4
    policy = directives(response["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (directive.split() for directive in policy.split(";") if directive.strip())
    return {name: values for name, *values in parts}

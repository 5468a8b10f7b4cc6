"""What the OpenAPI document says beyond what each operation declares: the one error shape
that any operation may answer with (forum/api/errors.py), and the 304 a conditional read
gets when its ETag still matches."""

from ninja import Schema


class ErrorDetail(Schema):
    status: int
    code: str
    message: str
    # Present when particular inputs were wrong: the field's name and what was wrong.
    fields: dict[str, list[str]] | None = None


class ErrorOut(Schema):
    error: ErrorDetail


ERROR_RESPONSE = {
    "description": (
        "An error, in the one shape every operation uses. `message` is the sentence the "
        "site shows for the same refusal."
    ),
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
}
NOT_MODIFIED = {"description": "Not Modified: the If-None-Match ETag still matches."}


def describe_errors(document: dict) -> dict:
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorOut"] = error_schema
    components.setdefault("responses", {})["Error"] = ERROR_RESPONSE
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault("default", {"$ref": "#/components/responses/Error"})
            if method == "get":
                responses.setdefault("304", NOT_MODIFIED)
    return document

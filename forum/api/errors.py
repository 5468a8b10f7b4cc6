"""One error shape for every API failure, so a client handles them in one place:

    {"error": {"status": 403, "code": "forbidden", "message": "<a human sentence>",
               "fields": {"body": ["..."]}}}

``message`` is the same sentence the site shows for the same refusal (a blocked member,
a locked thread); ``fields`` is present when particular inputs were wrong."""

import logging
from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from accounts.permissions import denial_reason

logger = logging.getLogger("porchlight.api")

CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def error_body(status: int, message: str, *, fields: dict | None = None) -> dict:
    error = {"status": status, "code": CODES.get(status, "error"), "message": str(message)}
    if fields:
        error["fields"] = {name: [str(m) for m in messages] for name, messages in fields.items()}
    return {"error": error}


def _respond(api, request, status: int, message: str, *, fields: dict | None = None):
    return api.create_response(request, error_body(status, message, fields=fields), status=status)


CHALLENGE = 'Bearer realm="api"'


def _permission_denied(request, exc: PermissionDenied, api):
    # A visitor refused because they are not signed in is told so with 401, and how.
    status = getattr(exc, "status", 403)
    if status == 403 and not request.user.is_authenticated:
        status = 401
    response = _respond(api, request, status, denial_reason(exc))
    if status == 401:
        # Every 401 names the scheme that would be accepted (RFC 9110).
        response["WWW-Authenticate"] = CHALLENGE
    return response


def _not_found(request, exc, api):
    return _respond(api, request, 404, gettext("Not found: it doesn't exist, or you can't see it."))


def _invalid_input(request, exc: NinjaValidationError, api):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        fields.setdefault(".".join(location) or "request", []).append(error.get("msg", ""))
    return _respond(
        api,
        request,
        400,
        gettext("Some of what was sent isn't valid; see the fields."),
        fields=fields,
    )


def _service_refused(request, exc: DjangoValidationError, api):
    if hasattr(exc, "error_dict"):
        fields = {
            name: [m for e in errors for m in e.messages] for name, errors in exc.error_dict.items()
        }
        return _respond(
            api,
            request,
            400,
            gettext("Some of what was sent isn't valid; see the fields."),
            fields=fields,
        )
    return _respond(api, request, 400, " ".join(exc.messages))


def _http_error(request, exc: HttpError, api):
    return _respond(api, request, exc.status_code, exc.message)


THROTTLED = _(
    "You've sent more requests than your budget allows for now. Wait the seconds the "
    "Retry-After header gives, then try again; X-RateLimit-Remaining shows what is left."
)


def _throttled(request, exc: Throttled, api):
    response = _respond(api, request, 429, THROTTLED)
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


def not_allowed_response(request, api, *, allowed: str):
    return _respond(
        api,
        request,
        405,
        gettext("This address doesn't take %(method)s. It takes: %(allowed)s.")
        % {"method": request.method, "allowed": allowed},
    )


def not_found_response(request, api):
    return _not_found(request, None, api)


def _unauthenticated(request, exc: AuthenticationError, api):
    message = (
        exc.message
        if exc.message != "Unauthorized"
        else gettext("Sign in, or send a personal access token.")
    )
    response = _respond(api, request, 401, message)
    response["WWW-Authenticate"] = CHALLENGE
    return response


def _server_error(request, exc: Exception, api):
    logger.exception("API request failed: %s %s", request.method, request.path)
    return _respond(
        api,
        request,
        500,
        gettext("Something went wrong on our side and nothing was changed. Please try again."),
    )


def install(api) -> None:
    api.add_exception_handler(PermissionDenied, partial(_permission_denied, api=api))
    api.add_exception_handler(Http404, partial(_not_found, api=api))
    api.add_exception_handler(NinjaValidationError, partial(_invalid_input, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_service_refused, api=api))
    api.add_exception_handler(HttpError, partial(_http_error, api=api))
    api.add_exception_handler(Throttled, partial(_throttled, api=api))
    api.add_exception_handler(AuthenticationError, partial(_unauthenticated, api=api))
    api.add_exception_handler(Exception, partial(_server_error, api=api))

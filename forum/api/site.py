"""The API object: authentication, the error shape, ETags and rate-limit headers on every
response, and the routers, one per subject."""

import functools

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from ninja import NinjaAPI

from forum.api import errors, openapi, routers
from forum.api.auth import TokenOrSession


class PorchlightAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        rate = getattr(request, "api_rate", None)
        if rate is not None:
            limit, left, reset_in = rate
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(left)
            response["X-RateLimit-Reset"] = str(reset_in)
        # What a caller sees depends on who they are.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        response["Cache-Control"] = "private, no-cache"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            set_response_etag(response)
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            # A 304 carries only the caching headers, but it spent the caller's budget too.
            for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
                if header in response:
                    conditional[header] = response[header]
            return conditional
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi.describe_errors(document)


api = PorchlightAPI(
    title="Porchlight API",
    version="1",
    description=(
        "Boards, threads, posts, members, search and notices of this forum, and the writes "
        "a member makes on the site. Every action asks the same permission check as the "
        "site and is refused with the same reason. See docs/api.md."
    ),
    urls_namespace="api",
    auth=TokenOrSession(),
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)


def _methods_in_error_shape(view):
    """ninja answers a method an endpoint doesn't take with a plain-text 405; this gives
    it the API's error shape, keeping its Allow header."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        refused = errors.not_allowed_response(request, api, allowed=response["Allow"])
        refused["Allow"] = response["Allow"]
        return refused

    return wrapped


def api_urls():
    """The API's URL patterns, every endpoint answering in the API's error shape."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _methods_in_error_shape(pattern.callback)
    return patterns, app_name, namespace


def api_not_found(request, rest: str = ""):
    """Any other address under /api/v1/: the same path without a trailing slash when that
    is an endpoint (308 keeps the method and body), else a 404 in the API's error shape."""
    if request.path.endswith("/") and len(request.path) > len("/api/v1/"):
        try:
            resolve(request.path.rstrip("/"))
        except Resolver404:
            pass
        else:
            target = request.path.rstrip("/")
            if request.META.get("QUERY_STRING"):
                target += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(target, preserve_request=True)
    return errors.not_found_response(request, api)


# The modules that register operations on the routers: reads, then writes.
from forum.api import (  # noqa: E402, F401
    answers,
    boards,
    flags,
    me,
    members,
    notices,
    posting,
    posts,
    review,
    search,
    statuses,
    threads,
)

api.add_router("/boards", routers.boards)
api.add_router("/threads", routers.threads)
api.add_router("/posts", routers.posts)
api.add_router("/members", routers.members)
api.add_router("/search", routers.search)
api.add_router("/notices", routers.notices)
api.add_router("/review-items", routers.review)
api.add_router("/me", routers.me)

"""Requests that no page of ours and no browser sends — a NUL in the address or in a
cookie, the admin's field reference left empty — are refused with the 400 page or made
harmless before any view hands their values to the database; and a bare 405 is given
words."""

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import reverse

NUL = "\x00"
# The admin reads this parameter as a field name; given empty, Django's admin looks up a
# field named "" and fails with a server error instead of a 400.
ADMIN_TO_FIELD = "_to_field"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _method_not_allowed(request, bare):
    """Django's 405 (``require_POST`` and the like) is an empty page; a person who opened
    a button's address gets words instead, with the same Allow header."""
    response = render(request, "errors/405.html", status=405)
    response["Allow"] = bare["Allow"]
    return response


class HostileRequestMiddleware:
    """A NUL byte in the path or in a query parameter is refused: no address of ours
    contains one, and PostgreSQL refuses NUL in text, so letting it through only turns a
    malformed link into a server error wherever a view hands the value to a query. Form
    fields are left to the forms, which refuse NUL with a field error and keep the text.

    Raising BadRequest (rather than answering here) gives the site's own 400 page, logged
    like any other client error. An empty 405 gets a page in words too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or _has_nul(request.GET):
            raise BadRequest("NUL byte in the address")
        if request.path.startswith(self._admin_prefix()) and (
            request.GET.get(ADMIN_TO_FIELD) == ""
            or (request.method == "POST" and request.POST.get(ADMIN_TO_FIELD) == "")
        ):
            raise BadRequest("Empty admin field reference")
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return _method_not_allowed(request, response)
        return response

    @staticmethod
    def _admin_prefix() -> str:
        return reverse("admin:index")


class HostileCookieMiddleware:
    """Forgets any cookie whose name or value carries a NUL, as if it had not been sent.
    We never set one; a quoted cookie can smuggle one in (``"\\000"``), and a session
    cookie with a NUL would make every page a server error on PostgreSQL. Placed before
    the session middleware, so the request simply continues as a visitor's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        return self.get_response(request)

"""The project's own middleware. Server errors get their reference and their log line in
config.errors.server_error (handler500), which sees failures from middleware too, not
only from views."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import DatabaseError
from django.utils import timezone, translation


class MemberTimeZoneMiddleware:
    """Show every date and time in the signed-in member's own time zone (their profile
    setting); visitors see UTC. Reading ``request.user`` for a visitor without a session
    cookie touches no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except DatabaseError:
            # The session or user could not be read (the database is down): carry on as a
            # visitor so pages that can work without it, like /status, still do.
            signed_in = False
        zone = getattr(user, "time_zone", "") if signed_in else ""
        if zone:
            try:
                timezone.activate(ZoneInfo(zone))
            except (ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class MemberLanguageMiddleware:
    """A signed-in member's own language setting wins over the browser's (which
    LocaleMiddleware chose before authentication); a blank setting follows the browser.
    Runs after AuthenticationMiddleware; LocaleMiddleware's response phase then states the
    language that was actually used (Content-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        try:
            chosen = getattr(user, "language", "") if user and user.is_authenticated else ""
        except DatabaseError:
            chosen = ""
        if chosen:
            code = _supported(chosen)
            if code:
                translation.activate(code)
                request.LANGUAGE_CODE = code
        return self.get_response(request)


def _supported(code: str) -> str:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""

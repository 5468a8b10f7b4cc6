"""Gives every server error a short reference that appears both on the 500 page and in the log."""

import logging
import secrets

logger = logging.getLogger("porchlight.errors")


class ErrorReferenceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        reference = secrets.token_hex(4).upper()
        request.error_reference = reference
        logger.error(
            "Server error reference %s on %s %s",
            reference,
            request.method,
            request.path,
            exc_info=exception,
        )
        return None

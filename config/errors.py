"""Error pages in plain words: what happened, what to do next, where to get help — and
the log lines behind them.

Logging policy: ERROR means the server failed. A 5xx is one ERROR record on
``porchlight.errors`` with the traceback and the reference shown on the 500 page. A 4xx
is the client's side of the conversation (a missing page, a refused action, a malformed
request, a scanner's bad Host header): Django's own one-line WARNING, never a traceback,
so real failures are not buried under refusals.
"""

import logging
import secrets
import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    reason = ""
    if exception is not None and getattr(exception, "args", None):
        reason = str(exception.args[0])
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


logger = logging.getLogger("porchlight.errors")


def server_error(request):
    """handler500. Django calls it for every uncaught exception — from a view, a template
    or a middleware — while the exception is being handled, so the traceback is at hand
    (asgiref re-raises it in the worker thread under ASGI too)."""
    reference = secrets.token_hex(4).upper()
    # RequestLogFilter reads this to drop Django's second record of the same failure.
    request.error_reference = reference
    logger.error(
        "Server error reference %s on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=sys.exception(),
        extra={"error_reference": reference, "status_code": 500},
    )
    # Rendered without a RequestContext on purpose: the failure may lie in a
    # context processor or the database, and this page must still appear.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"reference": reference}))


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)


class RequestLogFilter(logging.Filter):
    """On ``django.request`` and the ``django.security.*`` loggers (see LOGGING).

    - A 4xx record keeps its one line but loses the traceback Django attaches to a raised
      PermissionDenied, BadRequest or SuspiciousOperation (it shows only where Django
      noticed the refusal), and is at most a WARNING: ``django.security`` logs a bad Host
      header at ERROR, and scanners send thousands.
    - Django's own "Internal Server Error" record is dropped when ``server_error`` has
      already logged that failure with its reference, so each failure is one record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None:
            return True
        if status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
            if record.levelno > logging.WARNING:
                record.levelno = logging.WARNING
                record.levelname = logging.getLevelName(logging.WARNING)
            return True
        request = getattr(record, "request", None)
        return getattr(request, "error_reference", None) is None

"""The status page: current and past notices, served from a saved copy when the database
cannot be reached."""

import logging

from django.db import DatabaseError
from django.http import HttpResponse

from forum import status

logger = logging.getLogger("porchlight.forum")


def status_page(request):
    """Current and past notices. If the database cannot be reached, the saved copy is
    served instead of an error page (written at every migrate and notice change)."""
    try:
        html = status.render_status(request=request)
    except DatabaseError:
        logger.warning("Database unreachable: serving the status page copy")
        path = status.snapshot_path()
        if path.exists():
            response = HttpResponse(path.read_bytes(), content_type="text/html; charset=utf-8")
            response["X-Status-Copy"] = "1"
            return response
        response = HttpResponse(status.render_status_unavailable(), status=503)
        response["Retry-After"] = "60"
        return response
    if not status.snapshot_path().exists():
        # The copy's directory was emptied since the last migrate (a new volume, a
        # cleaned tmp): put one back while the database is here to make it.
        status.write_status_snapshot()
    return HttpResponse(html)

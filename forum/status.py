"""The status page's static copy: written at every migrate and rewritten after every
notice change, served by /status when the database cannot be reached."""

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from forum import selectors

logger = logging.getLogger("porchlight.status")


def snapshot_path() -> Path:
    return Path(settings.STATUS_SNAPSHOT_DIR) / "status.html"


def _frame_context() -> dict:
    """What the context processors would give base.html, for a copy made without a
    request: the site's name, and whether the header offers local sign-up."""
    return {"SITE_NAME": settings.SITE_NAME, "LOCAL_ACCOUNTS": settings.LOCAL_ACCOUNTS}


def render_status(*, request=None) -> str:
    """/status for this request, or — without a request — the copy for everyone: no
    context processors run then, so what base.html needs is passed here, and times are
    in the site's zone rather than that of the admin whose change triggered the copy."""
    current, past = selectors.notices_for_status()
    context = {"current": current, "past": past, "is_snapshot": request is None}
    if request is not None:
        return render_to_string("forum/status.html", context, request=request)
    with timezone.override(None):
        return render_to_string("forum/status.html", {**context, **_frame_context()})


def render_status_unavailable() -> str:
    """The page /status serves when the database is unreachable and no copy was ever
    saved: the whole site frame, rendered without touching the database."""
    with timezone.override(None):
        return render_to_string("forum/status_unavailable.html", _frame_context())


def write_status_snapshot() -> Path | None:
    """Render /status without a request and replace the copy atomically. Never raises:
    a failed copy is logged, the notice change itself already succeeded."""
    path = snapshot_path()
    try:
        html = render_status()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".status-", suffix=".html")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        # mkstemp makes the file private (0600); the copy is a public page, which a front
        # web server may serve by itself when the app is down.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except Exception:
        logger.exception("Could not write the status page copy to %s", path)
        return None
    return path

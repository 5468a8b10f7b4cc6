"""ERROR in the log means the server failed: a 4xx is one WARNING line without a traceback,
a 5xx is exactly one ERROR record with its traceback and the reference the 500 page shows."""

import asyncio
import logging

import pytest
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.test import AsyncClient, Client, override_settings
from django.urls import path, reverse

from config.errors import RequestLogFilter
from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("database fell over")


def refuse_bad_request(request):
    raise BadRequest("The date range is upside down.")


class ExplodingMiddleware:
    """Fails before any view runs, as a broken session store or database would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/explode-in-middleware/":
            raise RuntimeError("middleware fell over")
        return self.get_response(request)


urlpatterns = [
    path("boom/", boom),
    path("bad-request/", refuse_bad_request),
    *site_urlpatterns,  # the error pages link to the site's own pages
]
handler400 = "config.errors.bad_request"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"


def _errors(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def _with_traceback(caplog):
    return [r for r in caplog.records if r.exc_info]


def _reference_on_page(response) -> str:
    return response.content.decode().split('class="error-reference">')[1].split("<")[0]


def _assert_one_warning_line(caplog, path):
    """No ERROR and no traceback anywhere; Django's WARNING line for the path is kept."""
    assert _errors(caplog) == []
    assert _with_traceback(caplog) == []
    lines = [r for r in caplog.records if r.levelno == logging.WARNING and path in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]


# --- 4xx -------------------------------------------------------------------------------


def test_a_member_refused_a_moderator_page_is_a_warning_without_traceback(client, member, caplog):
    client.force_login(member)
    url = reverse("moderation:queue")
    with caplog.at_level(logging.INFO):
        response = client.get(url)
    assert response.status_code == 403
    _assert_one_warning_line(caplog, url)
    assert caplog.records[-1].name == "django.request"


def test_a_missing_page_is_a_warning_without_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    _assert_one_warning_line(caplog, "/no/such/page/")


def test_a_missing_profile_raised_by_the_view_is_a_warning_without_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/u/nobody/")
    assert response.status_code == 404
    _assert_one_warning_line(caplog, "/u/nobody/")


@pytest.mark.urls("tests.config.test_error_logging")
def test_a_bad_request_raised_by_a_view_is_a_warning_without_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/bad-request/")
    assert response.status_code == 400
    assert "couldn" in response.content.decode()
    _assert_one_warning_line(caplog, "/bad-request/")


def test_a_scanners_unknown_host_header_is_a_warning_without_traceback(client, db, caplog):
    # Django logs a disallowed Host at ERROR on django.security.DisallowedHost, with the
    # traceback; on the open internet scanners send these all day.
    with caplog.at_level(logging.INFO):
        response = client.get("/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    assert "couldn" in response.content.decode()
    assert _errors(caplog) == []
    assert _with_traceback(caplog) == []
    [line] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert line.levelno == logging.WARNING
    assert "scanner.example" in line.getMessage()


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_a_form_flooded_with_fields_is_a_warning_without_traceback(client, db, caplog):
    with caplog.at_level(logging.INFO):
        response = client.post(reverse("account_login"), {f"field{n}": "x" for n in range(50)})
    assert response.status_code == 400
    assert _errors(caplog) == []
    assert _with_traceback(caplog) == []
    assert any(r.name == "django.security.TooManyFieldsSent" for r in caplog.records)


# --- 5xx -------------------------------------------------------------------------------


@pytest.mark.urls("tests.config.test_error_logging")
def test_a_server_error_is_one_error_record_with_traceback_and_the_pages_reference(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/boom/")
    assert response.status_code == 500
    reference = _reference_on_page(response)
    assert len(reference) == 8
    [record] = _errors(caplog)
    assert record.name == "porchlight.errors"
    assert reference in record.getMessage()
    assert "GET /boom/" in record.getMessage()
    assert record.error_reference == reference
    assert record.exc_info and record.exc_info[0] is RuntimeError
    assert "database fell over" in str(record.exc_info[1])


@pytest.mark.urls("tests.config.test_error_logging")
@override_settings(
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "tests.config.test_error_logging.ExplodingMiddleware",
    ]
)
def test_a_failure_in_middleware_also_gets_a_reference_and_one_record(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/explode-in-middleware/")
    assert response.status_code == 500
    reference = _reference_on_page(response)
    assert reference != "unknown"
    [record] = _errors(caplog)
    assert reference in record.getMessage()
    assert "middleware fell over" in str(record.exc_info[1])


@pytest.mark.urls("tests.config.test_error_logging")
def test_a_server_error_under_asgi_keeps_its_traceback(db, caplog):
    # Under ASGI Django builds the 500 response in a worker thread; the traceback must
    # still reach the log.
    client = AsyncClient(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = asyncio.run(client.get("/boom/"))
    assert response.status_code == 500
    reference = _reference_on_page(response)
    [record] = _errors(caplog)
    assert reference in record.getMessage()
    assert record.exc_info and record.exc_info[0] is RuntimeError


# --- Configuration ---------------------------------------------------------------------


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_suspicious_operation_logger_has_the_filter(db):
    # Django logs each SuspiciousOperation on a logger named after its class, and a
    # logger's filters do not apply to its children: each needs the filter itself.
    import django.contrib.admin.exceptions  # noqa: F401  (defines more subclasses)
    import django.contrib.sessions.exceptions  # noqa: F401

    names = {"django.request", "django.security.SuspiciousOperation"} | {
        f"django.security.{cls.__name__}" for cls in _subclasses(SuspiciousOperation)
    }
    missing = sorted(
        name
        for name in names
        if not any(isinstance(f, RequestLogFilter) for f in logging.getLogger(name).filters)
    )
    assert missing == []

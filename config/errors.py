"""Error pages in plain words: what happened, what to do next, where to get help."""

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


def server_error(request):
    # Rendered without a RequestContext on purpose: the failure may lie in a
    # context processor or the database, and this page must still appear.
    reference = getattr(request, "error_reference", "unknown")
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"reference": reference}))


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)

"""Search and keyword watches views. OWNER: helper C. PLACEHOLDER — replace every view."""

from django.http import HttpResponse


def search(request, **kwargs):
    return HttpResponse("PLACEHOLDER search", status=501)


def staff_watches(request, **kwargs):
    return HttpResponse("PLACEHOLDER staff_watches", status=501)


def staff_watch_delete(request, **kwargs):
    return HttpResponse("PLACEHOLDER staff_watch_delete", status=501)


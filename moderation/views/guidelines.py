from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from moderation import selectors


def guidelines_current(request):
    version = selectors.guidelines_current()
    return _render(request, version, is_current=True)


def guidelines_version(request, number: int):
    version = selectors.guidelines_version(number=number)
    current = selectors.guidelines_current()
    return _render(request, version, is_current=current is not None and current.pk == version.pk)


def _render(request, version, *, is_current: bool):
    return render(
        request,
        "moderation/guidelines.html",
        {
            "version": version,
            "is_current": is_current,
            "versions": selectors.guidelines_versions(),
        },
    )


class GuidelinesEditView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)

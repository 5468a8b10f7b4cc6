"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse
from django.views import View


def action_log(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


class ActionReverseView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


def transparency(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)

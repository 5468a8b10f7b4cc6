"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse
from django.views import View


class PostHideView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class PostRestoreView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)

"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse
from django.views import View


class ThreadLockdownView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class BoardLockdownView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class LockdownLiftView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)

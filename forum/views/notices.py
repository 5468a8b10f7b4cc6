"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse
from django.views import View


def notice_list(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


class NoticeCreateView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class NoticeEditView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class NoticeEndView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class NoticeDeleteView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)

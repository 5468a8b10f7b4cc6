"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse
from django.views import View


def member_case(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def note_add(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


class MemberBlockView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class MemberSpamView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)


class BlockLiftView(View):  # PLACEHOLDER
    def get(self, request, **kwargs):
        return HttpResponse("Not built yet", status=501)

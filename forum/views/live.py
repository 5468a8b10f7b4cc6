"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse


def thread_posts_after(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def thread_banners(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)

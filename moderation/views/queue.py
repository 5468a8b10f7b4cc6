"""PLACEHOLDER module: a helper replaces every view here with the real one."""

from django.http import HttpResponse


def queue_list(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def item_detail(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def item_claim(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def item_release(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def item_decide(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)


def item_escalate(request, **kwargs):  # PLACEHOLDER
    return HttpResponse("Not built yet", status=501)

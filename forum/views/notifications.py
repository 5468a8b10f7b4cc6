"""Notifications and watching views. OWNER: helper B1. PLACEHOLDER — replace every view."""

from django.http import HttpResponse


def notification_list(request, **kwargs):
    return HttpResponse("PLACEHOLDER notification_list", status=501)


def notification_mark_read(request, **kwargs):
    return HttpResponse("PLACEHOLDER notification_mark_read", status=501)


def notification_mark_all_read(request, **kwargs):
    return HttpResponse("PLACEHOLDER notification_mark_all_read", status=501)


def notification_settings(request, **kwargs):
    return HttpResponse("PLACEHOLDER notification_settings", status=501)


def unsubscribe(request, **kwargs):
    return HttpResponse("PLACEHOLDER unsubscribe", status=501)


def thread_watch(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_watch", status=501)


def board_watch(request, **kwargs):
    return HttpResponse("PLACEHOLDER board_watch", status=501)



def thread_context(request, thread) -> dict:
    """Template values for the thread page's watch control."""
    return {}

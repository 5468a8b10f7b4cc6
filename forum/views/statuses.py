"""Bug and Idea workflow views. OWNER: helper A2. PLACEHOLDER — replace every view."""

from django.http import HttpResponse


def thread_set_status(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_set_status", status=501)


def thread_vote(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_vote", status=501)


def thread_affected(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_affected", status=501)



def thread_context(request, thread, posts) -> dict:
    """Template values for the thread page's Bug/Idea parts (status, votes, affected,
    event lines between posts)."""
    return {}

"""Help workflow views. OWNER: helper A1. PLACEHOLDER — replace every view."""

from django.http import HttpResponse


def thread_accept_answer(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_accept_answer", status=501)


def thread_unaccept_answer(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_unaccept_answer", status=501)


def post_mark_official(request, **kwargs):
    return HttpResponse("PLACEHOLDER post_mark_official", status=501)


def thread_prompt_response(request, **kwargs):
    return HttpResponse("PLACEHOLDER thread_prompt_response", status=501)


def staff_unanswered(request, **kwargs):
    return HttpResponse("PLACEHOLDER staff_unanswered", status=501)



def thread_context(request, thread, posts) -> dict:
    """Template values for the thread page's Help parts (state, accepted answer, prompt)."""
    return {}

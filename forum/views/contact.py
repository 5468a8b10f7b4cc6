"""Help page contact form and staff contact inbox. OWNER: helper D. PLACEHOLDER — replace every view."""

from django.http import HttpResponse


def contact_inbox(request, **kwargs):
    return HttpResponse("PLACEHOLDER contact_inbox", status=501)


def contact_message_detail(request, **kwargs):
    return HttpResponse("PLACEHOLDER contact_message_detail", status=501)


def help_page(request, **kwargs):
    """PLACEHOLDER: the current help page until the contact form exists."""
    from django.shortcuts import render

    return render(request, "forum/help.html")

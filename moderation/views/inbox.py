"""A member's messages from moderation: blocks, hidden posts, appeal outcomes, flag results."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from moderation import selectors, services


@login_required
def inbox(request):
    """Reading the inbox marks its messages read (a GET that writes, but only the reader's
    own read markers, after the page has been built)."""
    messages = list(selectors.member_messages(member=request.user)[:100])
    unread_ids = {message.pk for message in messages if message.read_at is None}
    response = render(
        request, "moderation/inbox.html", {"messages_list": messages, "unread_ids": unread_ids}
    )
    if unread_ids:
        services.member_messages_mark_read(member=request.user)
    return response

from django.utils.functional import SimpleLazyObject

from moderation import selectors
from moderation.permissions import active_block_for, block_message, unread_messages_for


def moderation(request):
    """The block notice shown on every page while a member is blocked, their unread
    moderation messages, and the open queue count for moderators. Lazy: a page that
    does not print them runs no query, and visitors never do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def notice():
        block = active_block_for(user)
        return block_message(user, block) if block else ""

    context = {
        "block_notice": SimpleLazyObject(notice),
        "unread_messages": SimpleLazyObject(lambda: unread_messages_for(user)),
    }
    if user.is_moderator:
        context["queue_count"] = SimpleLazyObject(selectors.open_item_count)
    return context

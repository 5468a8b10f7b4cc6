"""A post's footer of actions for this very reader, written in Python: the thread page
prints one per post, and as a template include per post it was most of the page's
rendering time."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# Reversed once per page with this stand-in id, then filled in per post.
_ANY_ID = 2_147_483_647
_URLS = {
    "edit": ("forum:post-edit", "post_id"),
    "history": ("forum:post-revisions", "post_id"),
    "flag": ("moderation:post-flag", "post_id"),
    "restore": ("moderation:post-restore", "post_id"),
    "hide": ("moderation:post-hide", "post_id"),
    "case": ("moderation:member-case", "member_id"),
    "official": ("forum:post-official", "post_id"),
    "accept": ("forum:thread-accept", "thread_id"),
    "unaccept": ("forum:thread-unaccept", "thread_id"),
}
_RENDER_CACHE = "post_actions_urls"


class _Urls:
    """Each action's address around the id, reversed on first use in this render."""

    def __init__(self):
        self._split = {}

    def __call__(self, action: str, object_id) -> str:
        if action not in self._split:
            name, kwarg = _URLS[action]
            self._split[action] = reverse(name, kwargs={kwarg: _ANY_ID}).split(str(_ANY_ID), 1)
        head, tail = self._split[action]
        return f"{head}{object_id}{tail}"


def _csrf_input(context) -> str:
    # As {% csrf_token %} prints it: nothing without a token, nothing for "NOTPROVIDED".
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker, not a secret
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _contains(ids, post_id) -> bool:
    try:
        return post_id in ids
    except TypeError:  # absent from the context, as on a post arriving live
        return False


def _answer_actions(context, post, url) -> list[str]:
    """Accept, unaccept and official buttons, for readers the permission checks allow
    (``forum.views.answers.thread_context``)."""
    actions = []
    accepted_post_id = context.get("accepted_post_id")
    if accepted_post_id and post.pk == accepted_post_id and context.get("can_unaccept"):
        actions.append(
            format_html(
                '<form method="post" action="{}" class="inline-form">{}<button type="submit" '
                'class="link-button">Unaccept answer</button></form>',
                url("unaccept", post.thread_id),
                _csrf_input(context),
            )
        )
    elif _contains(context.get("acceptable_post_ids"), post.pk):
        actions.append(
            format_html(
                '<form method="post" action="{}" class="inline-form">{}<input type="hidden" '
                'name="post_id" value="{}"><button type="submit" class="link-button">Accept as '
                "answer</button></form>",
                url("accept", post.thread_id),
                _csrf_input(context),
                post.pk,
            )
        )
    if _contains(context.get("officialable_post_ids"), post.pk):
        official = post.is_official_answer
        value, label = (
            ("0", gettext("Unmark official")) if official else ("1", gettext("Mark official"))
        )
        actions.append(
            format_html(
                '<form method="post" action="{}" class="inline-form">{}<input type="hidden" '
                'name="official" value="{}"><button type="submit" class="link-button">{}</button>'
                "</form>",
                url("official", post.pk),
                _csrf_input(context),
                value,
                label,
            )
        )
    return actions


@register.simple_tag(takes_context=True)
def post_actions(context, post) -> str:
    """``{% post_actions post %}``: the reader's own edit, history and flag links, the Help
    buttons, and a moderator's links, in a ``<footer>``; nothing for visitors."""
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return ""
    url = context.render_context.get(_RENDER_CACHE)
    if url is None:
        url = context.render_context[_RENDER_CACHE] = _Urls()
    own = post.author_id == user.pk
    blocked = context.get("viewer_blocked")
    actions = []
    if own and not post.is_hidden and not blocked:
        actions.append(format_html('<a href="{}">Edit</a>', url("edit", post.pk)))
    if post.edited_at and (own or user.is_moderator):
        actions.append(format_html('<a href="{}">History</a>', url("history", post.pk)))
    if not own and not post.is_hidden and not blocked:
        actions.append(format_html('<a href="{}">Flag</a>', url("flag", post.pk)))
    actions += _answer_actions(context, post, url)
    if user.is_moderator:
        if post.held_at:
            queue = reverse("moderation:queue")
            actions.append(format_html('<a href="{}">Review queue</a>', queue))
        elif post.is_hidden:
            actions.append(format_html('<a href="{}">Restore</a>', url("restore", post.pk)))
        else:
            actions.append(format_html('<a href="{}">Hide</a>', url("hide", post.pk)))
        actions.append(format_html('<a href="{}">Case page</a>', url("case", post.author_id)))
    body = "".join(f"\n    {action}" for action in actions)
    return mark_safe(f'\n  <footer class="post__actions">{body}\n  </footer>\n')  # noqa: S308 - parts escaped by format_html

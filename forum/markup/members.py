"""The members a render links: active accounts by username, case-insensitively. One
query for all the names of a post."""

from django.db.models.functions import Lower

from accounts.models import User


def members_named(names: list[str]) -> dict[str, User]:
    """Lower-cased name → active member with that username (case-insensitively), for the
    names that have one; one query. Where two accounts differ only by case, the exact
    spelling wins, else the older account."""
    if not names:
        return {}
    wanted = {name.lower() for name in names}
    rows = (
        User.objects.filter(is_active=True)
        .annotate(username_lower=Lower("username"))
        .filter(username_lower__in=wanted)
        .order_by("pk")
    )
    spelled = set(names)
    found: dict[str, User] = {}
    for user in rows:
        key = user.username.lower()
        if key not in found or (user.username in spelled and found[key].username not in spelled):
            found[key] = user
    return found


def mention_links(names: list[str]) -> dict[str, str]:
    """Lower-cased username → profile URL for the active members among ``names``; one query.
    The renderer's lookup (``forum.markup.render_markdown(source)`` without ``mentions``)."""
    return {key: user.get_absolute_url() for key, user in members_named(names).items()}

"""Reading members' public profiles."""

from accounts.selectors import user_get_public
from forum import selectors
from forum.api.routers import members as router
from forum.schemas import MemberOut

# As many as the profile page lists.
RECENT_POSTS = 10


@router.get(
    "/{username}",
    response=MemberOut,
    summary="A member's public profile",
    description=(
        "What the profile page shows everyone: name, badges, bio, join date, post count "
        "and latest posts. A closed account is a 404."
    ),
)
def get_member(request, username: str):
    member = user_get_public(username=username)
    member.recent_posts = selectors.post_list_recent_by_author(author=member, limit=RECENT_POSTS)
    return member

"""The one decision made about a member's new thread, reply or edit before it is public:
publish it, hold it for a moderator, refuse it (a watched word set to block), or publish
it and flag it for review.

Reads only, a handful of queries, and may ask Akismet over the network, so callers call
it outside any transaction or row lock."""

from dataclasses import dataclass, field

from django.utils import timezone

from accounts.roles import Role
from moderation.spam.scoring import spam_score

# Staff, moderators and admins are never held or refused: they are the people who
# review held posts, and their posts are the site's own voice.
UNSCREENED_ROLES = frozenset({Role.STAFF, Role.MODERATOR, Role.ADMIN})


@dataclass(frozen=True)
class Screening:
    action: str  # "publish" | "hold" | "block" | "flag"
    score: float  # 0..1, from spam_score
    reasons: list[str] = field(default_factory=list)  # plain words; the first shown to the author
    message: str = ""  # for "block": the error shown next to the body field


def account_age_days(author) -> int:
    return max((timezone.now() - author.date_joined).days, 0)


def screen_post(
    *,
    author,
    title: str,
    body: str,
    ip: str | None = None,
    user_agent: str | None = None,
    exclude_post_id: int | None = None,
) -> Screening:
    if author.role in UNSCREENED_ROLES:
        return Screening(action="publish", score=0.0, reasons=[])
    verdict = spam_score(
        title=title,
        body=body,
        author_age_days=account_age_days(author),
        author_posts=author.post_count,
        author=author,
        ip=ip,
        user_agent=user_agent,
        exclude_post_id=exclude_post_id,
    )
    action = "hold" if verdict.spam else "publish"
    return Screening(action=action, score=verdict.score, reasons=list(verdict.reasons))

"""The one decision made about a member's new thread, reply or edit before it is public:
publish it, hold it for a moderator, refuse it (a watched phrase set to block), or
publish it and flag it for review.

Reads only, a handful of queries, and may ask Akismet over the network, so callers call
it outside any transaction or row lock."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.roles import Role
from moderation.models import WatchedWord
from moderation.spam import policy as spam_policies
from moderation.spam import watched
from moderation.spam.policy import count_links, policy_reasons, spam_policy
from moderation.spam.scoring import spam_score
from moderation.spam.selectors import public_post_count
from moderation.spam.watched import matches, watched_words

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


def _quoted(phrases: list[str]) -> str:
    return ", ".join(f"“{phrase}”" for phrase in phrases)


def block_message(phrases: list[str]) -> str:
    return ngettext(
        "This forum does not accept posts containing the phrase %(phrases)s. Remove or reword "
        "it and post again; your text is kept below.",
        "This forum does not accept posts containing the phrases %(phrases)s. Remove or reword "
        "it and post again; your text is kept below.",
        len(phrases),
    ) % {"phrases": _quoted(phrases)}


def screen_post(
    *,
    author,
    title: str,
    body: str,
    ip: str | None = None,
    user_agent: str | None = None,
    exclude_post_id: int | None = None,
) -> Screening:
    """``exclude_post_id`` is the post being edited (None for a new post). Reasons come
    in the order a moderator reads them, the one that decided first: watched phrases,
    then the new-account policy, then the spam score's own reasons."""
    if author.role in UNSCREENED_ROLES:
        return Screening(action="publish", score=0.0, reasons=[])
    title, body = title or "", body or ""
    # The watched phrases and the policy in one round trip to the cache.
    cached = cache.get_many([watched.CACHE_KEY, spam_policies.CACHE_KEY])
    policy = spam_policy(cached.get(spam_policies.CACHE_KEY))
    found = matches(watched_words(cached.get(watched.CACHE_KEY)), title, body)
    blocked = found.get(WatchedWord.Action.BLOCK, [])
    age_days = account_age_days(author)
    # Only compared with these thresholds, so counted no further than the highest.
    published = public_post_count(
        author=author,
        up_to=max(policy.trusted_after_posts, policy.first_posts, settings.SPAM_TRUSTED_POSTS, 1),
    )
    verdict = spam_score(
        title=title,
        body=body,
        author_age_days=age_days,
        author_posts=published,
        author=author,
        ip=ip,
        user_agent=user_agent,
        # A refused post is never stored, so Akismet is not asked about it.
        use_akismet=not blocked,
        exclude_post_id=exclude_post_id,
        policy=policy,
    )
    if blocked:
        reasons = [f"It contains the blocked phrase {_quoted([p])}." for p in blocked]
        return Screening(
            action="block",
            score=verdict.score,
            reasons=reasons + list(verdict.reasons),
            message=block_message(blocked),
        )

    hold = [
        f"It contains the watched phrase {_quoted([p])}."
        for p in found.get(WatchedWord.Action.HOLD, [])
    ]
    hold += policy_reasons(
        policy,
        age_days=age_days,
        published_posts=published,
        links=count_links(title, body),
        is_edit=exclude_post_id is not None,
    )
    if hold or verdict.spam:
        return Screening(action="hold", score=verdict.score, reasons=hold + list(verdict.reasons))

    flagged = found.get(WatchedWord.Action.FLAG, [])
    if flagged:
        reasons = [f"It contains the flagged phrase {_quoted([p])}." for p in flagged]
        return Screening(
            action="flag", score=verdict.score, reasons=reasons + list(verdict.reasons)
        )
    return Screening(action="publish", score=verdict.score, reasons=list(verdict.reasons))

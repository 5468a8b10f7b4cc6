"""Database reads for spam scoring. Each is one query, so scoring a post costs a fixed
number of queries whatever its length."""

from datetime import timedelta

from django.utils import timezone

from forum.models import Post
from moderation.models import BlockedDomain, SpamTokenCount

RECENT_POSTS = 20
RECENT_DAYS = 7


def learned_token_counts(tokens) -> dict[str, tuple[int, int]]:
    """What moderators' decisions taught the filter about these tokens, with the message
    totals under ``SpamTokenCount.MESSAGES``: token → (spam, ham)."""
    wanted = [*tokens, SpamTokenCount.MESSAGES]
    rows = SpamTokenCount.objects.filter(token__in=wanted).values_list("token", "spam", "ham")
    return {token: (spam, ham) for token, spam, ham in rows}


def blocked_domains(domains) -> list[str]:
    """Which blocked domains these link domains are, or are subdomains of."""
    candidates = set()
    for domain in domains:
        parts = domain.split(".")
        candidates.update(".".join(parts[i:]) for i in range(len(parts) - 1))
    if not candidates:
        return []
    return list(
        BlockedDomain.objects.filter(domain__in=candidates).values_list("domain", flat=True)
    )


def author_recent_texts(*, author, exclude_post_id=None, limit=RECENT_POSTS) -> list[str]:
    """The bodies of the author's latest posts of the past week, newest first, for the
    repeated-text heuristic."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    posts = Post.objects.filter(author=author, created_at__gte=since).order_by("-created_at")
    if exclude_post_id is not None:
        posts = posts.exclude(pk=exclude_post_id)
    return list(posts.values_list("body", flat=True)[:limit])

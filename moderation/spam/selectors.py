"""Database reads for spam scoring. Each is one query, so scoring a post costs a fixed
number of queries whatever its length."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from config.compiled import CompiledQuery
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


def _recent_texts_query(author_id: int, since):
    return (
        Post.objects.filter(author_id=author_id, created_at__gte=since)
        .order_by("-created_at")
        .values_list("body")[:RECENT_POSTS]
    )


# Every new post by a member reads these: built once per process (building costs more
# than running).
_RECENT_TEXTS = CompiledQuery(
    _recent_texts_query,
    author_id=-7_000_000_051,
    since=datetime(1901, 2, 3, 4, 5, 6, 793, tzinfo=UTC),
)
_PUBLIC_POST_COUNTS: dict[int, CompiledQuery] = {}


def author_recent_texts(*, author, exclude_post_id=None, limit=RECENT_POSTS) -> list[str]:
    """The bodies of the author's latest posts of the past week, newest first, for the
    repeated-text heuristic."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    if exclude_post_id is None and limit == RECENT_POSTS:
        return [body for (body,) in _RECENT_TEXTS.fetchall(author_id=author.pk, since=since)]
    posts = Post.objects.filter(author=author, created_at__gte=since).order_by("-created_at")
    if exclude_post_id is not None:
        posts = posts.exclude(pk=exclude_post_id)
    return list(posts.values_list("body", flat=True)[:limit])


def public_post_count(*, author, up_to: int) -> int:
    """How many of the author's posts readers can see (not hidden by moderators), counted
    up to ``up_to``: screening only compares the count with the policy's thresholds, and
    a prolific member's posts need not all be counted for that."""
    query = _PUBLIC_POST_COUNTS.get(up_to)
    if query is None:
        query = CompiledQuery(
            lambda author_id: (
                Post.objects.filter(author_id=author_id, is_hidden=False)
                .order_by()
                .values_list("pk")[:up_to]
            ),
            author_id=-7_000_000_053,
        )
        _PUBLIC_POST_COUNTS[up_to] = query
    return len(query.fetchall(author_id=author.pk))

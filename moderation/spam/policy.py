"""The admins' new-account policy, read once and kept in the shared cache (saving it
in admin clears the copy), and what it says about one post."""

from django.core.cache import cache

from moderation.models import SpamPolicy
from moderation.spam.tokens import URL_RE

CACHE_KEY = "spam:policy:v1"
# Saving the policy clears the cached copy at once; the timeout only bounds how long a
# process-local cache (development) can lag behind another process's save.
CACHE_SECONDS = 300
FIELDS = ("new_accounts", "first_posts", "trusted_after_days", "trusted_after_posts", "link_limit")


def spam_policy(cached=None) -> SpamPolicy:
    """The policy row: from the cache, or one query. Reads only; without the row (a
    database not migrated) the defaults apply. ``cached`` is the cache's copy when the
    caller read it already."""
    values = cached if cached is not None else cache.get(CACHE_KEY)
    if values is None:
        # Plain values are cached, not the model instance, so a cached copy from before a
        # deploy never unpickles into a changed model.
        values = SpamPolicy.objects.filter(pk=SpamPolicy.SINGLETON_PK).values(*FIELDS).first() or {
            name: SpamPolicy._meta.get_field(name).get_default() for name in FIELDS
        }
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return SpamPolicy(pk=SpamPolicy.SINGLETON_PK, **values)


def spam_policy_forget() -> None:
    cache.delete(CACHE_KEY)


def count_links(*texts: str) -> int:
    """Links anywhere in the texts, the scorer's pattern: http, https, www. and bare
    domains like ``cheap-pills.shop`` (file names and versions are not). The whole text is read,
    not the scorer's first 20,000 characters, so links cannot hide at the end."""
    return sum(len(URL_RE.findall(text or "")) for text in texts)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def policy_reasons(
    policy: SpamPolicy,
    *,
    age_days: int,
    published_posts: int,
    links: int,
    is_edit: bool,
) -> list[str]:
    """Why the policy holds this post, in plain words (empty: it does not). Only for
    accounts not trusted yet. Holding the first posts applies to new posts, not to edits
    of a post a moderator already let through; links count in edits too, since adding a
    link to an approved post is the usual way round approval."""
    if policy.is_trusted(age_days=age_days, posts=published_posts):
        return []
    reasons = []
    mode = policy.new_accounts
    if (
        mode == SpamPolicy.NewAccounts.FIRST_POSTS
        and not is_edit
        and published_posts < policy.first_posts
    ):
        reasons.append(
            f"A new account's first {_plural(policy.first_posts, 'post is', 'posts are')} "
            "checked by a moderator before they appear."
        )
    if mode == SpamPolicy.NewAccounts.LINKS and links:
        reasons.append(
            f"It has {_plural(links, 'link', 'links')}, and posts with links from new "
            "accounts are checked by a moderator before they appear."
        )
    elif policy.link_limit is not None and links > policy.link_limit:
        reasons.append(
            f"It has {_plural(links, 'link', 'links')}; a new account may post at most "
            f"{policy.link_limit} before a moderator checks the post."
        )
    return reasons

"""Staff keyword watches: saved terms; a new post that matches one notifies the
staff member who saved it (the notification itself is created by
``forum.services.notifications.post_added``, which asks :func:`staff_matching`).

Matching is whole-word, case-insensitive and accent-insensitive ("cafe" matches "Café's
menu", not "cafeteria"), on the post's body and, for an opening post, its thread's
title. It runs inside every new post's transaction, so it is cheap: the watch list is
one cached read (the cache entry is dropped after every change, and expires after a
minute anyway), matching is done in Python with compiled patterns, and the users are
fetched only when something matched.
"""

import re
from functools import lru_cache

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.roles import Role
from forum.models import KeywordWatch, Post
from forum.search import fold_text

TERM_MIN = 2
TERM_MAX = KeywordWatch.TERM_MAX
WATCHES_PER_MEMBER = 20
CACHE_KEY = "forum:keyword-watches:v1"
CACHE_SECONDS = 60


def _normalise(text: str) -> str:
    return fold_text(text).casefold()


def _clean_term(term: str) -> str:
    return " ".join((term or "").split())


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern:
    """Whole words only: the term may not continue a word on either side. Spaces in the
    term match any run of whitespace."""
    words = [re.escape(word) for word in _normalise(term).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def _forget_watches() -> None:
    """Drop the cached list now (this transaction sees its change) and again after commit
    (in case another process cached the old list meanwhile)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


@transaction.atomic
def keyword_watch_add(*, user: User, term: str) -> KeywordWatch:
    """Save a term for a staff member (the caller asked ``check_manage_keyword_watches``).
    Trims it; refuses — with a ValidationError keyed to ``term`` — one shorter than 2 or
    longer than 60 characters, the 21st watch, and a term the member already watches
    (ignoring case and accents)."""
    term = _clean_term(term)
    if len(term) < TERM_MIN:
        raise ValidationError(
            {
                "term": gettext("Type a word or phrase of at least %(min)s characters to watch.")
                % {"min": TERM_MIN}
            }
        )
    if len(term) > TERM_MAX:
        raise ValidationError(
            {
                "term": gettext(
                    "Watched terms can be at most %(max)s characters; this one has "
                    "%(count)s. Watch the word or two that matter."
                )
                % {"max": TERM_MAX, "count": len(term)}
            }
        )
    # Lock the member's row so two quick submissions cannot both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = list(KeywordWatch.objects.filter(user=user).values_list("term", flat=True))
    wanted = _normalise(term)
    for saved in existing:
        if _normalise(saved) == wanted:
            raise ValidationError(
                {"term": gettext("You already watch “%(saved)s”.") % {"saved": saved}}
            )
    if len(existing) >= WATCHES_PER_MEMBER:
        raise ValidationError(
            {
                "term": gettext(
                    "You can watch at most %(watches_per_member)s terms. Remove one "
                    "you no longer need, then add this one."
                )
                % {"watches_per_member": WATCHES_PER_MEMBER}
            }
        )
    watch = KeywordWatch.objects.create(user=user, term=term, created_at=timezone.now())
    _forget_watches()
    return watch


@transaction.atomic
def keyword_watch_remove(*, watch: KeywordWatch, user: User) -> bool:
    """Remove one of ``user``'s watches. False if it was already gone (or not theirs)."""
    deleted, _ = KeywordWatch.objects.filter(pk=watch.pk, user=user).delete()
    if deleted:
        _forget_watches()
    return bool(deleted)


def _all_watches() -> list[tuple[int, str]]:
    """(user id, term) of every watch: one query, then cached."""
    watches = cache.get(CACHE_KEY)
    if watches is None:
        watches = list(KeywordWatch.objects.order_by("term", "pk").values_list("user_id", "term"))
        cache.set(CACHE_KEY, watches, CACHE_SECONDS)
    return watches


def staff_matching(*, post: Post) -> dict[User, str]:
    """{staff member: the term that matched} for every staff member (employee or site
    admin, account active) whose saved terms match ``post`` — its body, and its thread's
    title for an opening post — except the post's author. One term per member (the first
    alphabetically). No query beyond the cached watch list unless something matches."""
    watches = _all_watches()
    if not watches:
        return {}
    text = post.body
    if post.position == 1:
        text = f"{post.thread.title}\n{text}"
    text = _normalise(text)
    matched: dict[int, str] = {}
    for user_id, term in watches:
        if user_id == post.author_id or user_id in matched:
            continue
        if _pattern(term).search(text):
            matched[user_id] = term
    if not matched:
        return {}
    staff = User.objects.filter(pk__in=matched, is_active=True).exclude(role=Role.MEMBER)
    return {user: matched[user.pk] for user in staff if user.is_employee or user.is_site_admin}

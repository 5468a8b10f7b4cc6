"""What screening reads: the watched phrases and the policy in one cache round trip, and
the author's visible posts counted only as far as the policy's thresholds need."""

import pytest
from django.core.cache import cache
from django.test.utils import override_settings

from forum.services import post_create
from forum.services.visibility import posts_set_hidden
from moderation.models import SpamPolicy
from moderation.spam.screening import screen_post
from moderation.spam.selectors import public_post_count
from moderation.spam.watched import watched_words_forget

pytestmark = pytest.mark.django_db

BODY = "The export stops halfway through and the file is empty when it finishes."


def write_posts(thread, author, count):
    return [
        post_create(thread=thread, author=author, body=f"{BODY} Attempt {n}.") for n in range(count)
    ]


def test_public_posts_are_counted_up_to_the_limit_hidden_ones_not(thread, make_user):
    author = make_user()
    posts = write_posts(thread, author, 5)
    assert public_post_count(author=author, up_to=10) == 5
    assert public_post_count(author=author, up_to=3) == 3
    posts_set_hidden(post_ids=[posts[0].pk, posts[1].pk], hidden=True)
    assert public_post_count(author=author, up_to=10) == 3


@override_settings(SPAM_TRUSTED_POSTS=4, SPAM_TRUSTED_DAYS=0)
def test_a_prolific_member_is_trusted_and_established_as_before(thread, make_user):
    SpamPolicy.objects.filter(pk=1).update(trusted_after_posts=4, trusted_after_days=0)
    author = make_user()
    write_posts(thread, author, 3)
    before = screen_post(author=author, title="", body=BODY + " Still.")
    assert "The author has posted here for a while." not in before.reasons
    write_posts(thread, author, 6)
    after = screen_post(author=author, title="", body=BODY + " Still.")
    assert "The author has posted here for a while." in after.reasons
    assert after.action == "publish"


def test_screening_reads_the_phrases_and_the_policy_in_one_round_trip(
    member, django_assert_num_queries
):
    screen_post(author=member, title="", body=BODY)  # fills the cache
    reads, inside = [], []
    get, get_many = cache.get, cache.get_many

    def counted(name, read):
        def wrapped(*args, **kwargs):
            if not inside:  # the memory cache's get_many calls its own get per key
                reads.append(name)
            inside.append(name)
            try:
                return read(*args, **kwargs)
            finally:
                inside.pop()

        return wrapped

    # A spy that passes every read on to the real cache, to count its round trips.
    cache.get, cache.get_many = counted("get", get), counted("get_many", get_many)
    try:
        # The author's visible posts, the learned token counts, the recent bodies.
        with django_assert_num_queries(3):
            result = screen_post(author=member, title="", body=BODY)
    finally:
        del cache.get, cache.get_many
    assert result.action == "publish"
    assert reads == ["get_many"]
    watched_words_forget()

"""Relative times say "just now" for the first minute, never "0 minutes ago" or an Age of
"0 minutes", on every page that shows one (they share the ``ago`` and ``age`` filters)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from forum.dates import time_ago, time_elapsed
from moderation.services import flag_create

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "ago", "elapsed"),
    [
        (0, "just now", "just now"),
        (59, "just now", "just now"),
        (-30, "just now", "just now"),  # another clock a little ahead
        (60, "1\xa0minute ago", "1\xa0minute"),
        (3 * 3600 + 5 * 60, "3\xa0hours, 5\xa0minutes ago", "3\xa0hours, 5\xa0minutes"),
    ],
)
def test_relative_times_in_words(seconds, ago, elapsed):
    then = NOW - timedelta(seconds=seconds)
    assert time_ago(then, now=NOW) == ago
    assert time_elapsed(then, now=NOW) == elapsed


def test_the_filters_say_just_now_and_leave_empty_values_empty():
    template = Template("{% load porchlight %}[{{ a|ago }}][{{ a|age }}][{{ b|ago }}]")
    html = template.render(Context({"a": timezone.now(), "b": None}))
    assert html == "[just now][just now][]"


def test_a_new_thread_was_active_just_now_on_the_board_pages(client, thread):
    for url in (
        reverse("forum:board-index"),
        reverse("forum:board-detail", kwargs={"board_slug": "help"}),
    ):
        html = client.get(url).content.decode()
        assert ">just now</time>" in html, url
        assert "0\xa0minutes" not in html and "0 minutes" not in html, url


def test_a_new_review_item_is_just_now_in_the_queue(
    client, thread, other_member, moderator, guidelines
):
    flag_create(flagger=other_member, post=thread.posts.get(), reason="rule", rule_code="G3")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    assert 'data-label="Age"' in html
    assert ">just now</time></td>" in html
    assert "0\xa0minutes" not in html

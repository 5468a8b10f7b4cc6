"""One review decision can hide the post and block its author: two log rows citing the
same rules, each reversed on its own."""

import pytest
from django.urls import reverse

from moderation import selectors
from moderation.models import Block, ModerationAction, ReviewItem
from moderation.services import action_reverse, flag_create, review_item_decide
from tests.moderation.service_helpers import (
    counts,
    new_rows,
    second_moderator_fixture,  # noqa: F401 - fixture "second_moderator"
)

Kind = ModerationAction.Kind
Decision = ReviewItem.Decision


@pytest.fixture
def post(thread):
    return thread.posts.get()


@pytest.fixture
def item(guidelines, post, other_member):
    return flag_create(flagger=other_member, post=post, reason="rule", rule_code="G3").review_item


def _both(member, post):
    hide = ModerationAction.objects.get(kind=Kind.POST_HIDE, post=post)
    block = ModerationAction.objects.get(kind=Kind.BLOCK, member=member)
    return hide, block


def test_a_decision_hides_the_post_and_blocks_the_author_citing_the_same_rules(
    item, post, member, moderator
):
    before = counts()
    action = review_item_decide(
        actor=moderator,
        item=item,
        decision=Decision.HIDE,
        rule_codes=["G3", "G1"],
        note="Insults, again.",
        block_duration="3d",
        also_block=True,
    )
    hide, block = _both(member, post)
    assert action == hide
    assert hide.rules == block.rules == ["G3", "G1"]
    assert block.note == "Insults, again." and block.block.rules == ["G3", "G1"]
    # The author hears of each action; the flagger hears the outcome once.
    assert new_rows(before) == {"actions": 2, "blocks": 1, "messages": 3}
    post.refresh_from_db()
    assert post.is_hidden
    assert selectors.active_block(member.pk) == block.block
    item.refresh_from_db()
    assert (item.status, item.decision, item.action) == ("decided", "hide", hide)


def test_reversing_the_block_leaves_the_post_hidden_and_the_other_way_round(
    item, post, member, moderator
):
    review_item_decide(
        actor=moderator,
        item=item,
        decision=Decision.HIDE,
        rule_codes=["G3"],
        note="Insults.",
        also_block=True,
    )
    hide, block = _both(member, post)
    assert action_reverse(actor=moderator, action=block)
    post.refresh_from_db()
    assert post.is_hidden and selectors.active_block(member.pk) is None
    assert ModerationAction.objects.filter(reverses=block).exists()
    assert not ModerationAction.objects.filter(reverses=hide).exists()
    assert action_reverse(actor=moderator, action=hide)
    post.refresh_from_db()
    assert not post.is_hidden


def test_the_post_stays_up_and_the_block_stays_when_only_the_hide_is_reversed(
    item, post, member, moderator
):
    review_item_decide(
        actor=moderator,
        item=item,
        decision=Decision.HIDE,
        rule_codes=["G3"],
        note="Insults.",
        also_block=True,
    )
    hide, block = _both(member, post)
    action_reverse(actor=moderator, action=hide)
    post.refresh_from_db()
    assert not post.is_hidden
    assert selectors.active_block(member.pk) == block.block


def test_the_queue_page_hides_and_blocks_in_one_decision(client, item, post, member, moderator):
    client.force_login(moderator)
    url = reverse("moderation:queue-item-decide", kwargs={"item_id": item.pk})
    page = client.get(reverse("moderation:queue-item", kwargs={"item_id": item.pk}))
    assert 'name="also_block"' in page.content.decode()
    response = client.post(
        url,
        {
            "decision": "hide",
            "also_block": "on",
            "rules": ["G3"],
            "duration": "7d",
            "note": "Insults in three threads.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("moderation:queue")
    text = response.content.decode()
    assert "The post is hidden under" in text and "is blocked from posting until" in text
    hide, block = _both(member, post)
    assert hide.rules == block.rules == ["G3"]
    post.refresh_from_db()
    assert post.is_hidden and Block.objects.get(member=member) == block.block


def test_blocking_with_the_hide_needs_the_reason_and_keeps_what_was_typed(
    client, item, post, member, moderator
):
    client.force_login(moderator)
    url = reverse("moderation:queue-item-decide", kwargs={"item_id": item.pk})
    before = counts()
    response = client.post(
        url, {"decision": "hide", "also_block": "on", "rules": ["G3"], "duration": "1d"}
    )
    assert response.status_code == 400
    assert "Write why you are blocking them" in response.content.decode()
    assert new_rows(before) == {}


def test_a_moderators_post_cannot_be_hidden_with_a_block_of_its_author(
    client, guidelines, moderator, second_moderator, other_member, make_thread
):
    their_post = make_thread(second_moderator, title="Moderator note").posts.get()
    item = flag_create(flagger=other_member, post=their_post, reason="spam").review_item
    client.force_login(moderator)
    before = counts()
    response = client.post(
        reverse("moderation:queue-item-decide", kwargs={"item_id": item.pk}),
        {"decision": "hide", "also_block": "on", "rules": ["G3"], "duration": "1d", "note": "x"},
    )
    assert response.status_code == 403
    assert new_rows(before) == {}

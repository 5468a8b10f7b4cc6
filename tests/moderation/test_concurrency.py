"""Races between real threads on real connections: two moderators deciding one item, two
members flagging one post, two moderators blocking one member. Each is decided by a row
lock (select_for_update), so only PostgreSQL can prove it; SQLite serialises every writer
and an in-memory database is not shared between connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from forum.models import Post
from forum.services import thread_create
from moderation.demo import GUIDELINES
from moderation.models import Block, Flag, MemberMessage, ModerationAction, ReviewItem
from moderation.permissions import check_decide_item
from moderation.services import (
    block_create,
    flag_create,
    guidelines_publish,
    review_item_claim,
    review_item_decide,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL; SQLite serialises writers")


def _user(username, role=Role.MEMBER):
    return user_create(
        username=username,
        email=f"{username}@example.com",
        password="x" * 12,
        role=role,
        display_name=username.title(),
    )


@pytest.fixture
def scene(boards):
    admin = _user("boss", Role.ADMIN)
    guidelines_publish(actor=admin, intro="", rules=GUIDELINES)
    author = _user("author")
    thread = thread_create(board=boards["help"], author=author, title="Race", body="Start.")
    return {
        "author": author,
        "post": thread.posts.get(),
        "moderators": [_user("morgan", Role.MODERATOR), _user("riley", Role.MODERATOR)],
    }


def _race(*jobs):
    """Run each job in its own thread with its own connection, all released at once by a
    barrier; return (results, errors) in job order."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), [None] * len(jobs)

    def run(index, job):
        try:
            prepared = job[0]()  # read what the view would read, before the race
            barrier.wait(timeout=10)
            results[index] = job[1](prepared)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors[index] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert not any(worker.is_alive() for worker in workers), "a worker hung (deadlock?)"
    return results, errors


def _decide_job(moderator_id, item_id, **decision):
    def prepare():
        moderator = User.objects.get(pk=moderator_id)
        item = ReviewItem.objects.select_related("claimed_by").get(pk=item_id)
        check_decide_item(moderator, item)  # both pass: neither has decided yet
        return moderator, item

    def act(prepared):
        moderator, item = prepared
        return review_item_decide(actor=moderator, item=item, **decision)

    return prepare, act


@pytest.mark.parametrize(
    "decisions",
    [
        ({"decision": "hide", "rule_codes": ["G3"]}, {"decision": "hide", "rule_codes": ["G3"]}),
        (
            {"decision": "block", "rule_codes": ["G3"], "note": "Insults.", "block_duration": "1d"},
            {"decision": "hide", "rule_codes": ["G1"]},
        ),
        ({"decision": "approve"}, {"decision": "spam", "rule_codes": ["G4"]}),
    ],
    ids=["same decision", "block vs hide", "approve vs spam"],
)
def test_two_moderators_deciding_one_item_apply_exactly_one_decision(scene, decisions):
    flagger = _user("flagger")
    item = flag_create(flagger=flagger, post=scene["post"], reason="spam").review_item
    log_before = ModerationAction.objects.count()
    messages_before = MemberMessage.objects.count()
    first, second = scene["moderators"]
    results, errors = _race(
        _decide_job(first.pk, item.pk, **decisions[0]),
        _decide_job(second.pk, item.pk, **decisions[1]),
    )
    winners = [i for i, result in enumerate(results) if result is not None]
    assert len(winners) == 1, (results, errors)
    loser = 1 - winners[0]
    assert isinstance(errors[loser], ValidationError)
    winner_name = scene["moderators"][winners[0]].public_name
    assert f"This item was already decided by {winner_name}" in errors[loser].messages[0]
    assert "nothing more was done" in errors[loser].messages[0]
    assert ModerationAction.objects.count() == log_before + 1
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DECIDED
    assert item.decided_by == scene["moderators"][winners[0]]
    assert item.decision == decisions[winners[0]]["decision"]
    assert item.action_id == results[winners[0]].pk
    # Exactly one decision's effects: at most one block, the flagger told once.
    assert Block.objects.count() <= 1
    assert MemberMessage.objects.filter(recipient=flagger).count() == 1
    assert MemberMessage.objects.count() - messages_before in (1, 2)  # + the author, if acted on


def test_two_moderators_claiming_one_item_one_holds_it(scene):
    item = flag_create(flagger=_user("flagger"), post=scene["post"], reason="spam").review_item

    def claim_job(moderator_id):
        def prepare():
            return User.objects.get(pk=moderator_id), ReviewItem.objects.get(pk=item.pk)

        return prepare, lambda prepared: review_item_claim(actor=prepared[0], item=prepared[1])

    results, errors = _race(*(claim_job(m.pk) for m in scene["moderators"]))
    assert results.count(True) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 1 and "is handling this item" in refused[0].messages[0]
    holder = ReviewItem.objects.get(pk=item.pk).claimed_by
    assert holder in scene["moderators"]


def test_two_flags_on_one_post_at_once_make_one_review_item(scene):
    flaggers = [_user(f"flagger{i}") for i in range(4)]

    def flag_job(user_id):
        def prepare():
            return User.objects.get(pk=user_id), Post.objects.get(pk=scene["post"].pk)

        def act(prepared):
            user, post = prepared
            return flag_create(flagger=user, post=post, reason="rule", rule_code="G3")

        return prepare, act

    results, errors = _race(*(flag_job(user.pk) for user in flaggers))
    assert errors == [None] * 4
    assert ReviewItem.objects.filter(post=scene["post"]).count() == 1
    assert Flag.objects.filter(post=scene["post"]).count() == 4
    assert len({flag.review_item_id for flag in results}) == 1


def test_one_member_flagging_twice_at_once_makes_one_flag(scene):
    flagger = _user("eager")

    def flag_job():
        def prepare():
            return User.objects.get(pk=flagger.pk), Post.objects.get(pk=scene["post"].pk)

        def act(prepared):
            return flag_create(flagger=prepared[0], post=prepared[1], reason="spam")

        return prepare, act

    results, errors = _race(flag_job(), flag_job())
    assert sum(result is not None for result in results) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 1 and "already flagged this post" in refused[0].messages[0]
    assert Flag.objects.count() == 1 and ReviewItem.objects.count() == 1


def test_two_moderators_blocking_one_member_at_once_never_make_two_blocks(scene):
    member_id = scene["author"].pk

    def block_job(moderator_id, duration):
        def prepare():
            return User.objects.get(pk=moderator_id), User.objects.get(pk=member_id)

        def act(prepared):
            moderator, member = prepared
            return block_create(
                actor=moderator, member=member, duration=duration, rule_codes=["G3"], reason="x"
            )

        return prepare, act

    first, second = scene["moderators"]
    results, errors = _race(block_job(first.pk, "1d"), block_job(second.pk, "7d"))
    assert sum(result is not None for result in results) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 1 and "is already blocked" in refused[0].messages[0]
    assert Block.objects.filter(member_id=member_id, lifted_at__isnull=True).count() == 1
    assert ModerationAction.objects.filter(kind="block").count() == 1

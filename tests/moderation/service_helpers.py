"""Shared pieces for the moderation service tests: an injectable clock, a second
moderator, and row counts to prove "one log row" and "no partial state".

Import the fixtures you use explicitly (``from tests.moderation.service_helpers import
clock_fixture``); pytest registers them under their ``name`` (``clock``)."""

from datetime import UTC, datetime

import pytest

from accounts.models import User
from accounts.roles import Role
from forum.models import Post
from moderation.models import (
    Appeal,
    Block,
    Flag,
    Lockdown,
    MemberMessage,
    ModerationAction,
    ReviewItem,
)

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(name="clock")
def clock_fixture(clock):
    """The shared clock (tests/conftest.py), set to a fixed instant for these tests."""
    clock.set(START)
    return clock


@pytest.fixture(name="second_moderator")
def second_moderator_fixture(make_user):
    return make_user("riley", role=Role.MODERATOR, display_name="Riley")


COUNTED = {
    "actions": ModerationAction,
    "blocks": Block,
    "lockdowns": Lockdown,
    "flags": Flag,
    "items": ReviewItem,
    "appeals": Appeal,
    "messages": MemberMessage,
    "posts": Post,
}


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in COUNTED.items()}


def fresh(user) -> User:
    """The same member without the per-object memo of their block (one per request)."""
    return User.objects.get(pk=user.pk)


def set_time_zone(user, zone: str) -> User:
    User.objects.filter(pk=user.pk).update(time_zone=zone)
    return fresh(user)


def new_rows(before: dict[str, int]) -> dict[str, int]:
    """Only the counts that changed, as differences."""
    after = counts()
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def latest_message(user) -> MemberMessage:
    """The newest message to a member (by id: a frozen clock gives equal timestamps)."""
    return MemberMessage.objects.filter(recipient=user).order_by("-pk").first()

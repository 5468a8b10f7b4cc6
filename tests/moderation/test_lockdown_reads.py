"""The lockdowns a write to a thread is checked against come from a query built once per
process: the same rows, in the same order, read as the ORM reads them, as the query the
other lockdown reads still build."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.selectors import active_lockdowns
from moderation.selectors.lockdowns import _lockdowns
from moderation.services import lockdown_set

pytestmark = pytest.mark.django_db


def columns(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_threads_lockdowns_in_force_are_the_orms(
    thread, make_thread, member, moderator, guidelines
):
    other = make_thread(member)
    lockdown_set(
        actor=moderator, kind="slow", slow_minutes=5, rule_codes=["G3"], reason="Cool down.",
        board=thread.board,
    )  # fmt: skip
    lockdown_set(
        actor=moderator, kind="lock", rule_codes=["G3"], reason="A pile-on.", thread=thread,
        ends_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    lockdown_set(actor=moderator, kind="lock", rule_codes=["G3"], reason="Elsewhere.", thread=other)
    now = timezone.now()
    got = active_lockdowns(thread=thread, now=now)
    expected = _lockdowns(thread=thread, board=None, now=now, started=True)
    assert [columns(row) for row in got] == [columns(row) for row in expected]
    assert [row.thread_id is None for row in got] == [False, True]
    assert [columns(row.created_by) for row in got] == [columns(row.created_by) for row in expected]
    assert got[0].ends_at.tzinfo is not None
    assert active_lockdowns(thread=thread, now=now + timedelta(hours=2))[0].thread_id is None

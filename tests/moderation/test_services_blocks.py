"""Temporary blocks: one log row per verb, exact reversals, deliberate re-blocking, what
the member is told, and the suggested duration."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from forum.permissions import check_reply
from moderation import selectors
from moderation.models import Appeal, Block, MemberMessage, ModerationAction
from moderation.selectors import active_block, suggested_block_duration
from moderation.services import (
    action_reverse,
    appeal_create,
    block_create,
    block_lift,
    review_item_decide,
    spam_delete,
)
from tests.moderation.service_helpers import (
    START,
    clock_fixture,  # noqa: F401 - fixture "clock"
    counts,
    fresh,
    latest_message,
    new_rows,
    second_moderator_fixture,  # noqa: F401 - fixture "second_moderator"
    set_time_zone,
)
from tests.task_runner import run_ready_tasks

Kind = ModerationAction.Kind


def _block(
    moderator, member, duration="1d", rules=("G3",), reason="Insulted another member.", **kw
):
    return block_create(
        actor=moderator, member=member, duration=duration, rule_codes=rules, reason=reason, **kw
    )


def _active_blocks(member) -> int:
    return sum(block.is_active_at(START) for block in Block.objects.filter(member=member))


# --- Creating a block -----------------------------------------------------------------


def test_block_writes_one_log_row_and_one_block(guidelines, moderator, member, clock):
    before = counts()
    action = _block(moderator, member)
    assert new_rows(before) == {"actions": 1, "blocks": 1, "messages": 1}
    block = action.block
    assert action.kind == Kind.BLOCK and action.member == member and action.rules == ["G3"]
    assert block.starts_at == START and block.ends_at == START + timedelta(days=1)
    assert block.reason == "Insulted another member."
    assert active_block(member.pk) == block


def test_blocked_member_is_told_in_app_and_by_email_in_their_time_zone(
    guidelines, moderator, member, clock, django_capture_on_commit_callbacks
):
    member = set_time_zone(member, "Europe/Paris")
    with django_capture_on_commit_callbacks(execute=True):
        action = _block(moderator, member)
    run_ready_tasks()
    message = MemberMessage.objects.get(recipient=member)
    appeal_path = f"/moderation/appeals/new/{action.pk}/"
    # 12:00 UTC on 2 March is 13:00 in Paris (winter time); the block ends a day later.
    for text in (message.body, mail.outbox[0].body):
        assert "G3 (Argue with ideas, not with people)" in text
        assert "until 3 Mar 2026, 13:00 (Europe/Paris)" in text
        assert appeal_path in text
        assert "Why: Insulted another member." in text
        assert "Morgan" not in text
    assert message.action == action
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "blocked" in mail.outbox[0].subject


def test_an_until_lifted_block_says_so_in_plain_words(guidelines, moderator, member):
    _block(moderator, member, duration="lifted")
    body = MemberMessage.objects.get(recipient=member).body
    assert "until a moderator lifts it" in body
    assert "until until" not in body
    assert active_block(member.pk).ends_at is None


def test_no_email_when_the_transaction_rolls_back(
    guidelines, moderator, member, django_capture_on_commit_callbacks
):
    before = counts()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _block(moderator, member)
        raise RuntimeError("the request failed after the block")
    assert callbacks == []
    assert mail.outbox == []
    assert new_rows(before) == {}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"rules": ("G9",)}, "rules", "There is no rule G9 in the current guidelines"),
        ({"rules": ()}, "rules", "Cite at least one guideline rule"),
        ({"rules": ("",)}, "rules", "Cite at least one guideline rule"),
        ({"duration": "2d"}, "duration", "Choose a duration: 1 hour, 1 day, 3 days"),
        ({"duration": ""}, "duration", "Choose a duration"),
        ({"reason": ""}, "reason", "Write a short reason"),
        ({"reason": "   \n "}, "reason", "Write a short reason"),
        ({"reason": "x" * 2001}, "reason", "under 2,000 characters"),
    ],
)
def test_bad_block_input_is_refused_with_no_partial_state(
    guidelines, moderator, member, django_capture_on_commit_callbacks, changes, field, words
):
    arguments = {"duration": "1d", "rules": ("G3",), "reason": "Insults."} | changes
    before = counts()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        _block(moderator, member, **arguments)
    assert words in " ".join(exc.value.message_dict[field])
    assert new_rows(before) == {}
    assert mail.outbox == []
    assert active_block(member.pk) is None


def test_rule_codes_are_normalised(guidelines, moderator, member):
    action = _block(moderator, member, rules="g3, G1 g3")
    assert action.rules == ["G3", "G1"]


# --- Re-blocking: deliberate, never two blocks in force --------------------------------


def test_reblocking_without_saying_how_is_refused_naming_the_current_block(
    guidelines, moderator, member, clock
):
    _block(moderator, member, duration="3d")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        _block(moderator, member, duration="1d", rules=("G1",))
    words = exc.value.message_dict["on_existing"][0]
    assert "Jamie is already blocked" in words
    assert "G3 (Argue with ideas, not with people)" in words
    assert "until 5 Mar 2026, 12:00 (UTC)" in words
    assert "extend" in words and "replace" in words
    assert new_rows(before) == {}
    assert _active_blocks(member) == 1


def test_extend_adds_the_duration_to_the_current_end(guidelines, moderator, member, clock):
    first = _block(moderator, member, duration="3d").block
    clock.advance(hours=5)
    before = counts()
    action = _block(moderator, member, duration="1d", rules=("G1",), on_existing="extend")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert action.kind == Kind.BLOCK_EXTEND and action.block == first
    first.refresh_from_db()
    assert first.ends_at == START + timedelta(days=4)
    assert action.details["previous_ends_at"] == (START + timedelta(days=3)).isoformat()
    assert _active_blocks(member) == 1
    message = latest_message(member)
    assert message.subject == "Your block has been extended"
    assert "by 1 day" in message.body


def test_extend_until_lifted_makes_it_open_ended(guidelines, moderator, member):
    block = _block(moderator, member).block
    _block(moderator, member, duration="lifted", on_existing="extend")
    block.refresh_from_db()
    assert block.ends_at is None


def test_extending_a_block_that_is_already_until_lifted_is_refused(guidelines, moderator, member):
    _block(moderator, member, duration="lifted")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        _block(moderator, member, on_existing="extend")
    assert "already lasts until a moderator lifts it" in str(exc.value)
    assert new_rows(before) == {}


def test_replace_ends_the_old_block_and_starts_the_new_one(guidelines, moderator, member, clock):
    old = _block(moderator, member, duration="7d").block
    clock.advance(hours=1)
    before = counts()
    action = _block(moderator, member, duration="1h", rules=("G1",), on_existing="replace")
    assert new_rows(before) == {"actions": 1, "blocks": 1, "messages": 1}
    old.refresh_from_db()
    assert old.lifted_at == START + timedelta(hours=1) and old.lifted_by == moderator
    assert old.lift_note == "Replaced by a new block."
    assert action.details == {"replaced_block_id": old.pk}
    assert active_block(member.pk) == action.block
    assert sum(b.is_active_at(clock.now) for b in Block.objects.filter(member=member)) == 1


def test_a_banned_account_cannot_be_blocked(guidelines, moderator, admin_user, member):
    spam_delete(actor=admin_user, member=member, rule_codes=["G4"], note="Links.")
    before = counts()
    with pytest.raises(ValidationError, match="banned"):
        _block(moderator, member, on_existing="replace")
    assert new_rows(before) == {}


def test_a_ban_outranks_a_block_when_both_are_in_force(guidelines, moderator, member, clock):
    # Services never leave both in force (a ban lifts the block); the selector still
    # ranks them, so this state is built directly.
    block = _block(moderator, member).block
    ban = Block.objects.create(
        member=member, kind=Block.Kind.BAN, reason="Spam", starts_at=START - timedelta(days=1),
        created_by=moderator, rule_codes=",G4,",
    )  # fmt: skip
    assert block.is_active_at(START) and ban.is_active_at(START)
    assert active_block(member.pk) == ban


# --- Lifting and reversing: the previous state, exactly -----------------------------------


def test_lift_ends_the_block_logs_one_reversal_and_tells_the_member(
    guidelines, moderator, member, thread, clock, django_capture_on_commit_callbacks
):
    action = _block(moderator, member)
    clock.advance(hours=2)
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        lift = block_lift(actor=moderator, block=action.block, note="Apology accepted.")
    run_ready_tasks()
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert lift.kind == Kind.BLOCK_LIFT and lift.reverses == action
    assert active_block(member.pk) is None
    check_reply(fresh(member), thread)
    message = latest_message(member)
    assert message.subject == "Your block has been lifted"
    assert "you can post again" in message.body and "Apology accepted." in message.body
    assert [email.subject for email in mail.outbox] == ["[Porchlight] Your block has been lifted"]


def test_lifting_an_ended_block_changes_nothing(guidelines, moderator, member, clock):
    action = _block(moderator, member, duration="1h")
    clock.advance(hours=1)
    before = counts()
    assert block_lift(actor=moderator, block=action.block) is False
    assert new_rows(before) == {}
    again = _block(moderator, member)
    block_lift(actor=moderator, block=again.block)
    before = counts()
    assert block_lift(actor=moderator, block=again.block) is False
    assert new_rows(before) == {}


def test_reversing_a_block_restores_the_state_before_it(guidelines, moderator, member, clock):
    action = _block(moderator, member)
    before = counts()
    reversal = action_reverse(actor=moderator, action=action, note="Wrong member.")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.reverses == action
    assert active_block(member.pk) is None
    assert action_reverse(actor=moderator, action=action) is False


def test_reversing_an_extension_puts_the_end_back_exactly(guidelines, moderator, member, clock):
    block = _block(moderator, member, duration="3d").block
    original_end = block.ends_at
    extension = _block(moderator, member, duration="7d", on_existing="extend")
    before = counts()
    reversal = action_reverse(actor=moderator, action=extension, note="Too harsh.")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.reverses == extension
    block.refresh_from_db()
    assert block.ends_at == original_end
    assert block.lifted_at is None
    assert active_block(member.pk) == block
    assert "now lasts until 5 Mar 2026" in latest_message(member).body


def test_reversing_an_extension_to_until_lifted_restores_the_date(
    guidelines, moderator, member, clock
):
    block = _block(moderator, member, duration="1d").block
    extension = _block(moderator, member, duration="lifted", on_existing="extend")
    action_reverse(actor=moderator, action=extension)
    block.refresh_from_db()
    assert block.ends_at == START + timedelta(days=1)


def test_an_earlier_extension_cannot_be_reversed_over_a_later_one(
    guidelines, moderator, member, clock
):
    block = _block(moderator, member, duration="1d").block
    first = _block(moderator, member, duration="3d", on_existing="extend")
    second = _block(moderator, member, duration="7d", on_existing="extend")
    before = counts()
    with pytest.raises(ValidationError, match="reverse the later change first"):
        action_reverse(actor=moderator, action=first)
    assert new_rows(before) == {}
    action_reverse(actor=moderator, action=second)
    action_reverse(actor=moderator, action=first)
    block.refresh_from_db()
    assert block.ends_at == START + timedelta(days=1)


def test_reversing_a_replacing_block_brings_the_replaced_one_back(
    guidelines, moderator, member, clock
):
    old = _block(moderator, member, duration="7d").block
    old_fields = (old.starts_at, old.ends_at, old.rule_codes, old.reason)
    clock.advance(hours=1)
    replacing = _block(moderator, member, duration="30d", rules=("G1",), on_existing="replace")
    clock.advance(hours=1)
    before = counts()
    reversal = action_reverse(actor=moderator, action=replacing, note="Keep the first one.")
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert reversal.reverses == replacing
    assert reversal.details == {"revived_block_ids": [old.pk]}
    old.refresh_from_db()
    assert (old.starts_at, old.ends_at, old.rule_codes, old.reason) == old_fields
    assert (old.lifted_at, old.lifted_by, old.lift_note) == (None, None, "")
    assert active_block(member.pk) == old
    assert sum(b.is_active_at(clock.now) for b in Block.objects.filter(member=member)) == 1
    body = latest_message(member).body
    assert "applies again until 9 Mar 2026, 12:00 (UTC)" in body


def test_a_replaced_block_that_would_have_ended_stays_ended(guidelines, moderator, member, clock):
    old = _block(moderator, member, duration="1h").block
    replacing = _block(moderator, member, duration="7d", on_existing="replace")
    clock.advance(hours=2)
    action_reverse(actor=moderator, action=replacing)
    old.refresh_from_db()
    assert old.lifted_at is not None
    assert active_block(member.pk) is None


def test_a_spam_ban_is_not_lifted_as_a_block(guidelines, admin_user, member):
    action = spam_delete(actor=admin_user, member=member, rule_codes=["G4"])
    before = counts()
    with pytest.raises(ValidationError, match="reversing the spam deletion"):
        block_lift(actor=admin_user, block=action.block)
    assert new_rows(before) == {}


def test_blocking_from_the_queue_extends_an_existing_block(
    guidelines, moderator, member, other_member, thread, clock
):
    from moderation.services import flag_create

    first = _block(moderator, member, duration="1d").block
    flag = flag_create(flagger=other_member, post=thread.posts.get(), reason="rule", rule_code="G3")
    before = counts()
    action = review_item_decide(
        actor=moderator,
        item=flag.review_item,
        decision="block",
        rule_codes=["G3"],
        note="Again.",
        block_duration="3d",
    )
    assert action.kind == Kind.BLOCK_EXTEND
    assert new_rows(before)["actions"] == 1
    first.refresh_from_db()
    assert first.ends_at == START + timedelta(days=4)
    assert _active_blocks(member) == 1


# --- The suggested duration ---------------------------------------------------------------


def _history(moderator, member, clock, *ages_in_days):
    """Blocks that started ``age`` days before the clock's current time, oldest first."""
    now = clock.now
    for age in sorted(ages_in_days, reverse=True):
        clock.set(now - timedelta(days=age))
        action = _block(moderator, member, duration="1h")
        block_lift(actor=moderator, block=action.block)
    clock.set(now)


@pytest.mark.parametrize(
    ("ages", "key", "why"),
    [
        ((), "1d", "Suggested 1 day: Jamie has not been blocked in the last six months."),
        ((10,), "3d", "Suggested 3 days: Jamie was blocked once in the last six months."),
        ((10, 40), "7d", "Suggested 7 days: Jamie was blocked twice in the last six months."),
        ((1, 2, 3), "30d", "Suggested 30 days: Jamie was blocked 3 times in the last six months."),
        ((1, 2, 3, 4), "30d", "Suggested 30 days: Jamie was blocked 4 times in the last six "
         "months."),
        ((200,), "1d", "Suggested 1 day: Jamie has not been blocked in the last six months."),
    ],
)  # fmt: skip
def test_the_suggestion_steps_up_with_recent_blocks(
    guidelines, moderator, member, clock, ages, key, why
):
    _history(moderator, member, clock, *ages)
    assert suggested_block_duration(member=member) == (key, why)


def test_the_suggestion_steps_back_down_after_six_quiet_months(
    guidelines, moderator, member, clock
):
    _history(moderator, member, clock, 150, 100, 5)
    assert suggested_block_duration(member=member)[0] == "30d"
    # Each old block leaves the window in turn; six months after the last, none is left.
    assert suggested_block_duration(member=member, now=START + timedelta(days=40))[0] == "7d"
    assert suggested_block_duration(member=member, now=START + timedelta(days=90))[0] == "3d"
    assert suggested_block_duration(member=member, now=START + timedelta(days=176))[0] == "3d"
    later = START + timedelta(days=178)
    assert suggested_block_duration(member=member, now=later) == (
        "1d",
        "Suggested 1 day: Jamie has not been blocked in the last six months.",
    )


def test_blocks_reversed_on_appeal_and_spam_bans_do_not_count(
    guidelines, moderator, second_moderator, admin_user, member, clock
):
    wrongful = _block(moderator, member)
    appeal = appeal_create(member=member, action=wrongful, text="I was quoting the other person.")
    review_item_decide(actor=second_moderator, item=appeal.review_item, decision="reverse")
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.REVERSED
    spam_delete(actor=admin_user, member=member, rule_codes=["G4"])
    assert selectors.blocks_in_last_six_months(member=member) == 0
    assert suggested_block_duration(member=member)[0] == "1d"

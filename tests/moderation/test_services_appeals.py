"""Appeals: one per action, decided by a moderator other than the one who acted, upheld
(nothing changes) or reversed (the action's own reversal path, one log row that
``reverses`` it), and the member told either way."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forum.models import Post
from moderation.models import Appeal, Block, ModerationAction, ReviewItem
from moderation.permissions import (
    check_appeal,
    check_claim_item,
    check_decide_item,
    check_review_decision,
)
from moderation.selectors import active_block, active_lockdowns
from moderation.services import (
    appeal_create,
    block_create,
    block_lift,
    lockdown_set,
    post_hide,
    review_item_claim,
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
)
from tests.task_runner import run_ready_tasks

Kind = ModerationAction.Kind
TEXT = "I was quoting the other poster, not insulting them."


@pytest.fixture
def block_action(guidelines, moderator, member, clock):
    return block_create(
        actor=moderator, member=member, duration="3d", rule_codes=["G3"], reason="Insults."
    )


def _appeal(member, action, text=TEXT):
    return appeal_create(member=member, action=action, text=text)


def _item(appeal) -> ReviewItem:
    return ReviewItem.objects.select_related("appeal__action").get(appeal=appeal)


# --- Making an appeal ----------------------------------------------------------------------


def test_a_blocked_member_can_appeal_and_it_lands_in_the_queue(block_action, member):
    check_appeal(fresh(member), block_action)
    before = counts()
    appeal = _appeal(member, block_action)
    assert new_rows(before) == {"appeals": 1, "items": 1}
    item = _item(appeal)
    assert (item.kind, item.status, item.member) == (
        ReviewItem.Kind.APPEAL,
        ReviewItem.Status.OPEN,
        member,
    )
    assert appeal.status == Appeal.Status.OPEN


@pytest.mark.parametrize("length", [20, 2000])
def test_appeal_text_of_20_to_2000_characters_is_accepted(block_action, member, length):
    assert len(_appeal(member, block_action, text="x" * length).text) == length


@pytest.mark.parametrize(("length", "shown"), [(19, "19"), (2001, "2001"), (0, "0")])
def test_appeal_text_outside_20_to_2000_is_refused(block_action, member, length, shown):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        _appeal(member, block_action, text="x" * length)
    assert exc.value.message_dict["text"] == [
        f"Explain your appeal in 20–2,000 characters (you wrote {shown})."
    ]
    assert new_rows(before) == {}


def test_one_appeal_per_action(block_action, member):
    _appeal(member, block_action)
    before = counts()
    with pytest.raises(ValidationError, match="one appeal per action"):
        _appeal(member, block_action)
    assert new_rows(before) == {}
    with pytest.raises(PermissionDenied, match="one appeal per action"):
        check_appeal(member, ModerationAction.objects.get(pk=block_action.pk))


def test_only_the_member_affected_may_appeal(block_action, other_member, moderator):
    for user in (other_member, moderator):
        with pytest.raises(PermissionDenied, match="actions taken against you"):
            check_appeal(user, block_action)


def test_a_reversed_action_or_a_reversal_cannot_be_appealed(block_action, member, moderator):
    lift = block_lift(actor=moderator, block=block_action.block)
    with pytest.raises(PermissionDenied, match="already been reversed"):
        check_appeal(member, ModerationAction.objects.get(pk=block_action.pk))
    with pytest.raises(PermissionDenied, match="actions taken against you"):
        check_appeal(member, lift)


# --- Who decides --------------------------------------------------------------------------


def test_the_moderator_who_acted_cannot_claim_or_decide_the_appeal(
    client, block_action, member, moderator
):
    item = _item(_appeal(member, block_action))
    for check in (check_claim_item, check_decide_item):
        with pytest.raises(PermissionDenied, match="another moderator must decide"):
            check(moderator, item)
    with pytest.raises(PermissionDenied, match="another moderator must decide"):
        check_review_decision(moderator, item, "reverse")
    # The queue page asks that check; the service assumes it.
    client.force_login(moderator)
    before = counts()
    response = client.post(
        reverse("moderation:queue-item-decide", kwargs={"item_id": item.pk}),
        {"decision": "reverse"},
    )
    assert response.status_code == 403
    assert "another moderator must decide" in response.content.decode()
    assert new_rows(before) == {}
    assert active_block(member.pk) == block_action.block
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewItem.Status.OPEN


def test_an_appeal_is_either_upheld_or_reversed(block_action, member, second_moderator):
    item = _item(_appeal(member, block_action))
    before = counts()
    with pytest.raises(ValidationError, match="either upheld or reversed"):
        review_item_decide(actor=second_moderator, item=item, decision="hide", rule_codes=["G3"])
    assert new_rows(before) == {}


def test_only_admins_decide_an_appeal_against_a_spam_deletion(
    guidelines, admin_user, member, moderator, make_user
):
    action = spam_delete(actor=admin_user, member=member, rule_codes=["G4"])
    item = _item(_appeal(member, action))
    with pytest.raises(PermissionDenied, match="Only an admin"):
        check_decide_item(moderator, item)
    other_admin = make_user("robin", role="admin")
    check_decide_item(other_admin, item)
    review_item_decide(actor=other_admin, item=item, decision="reverse", note="Real customer.")
    assert not Post.objects.filter(author=member, is_hidden=True).exists()
    assert active_block(member.pk) is None


# --- Upheld ---------------------------------------------------------------------------------


def test_upholding_changes_nothing_but_the_record_and_tells_the_member(
    block_action, member, second_moderator, django_capture_on_commit_callbacks
):
    appeal = _appeal(member, block_action)
    block_before = Block.objects.filter(pk=block_action.block_id).values().get()
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        decision = review_item_decide(
            actor=second_moderator,
            item=_item(appeal),
            decision="uphold",
            note="The quote was yours.",
        )
    run_ready_tasks()
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert decision.kind == Kind.APPEAL_UPHOLD and decision.reverses is None
    assert decision.details["appealed_action_id"] == block_action.pk
    assert Block.objects.filter(pk=block_action.block_id).values().get() == block_before
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    message = latest_message(member)
    assert "upheld the original decision" in message.body
    assert "The quote was yours." in message.body
    assert "Riley" not in message.body
    assert [m.subject for m in mail.outbox] == ["[Porchlight] Your appeal has been decided"]


# --- Reversed: through the normal reversal path, one row ------------------------------------


def _reverse_on_appeal(member, action, decider, note="Fair point."):
    appeal = _appeal(member, action)
    before = counts()
    decision = review_item_decide(actor=decider, item=_item(appeal), decision="reverse", note=note)
    assert new_rows(before) == {"actions": 1, "messages": 1}
    assert decision.kind == Kind.APPEAL_REVERSE
    assert decision.reverses == action
    assert decision.details["appeal_id"] == appeal.pk
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVERSED
    item = _item(appeal)
    assert (item.status, item.decision, item.action) == ("decided", "reverse", decision)
    message = latest_message(member)
    assert message.subject == "Your appeal succeeded"
    assert "reversed the action" in message.body and note in message.body
    return decision


def test_reversing_a_block_on_appeal_lifts_it(block_action, member, second_moderator):
    decision = _reverse_on_appeal(member, block_action, second_moderator)
    assert active_block(member.pk) is None
    block = Block.objects.get(pk=block_action.block_id)
    assert block.lifted_by == second_moderator
    assert decision.block == block


def test_reversing_a_hide_on_appeal_restores_the_post_unchanged(
    guidelines, thread, member, moderator, second_moderator
):
    post = thread.posts.get()
    before = (post.body, post.body_html)
    hide = post_hide(actor=moderator, post=post, rule_codes=["G3"])
    _reverse_on_appeal(member, hide, second_moderator)
    post.refresh_from_db()
    assert (post.is_hidden, post.hidden_rule_code, post.body, post.body_html) == (
        False,
        "",
        *before,
    )


def test_reversing_a_lock_on_appeal_reopens_the_thread(
    guidelines, thread, member, moderator, second_moderator
):
    lock = lockdown_set(
        actor=moderator, kind="lock", thread=thread, rule_codes=["G3"], reason="Pile-on."
    )
    _reverse_on_appeal(member, lock, second_moderator)
    assert active_lockdowns(thread=thread) == []


def test_reversing_an_extension_on_appeal_restores_the_earlier_end(
    block_action, member, moderator, second_moderator
):
    extension = block_create(
        actor=moderator,
        member=member,
        duration="30d",
        rule_codes=["G3"],
        reason="Again.",
        on_existing="extend",
    )
    _reverse_on_appeal(member, extension, second_moderator)
    assert active_block(member.pk).ends_at == START + timedelta(days=3)


def test_an_appeal_against_something_already_undone_cannot_be_reversed(
    block_action, member, second_moderator
):
    appeal = _appeal(member, block_action)
    block_lift(actor=second_moderator, block=block_action.block, note="Lifted early.")
    before = counts()
    with pytest.raises(ValidationError, match="nothing left to undo"):
        review_item_decide(actor=second_moderator, item=_item(appeal), decision="reverse")
    assert new_rows(before) == {}
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.OPEN
    # It can still be closed, with a word to the member.
    review_item_decide(
        actor=second_moderator, item=_item(appeal), decision="uphold", note="Already lifted."
    )


def test_an_appeal_decision_cannot_be_made_twice(
    block_action, member, second_moderator, admin_user
):
    appeal = _appeal(member, block_action)
    review_item_claim(actor=second_moderator, item=_item(appeal))
    review_item_decide(actor=second_moderator, item=_item(appeal), decision="uphold")
    before = counts()
    with pytest.raises(ValidationError, match="already decided by Riley"):
        review_item_decide(actor=admin_user, item=_item(appeal), decision="reverse")
    assert new_rows(before) == {}
    assert active_block(member.pk) == block_action.block

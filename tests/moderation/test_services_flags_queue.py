"""Flags and the review queue: grouping, claiming, every decision path writing exactly one
log row, flaggers told without the moderator's name, and bad input leaving nothing
behind."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from moderation import selectors
from moderation.models import Block, MemberMessage, ModerationAction, ReviewItem
from moderation.permissions import (
    check_claim_item,
    check_decide_item,
    check_flag_post,
    check_review_decision,
)
from moderation.services import (
    block_create,
    flag_create,
    post_hide,
    review_item_claim,
    review_item_decide,
    review_item_escalate,
    review_item_release,
)
from tests.moderation.service_helpers import (
    counts,
    fresh,
    latest_message,
    new_rows,
    second_moderator_fixture,  # noqa: F401 - fixture "second_moderator"
)
from tests.task_runner import run_ready_tasks

Kind = ModerationAction.Kind
Decision = ReviewItem.Decision


@pytest.fixture
def post(thread):
    """Jamie's opening post, in Jamie's thread."""
    return thread.posts.get()


@pytest.fixture
def flaggers(make_user):
    return [make_user("kai", display_name="Kai"), make_user("lee", display_name="Lee")]


@pytest.fixture
def item(guidelines, post, other_member, flaggers):
    """An open review item holding three flags on Jamie's post."""
    flag = flag_create(flagger=other_member, post=post, reason="rule", rule_code="G3")
    flag_create(flagger=flaggers[0], post=post, reason="spam")
    flag_create(
        flagger=flaggers[1], post=post, reason="other", text="Reads like a personal attack."
    )
    return flag.review_item


# --- Flags -----------------------------------------------------------------------------


def test_flags_on_one_post_group_into_one_review_item(item, post):
    assert ReviewItem.objects.count() == 1
    assert item.kind == ReviewItem.Kind.FLAGGED_POST and item.member_id == post.author_id
    assert list(item.flags.values_list("reason", flat=True)) == ["rule", "spam", "other"]
    assert selectors.open_item_count() == 1


def test_a_rule_flag_keeps_its_rule_and_others_do_not(item):
    rule, spam, other = item.flags.all()
    assert (rule.rule_code, spam.rule_code, other.rule_code) == ("G3", "", "")
    assert other.text == "Reads like a personal attack."


def test_one_flag_per_member_per_post(item, post, other_member):
    before = counts()
    with pytest.raises(ValidationError, match="already flagged this post"):
        flag_create(flagger=other_member, post=post, reason="spam")
    assert new_rows(before) == {}


@pytest.mark.parametrize("length", [10, 500])
def test_something_else_accepts_10_to_500_characters(guidelines, post, other_member, length):
    flag = flag_create(flagger=other_member, post=post, reason="other", text="x" * length)
    assert len(flag.text) == length


@pytest.mark.parametrize(
    ("arguments", "field", "words"),
    [
        ({"reason": "other", "text": "x" * 9}, "text", "in 10–500 characters (you wrote 9)"),
        ({"reason": "other", "text": "x" * 501}, "text", "in 10–500 characters (you wrote 501)"),
        ({"reason": "other", "text": "   "}, "text", "(you wrote 0)"),
        ({"reason": "rule", "rule_code": "G42"}, "rule_code", "There is no rule G42"),
        ({"reason": "rule", "rule_code": ""}, "rule_code", "Cite at least one guideline rule"),
        ({"reason": "rude"}, "reason", "Choose why you are flagging this post."),
    ],
)
def test_bad_flags_are_refused_and_leave_nothing(
    guidelines, post, other_member, arguments, field, words
):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        flag_create(flagger=other_member, post=post, **arguments)
    assert words in exc.value.message_dict[field][0]
    assert new_rows(before) == {}


def test_flagging_ones_own_post_or_while_blocked_is_refused(
    guidelines, post, member, other_member, moderator
):
    with pytest.raises(PermissionDenied, match="can't flag your own post"):
        check_flag_post(member, post)
    block_create(actor=moderator, member=other_member, duration="1d", rule_codes=["G1"], reason="x")
    with pytest.raises(PermissionDenied, match="blocked from posting"):
        check_flag_post(fresh(other_member), post)


def test_a_flag_after_a_decision_opens_a_new_item(item, post, moderator, make_user):
    review_item_decide(actor=moderator, item=item, decision=Decision.APPROVE)
    late = flag_create(flagger=make_user("late"), post=post, reason="spam")
    assert late.review_item != item
    assert selectors.open_item_count() == 1


# --- Claiming ---------------------------------------------------------------------------


def test_claim_and_release(item, moderator, second_moderator):
    assert review_item_claim(actor=moderator, item=item) is True
    assert review_item_claim(actor=moderator, item=item) is False
    with pytest.raises(ValidationError, match="Morgan is handling this item"):
        review_item_claim(actor=second_moderator, item=item)
    assert review_item_release(actor=second_moderator, item=item) is False
    assert ReviewItem.objects.get(pk=item.pk).claimed_by == moderator
    assert review_item_release(actor=moderator, item=item) is True
    assert review_item_claim(actor=second_moderator, item=item) is True
    assert not ModerationAction.objects.exists()  # claiming is not a decision


def test_an_item_another_moderator_holds_cannot_be_decided(item, moderator, second_moderator):
    review_item_claim(actor=moderator, item=item)
    item = selectors.review_item_get(item_id=item.pk)
    with pytest.raises(PermissionDenied, match="Morgan is handling this item"):
        check_decide_item(second_moderator, item)
    before = counts()
    with pytest.raises(ValidationError, match="Morgan is handling this item"):
        review_item_decide(
            actor=second_moderator, item=item, decision=Decision.HIDE, rule_codes=["G3"]
        )
    assert new_rows(before) == {}
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and not item.post.is_hidden


# --- Decisions: exactly one log row each ---------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "arguments", "kind", "outcome"),
    [
        (Decision.APPROVE, {}, Kind.ITEM_DISMISS, "it stays up"),
        (Decision.HIDE, {"rule_codes": ["G3"]}, Kind.POST_HIDE, "They hid it"),
        (
            Decision.BLOCK,
            {"rule_codes": ["G3"], "note": "Please cool down.", "block_duration": "1d"},
            Kind.BLOCK,
            "They acted on it",
        ),
        (Decision.SPAM, {"rule_codes": ["G4"]}, Kind.SPAM_DELETE, "removed it as spam"),
    ],
)
def test_every_decision_writes_one_log_row_and_tells_every_flagger(
    item,
    post,
    moderator,
    other_member,
    flaggers,
    admin_user,
    django_capture_on_commit_callbacks,
    decision,
    arguments,
    kind,
    outcome,
):
    actor = admin_user if decision == Decision.SPAM else moderator
    review_item_claim(actor=actor, item=item)
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        action = review_item_decide(actor=actor, item=item, decision=decision, **arguments)
    run_ready_tasks()
    rows = new_rows(before)
    assert rows["actions"] == 1
    assert ModerationAction.objects.get(pk=action.pk).kind == kind
    assert rows.get("posts", 0) == 0  # nothing is deleted
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DECIDED
    assert (item.decision, item.decided_by, item.action) == (decision, actor, action)
    assert item.rule_codes == action.rule_codes
    assert selectors.open_item_count() == 0
    for flagger in [other_member, *flaggers]:
        message = latest_message(flagger)
        assert message.subject == "Moderators looked at a post you flagged"
        assert outcome in message.body
        assert actor.public_name not in message.body + message.subject
        assert actor.username not in message.body
    flagger_mail = [m for m in mail.outbox if m.subject.endswith("a post you flagged")]
    assert len(flagger_mail) == 3
    assert all("Morgan" not in m.body and "Alex" not in m.body for m in flagger_mail)


def test_the_decided_item_stays_findable(item, moderator):
    review_item_decide(actor=moderator, item=item, decision=Decision.HIDE, rule_codes=["G3"])
    found = selectors.review_item_get(item_id=item.pk)
    assert found.status == ReviewItem.Status.DECIDED
    assert found.action.kind == Kind.POST_HIDE
    assert found.flags.count() == 3
    listed = selectors.review_items(ReviewItem.objects.filter(status="decided")).get()
    assert listed.flag_count == 3


def test_deciding_an_already_decided_item_is_refused_and_applies_nothing(
    item, moderator, second_moderator
):
    review_item_decide(actor=moderator, item=item, decision=Decision.APPROVE)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        review_item_decide(
            actor=second_moderator,
            item=item,
            decision=Decision.BLOCK,
            rule_codes=["G3"],
            note="Too late.",
        )
    assert "already decided by Morgan (approved / dismissed); nothing more was done" in str(
        exc.value
    )
    assert new_rows(before) == {}
    assert not Block.objects.exists()
    with pytest.raises(PermissionDenied, match="already been decided"):
        check_decide_item(second_moderator, ReviewItem.objects.get(pk=item.pk))


@pytest.mark.parametrize(
    ("decision", "arguments", "words"),
    [
        (Decision.HIDE, {"rule_codes": ["G99"]}, "There is no rule G99"),
        (Decision.HIDE, {}, "Cite at least one guideline rule"),
        (Decision.BLOCK, {"rule_codes": ["G3"], "note": ""}, "Write a short reason"),
        (
            Decision.BLOCK,
            {"rule_codes": ["G3"], "note": "x", "block_duration": "2d"},
            "Choose a duration",
        ),
        (Decision.SPAM, {"rule_codes": []}, "Cite at least one guideline rule"),
        ("burn", {"rule_codes": ["G3"]}, "Choose a decision."),
        (Decision.UPHOLD, {}, "Choose a decision."),
    ],
)
def test_bad_decisions_leave_no_partial_state(
    item, post, moderator, django_capture_on_commit_callbacks, decision, arguments, words
):
    before = counts()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as exc,
    ):
        review_item_decide(actor=moderator, item=item, decision=decision, **arguments)
    assert words in str(exc.value)
    assert new_rows(before) == {}
    assert mail.outbox == []
    item.refresh_from_db()
    post.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and item.decision == ""
    assert not post.is_hidden and post.hidden_rule_code == ""
    assert not Block.objects.exists()


def test_hiding_an_already_hidden_post_is_refused_and_the_item_stays_open(
    item, post, moderator, second_moderator
):
    post_hide(actor=second_moderator, post=post, rule_codes=["G1"])
    before = counts()
    with pytest.raises(ValidationError, match="already hidden"):
        review_item_decide(actor=moderator, item=item, decision=Decision.HIDE, rule_codes=["G3"])
    assert new_rows(before) == {}
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewItem.Status.OPEN


def test_a_moderators_post_cannot_be_decided_into_a_block(
    guidelines, client, moderator, second_moderator, other_member, make_thread
):
    """The decision's check refuses (the service assumes it was asked), and the queue
    page asks it: refused with the reason, nothing written."""
    their_post = make_thread(second_moderator, title="Moderator note").posts.get()
    flag = flag_create(flagger=other_member, post=their_post, reason="spam")
    item = flag.review_item
    for decision in (Decision.BLOCK, Decision.SPAM):
        with pytest.raises(PermissionDenied, match="can't be blocked"):
            check_review_decision(moderator, item, decision)
    with pytest.raises(PermissionDenied, match="can't be blocked"):
        check_review_decision(moderator, item, Decision.HIDE, also_block=True)
    client.force_login(moderator)
    before = counts()
    for data in (
        {"decision": "block", "rules": ["G3"], "duration": "1d", "note": "x"},
        {"decision": "spam", "rules": ["G4"]},
    ):
        response = client.post(reverse("moderation:queue-item-decide", args=[item.pk]), data)
        assert response.status_code == 403
        assert "can&#x27;t be blocked" in response.content.decode()
    assert new_rows(before) == {}


def test_blocking_from_the_queue_can_replace_instead_of_extend(
    item, member, moderator, second_moderator
):
    first = block_create(
        actor=second_moderator, member=member, duration="7d", rule_codes=["G1"], reason="x"
    ).block
    action = review_item_decide(
        actor=moderator,
        item=item,
        decision=Decision.BLOCK,
        rule_codes=["G3"],
        note="Fresh start.",
        block_duration="1d",
        on_existing="replace",
    )
    first.refresh_from_db()
    assert action.kind == Kind.BLOCK and first.lift_note == "Replaced by a new block."
    assert selectors.active_block(member.pk) == action.block


def test_the_flagged_author_hears_about_a_hide_with_rule_and_appeal_link(item, member, moderator):
    action = review_item_decide(
        actor=moderator, item=item, decision=Decision.HIDE, rule_codes=["G3"], note="Tone."
    )
    message = latest_message(member)
    assert "G3 (Argue with ideas, not with people)" in message.body
    assert "Moderator's note: Tone." in message.body
    assert f"/moderation/appeals/new/{action.pk}/" in message.body


# --- Escalation ---------------------------------------------------------------------------


def test_escalating_writes_one_row_and_hands_the_item_to_admins(
    item, moderator, second_moderator, admin_user
):
    review_item_claim(actor=moderator, item=item)
    before = counts()
    action = review_item_escalate(actor=moderator, item=item, note="Legal question.")
    assert new_rows(before) == {"actions": 1}
    assert action.kind == Kind.ITEM_ESCALATE
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.ESCALATED and item.claimed_by is None
    assert selectors.open_item_count() == 1  # still open, for the admins
    with pytest.raises(PermissionDenied, match="only admins can take it now"):
        check_claim_item(second_moderator, item)
    check_claim_item(admin_user, item)
    before = counts()
    with pytest.raises(ValidationError, match="already with the admins"):
        review_item_escalate(actor=admin_user, item=item)
    assert new_rows(before) == {}
    review_item_decide(actor=admin_user, item=item, decision=Decision.APPROVE)
    assert ReviewItem.objects.get(pk=item.pk).status == ReviewItem.Status.DECIDED


def test_flag_messages_go_to_flaggers_only(item, moderator, other_member, flaggers, member):
    review_item_decide(actor=moderator, item=item, decision=Decision.APPROVE)
    recipients = set(MemberMessage.objects.values_list("recipient__username", flat=True))
    assert recipients == {"priya", "kai", "lee"}  # an approval tells the author nothing

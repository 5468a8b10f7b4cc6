"""Blocking a member, lifting a block, deleting as spam — through the moderator's forms."""

from datetime import timedelta

import pytest
from django.core import mail

from forum.models import Post
from forum.services import post_create
from moderation import services
from moderation.models import Block, MemberMessage, ModerationAction
from tests.task_runner import run_ready_tasks


@pytest.fixture
def mod_client(client, moderator, guidelines):
    client.force_login(moderator)
    return client


def block_url(member) -> str:
    return f"/moderation/members/{member.pk}/block/"


def spam_url(member) -> str:
    return f"/moderation/members/{member.pk}/spam/"


def lift_url(block) -> str:
    return f"/moderation/blocks/{block.pk}/lift/"


def nothing_saved() -> bool:
    return not Block.objects.exists() and not ModerationAction.objects.exists()


GOOD = {"duration": "3d", "rules": ["G3"], "reason": "You called another member an idiot."}


# --- The block form -----------------------------------------------------------------------


def test_block_form_suggests_one_day_for_a_first_block(mod_client, member):
    html = mod_client.get(block_url(member)).content.decode()
    assert "Suggested 1 day: Jamie has not been blocked in the last six months." in html
    assert "checked" in html[html.index('value="1d"') :][:80]
    # Every duration is offered, and the rules of the current guidelines.
    for label in ["1 hour", "1 day", "3 days", "7 days", "30 days", "until lifted"]:
        assert label in html
    assert "G3 — Argue with ideas, not with people" in html
    # Not blocked: no extend/replace choice.
    assert "Extend the current block" not in html


def test_suggestion_steps_up_with_recent_blocks_and_says_why(mod_client, moderator, member):
    action = services.block_create(
        actor=moderator, member=member, duration="1h", rule_codes=["G1"], reason="First."
    )
    services.block_lift(actor=moderator, block=action.block)
    html = mod_client.get(block_url(member)).content.decode()
    assert "Suggested 3 days: Jamie was blocked once in the last six months." in html
    assert "checked" in html[html.index('value="3d"') :][:80]


def test_suggestion_steps_back_down_after_six_quiet_months(mod_client, moderator, member, clock):
    action = services.block_create(
        actor=moderator, member=member, duration="1h", rule_codes=["G1"], reason="First."
    )
    services.block_lift(actor=moderator, block=action.block)
    clock.advance(days=190)
    mod_client.force_login(moderator)  # the earlier session has expired meanwhile
    html = mod_client.get(block_url(member)).content.decode()
    assert "Suggested 1 day:" in html
    assert "checked" in html[html.index('value="1d"') :][:80]


def test_block_a_member(mod_client, moderator, member):
    response = mod_client.post(block_url(member), GOOD)
    assert response.status_code == 302
    assert response["Location"] == f"/moderation/members/{member.pk}/"
    block = Block.objects.get()
    assert (block.member, block.rules, block.created_by) == (member, ["G3"], moderator)
    assert block.reason == GOOD["reason"]
    assert block.ends_at - block.starts_at == timedelta(days=3)
    action = ModerationAction.objects.get()
    assert (action.kind, action.block) == ("block", block)
    # The member is told, in-app and by email.
    message = MemberMessage.objects.get(recipient=member)
    assert "G3" in message.body and GOOD["reason"] in message.body
    assert len(mail.outbox) == 0  # sent after commit
    page = mod_client.get(response["Location"]).content.decode()
    assert "Jamie is blocked from posting until" in page


def test_block_mail_goes_out_after_commit(mod_client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mod_client.post(block_url(member), GOOD)
    assert mail.outbox == []  # queued in the outbox; the task worker sends it
    run_ready_tasks()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"rules": []}, "rules", "Cite at least one guideline rule"),
        ({"rules": ["G99"]}, "rules", "G99"),
        ({"reason": ""}, "reason", "Write a short reason"),
        ({"reason": "    "}, "reason", "Write a short reason"),
        ({"reason": "x" * 2001}, "reason", "under 2,000 characters"),
        ({"duration": "2d"}, "duration", "Choose one of the durations listed"),
        ({"duration": ""}, "duration", "Choose how long the block lasts"),
    ],
)
def test_bad_block_input_is_refused_next_to_the_field(mod_client, member, change, field, message):
    data = {**GOOD, **change}
    response = mod_client.post(block_url(member), data)
    assert response.status_code == 400
    html = response.content.decode()
    errors = html[html.index(f'id="id_{field}_error"') :]
    assert message in errors[: errors.index("</ul>")]
    if data["reason"].strip() and len(data["reason"]) < 3000:
        assert data["reason"] in html  # the text is kept
    assert nothing_saved()
    assert not MemberMessage.objects.exists()


def test_already_blocked_requires_extend_or_replace(mod_client, moderator, member):
    services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G1"], reason="Earlier."
    )
    html = mod_client.get(block_url(member)).content.decode()
    assert "Already blocked until" in html and "Extend the current block" in html
    response = mod_client.post(block_url(member), GOOD)
    assert response.status_code == 400
    html = response.content.decode()
    errors = html[html.index('id="id_on_existing_error"') :]
    assert "extend the current block or replace it" in errors[: errors.index("</ul>")]
    assert GOOD["reason"] in html
    assert Block.objects.count() == 1 and ModerationAction.objects.count() == 1


def test_extend_adds_to_the_current_block(mod_client, moderator, member):
    first = services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G1"], reason="Earlier."
    )
    end = first.block.ends_at
    response = mod_client.post(block_url(member), {**GOOD, "on_existing": "extend"})
    assert response.status_code == 302
    block = Block.objects.get()
    assert block.ends_at == end + timedelta(days=3)
    assert ModerationAction.objects.latest("pk").kind == "block_extend"
    page = mod_client.get(response["Location"]).content.decode()
    assert "block is extended" in page


def test_replace_ends_the_current_block_and_starts_a_new_one(mod_client, moderator, member):
    services.block_create(
        actor=moderator, member=member, duration="30d", rule_codes=["G1"], reason="Earlier."
    )
    response = mod_client.post(block_url(member), {**GOOD, "on_existing": "replace"})
    assert response.status_code == 302
    old, new = Block.objects.order_by("pk")
    assert old.lifted_at is not None and new.lifted_at is None
    assert new.ends_at - new.starts_at == timedelta(days=3)


def test_block_made_meanwhile_makes_the_choice_appear(mod_client, moderator, member):
    """The form was loaded while the member was not blocked; another moderator blocked
    them before it was sent: no silent duplicate, the choice appears next to its field."""
    form_page = mod_client.get(block_url(member)).content.decode()
    assert "Extend the current block" not in form_page
    services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G1"], reason="Meanwhile."
    )
    response = mod_client.post(block_url(member), {**GOOD, "on_existing": ""})
    assert response.status_code == 400
    assert 'id="id_on_existing_error"' in response.content.decode()
    assert Block.objects.count() == 1


def test_a_banned_account_cannot_be_blocked(mod_client, moderator, member):
    services.spam_delete(actor=moderator, member=member)
    html = mod_client.get(block_url(member)).content.decode()
    assert "This account is banned as spam" in html
    response = mod_client.post(block_url(member), GOOD)
    assert response.status_code == 400
    assert "lift the ban instead" in response.content.decode()
    assert Block.objects.count() == 1


# --- Who may block --------------------------------------------------------------------------


def test_visitor_is_sent_to_sign_in(client, member):
    response = client.get(block_url(member))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(block_url(member), GOOD)
    assert response.status_code == 302
    assert nothing_saved()


@pytest.mark.parametrize("who", ["other_member", "staff"])
def test_members_and_staff_cannot_block(client, request, who, member, guidelines):
    client.force_login(request.getfixturevalue(who))
    assert client.get(block_url(member)).status_code == 403
    response = client.post(block_url(member), GOOD)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only moderators can do this." in html
    assert GOOD["reason"] in html  # the form is shown again, text kept
    assert nothing_saved()


def test_moderators_cannot_be_blocked_or_block_themselves(mod_client, moderator, admin_user):
    response = mod_client.post(block_url(admin_user), GOOD)
    assert response.status_code == 403
    assert "Moderators and admins can&#x27;t be blocked" in response.content.decode()
    assert mod_client.get(block_url(moderator)).status_code == 403
    assert nothing_saved()


def test_unknown_member_is_404(mod_client):
    assert mod_client.get("/moderation/members/987654/block/").status_code == 404
    assert mod_client.post("/moderation/members/987654/block/", GOOD).status_code == 404


# --- Lifting --------------------------------------------------------------------------------


def test_lift_a_block_with_a_note(mod_client, moderator, member):
    action = services.block_create(
        actor=moderator, member=member, duration="7d", rule_codes=["G3"], reason="Insults."
    )
    page = mod_client.get(lift_url(action.block)).content.decode()
    assert "In force" in page and "Insults." in page
    response = mod_client.post(lift_url(action.block), {"note": "Apology accepted."})
    assert response.status_code == 302
    assert response["Location"] == f"/moderation/members/{member.pk}/"
    block = Block.objects.get()
    assert block.lifted_by == moderator and block.lift_note == "Apology accepted."
    lift = ModerationAction.objects.get(kind="block_lift")
    assert lift.reverses == action
    told = MemberMessage.objects.filter(recipient=member).latest("pk")
    assert "lifted" in told.subject and "Apology accepted." in told.body
    assert "Block lifted" in mod_client.get(response["Location"]).content.decode()


def test_lifting_an_ended_block_changes_nothing_and_says_so(mod_client, moderator, member, clock):
    action = services.block_create(
        actor=moderator, member=member, duration="1h", rule_codes=["G3"], reason="Insults."
    )
    clock.advance(hours=2)
    page = mod_client.get(lift_url(action.block)).content.decode()
    assert "Already ended" in page and "nothing to lift" in page
    response = mod_client.post(lift_url(action.block), {"note": ""}, follow=True)
    assert "had already ended or been lifted" in response.content.decode()
    assert not ModerationAction.objects.filter(kind="block_lift").exists()


def test_a_spam_ban_is_lifted_by_an_admin_reversing_the_deletion(
    client, moderator, admin_user, member, guidelines
):
    action = services.spam_delete(actor=moderator, member=member)
    client.force_login(moderator)
    assert client.get(lift_url(action.block)).status_code == 403
    response = client.post(lift_url(action.block), {"note": "Oops"})
    assert response.status_code == 403
    assert "Only an admin can lift a spam ban" in response.content.decode()
    client.force_login(admin_user)
    page = client.get(lift_url(action.block)).content.decode()
    assert f'href="/moderation/log/{action.pk}/reverse/"' in page  # the way to lift it
    # Posting anyway is refused clearly by the service; nothing changes.
    response = client.post(lift_url(action.block), {"note": "Real person."})
    assert response.status_code == 400
    assert "reversing the spam deletion" in response.content.decode()
    assert Block.objects.get().lifted_at is None
    assert ModerationAction.objects.count() == 1


def test_members_cannot_lift_blocks(client, moderator, member, other_member, guidelines):
    action = services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    for who in (member, other_member):
        client.force_login(who)
        assert client.post(lift_url(action.block), {"note": ""}).status_code == 403
    assert Block.objects.get().lifted_at is None


def test_visitor_lifting_is_sent_to_sign_in(client, moderator, member, guidelines):
    action = services.block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    response = client.post(lift_url(action.block), {"note": ""})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Block.objects.get().lifted_at is None


def test_unknown_block_is_404(mod_client):
    assert mod_client.get("/moderation/blocks/987654/lift/").status_code == 404


# --- Delete as spam ----------------------------------------------------------------------


def test_spam_page_counts_the_posts_and_cites_g4(mod_client, member, thread):
    post_create(thread=thread, author=member, body="Buy cheap watches")
    html = mod_client.get(spam_url(member)).content.decode()
    assert "2 visible posts will be hidden" in html
    checked = html[html.index('value="G4"') :][:80]
    assert "checked" in checked


def test_delete_as_spam(mod_client, moderator, member, thread):
    post_create(thread=thread, author=member, body="Buy cheap watches")
    response = mod_client.post(spam_url(member), {"rules": ["G4"], "note": "Watch spam."})
    assert response.status_code == 302
    assert not Post.objects.filter(author=member, is_hidden=False).exists()
    ban = Block.objects.get()
    assert ban.kind == "ban" and ban.ends_at is None
    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.note) == ("spam_delete", moderator, "Watch spam.")
    page = mod_client.get(response["Location"]).content.decode()
    assert "Deleted as spam: 2 posts hidden" in page


def test_spam_without_a_rule_is_refused(mod_client, member, thread):
    response = mod_client.post(spam_url(member), {"rules": [], "note": "Spam"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_rules_error"' in html and "Cite at least one guideline rule" in html
    assert nothing_saved()
    assert not Post.objects.filter(is_hidden=True).exists()


def test_spam_twice_is_refused_clearly(mod_client, moderator, member):
    services.spam_delete(actor=moderator, member=member)
    response = mod_client.post(spam_url(member), {"rules": ["G4"]})
    assert response.status_code == 400
    assert "already banned as spam" in response.content.decode()
    assert ModerationAction.objects.count() == 1


def test_staff_and_members_cannot_be_spam_deleted_by_the_wrong_people(
    client, mod_client, staff, member, other_member
):
    response = mod_client.post(spam_url(staff), {"rules": ["G4"]})
    assert response.status_code == 403
    assert "Staff accounts can" in response.content.decode()
    client.force_login(other_member)
    assert client.post(spam_url(member), {"rules": ["G4"]}).status_code == 403
    assert nothing_saved()

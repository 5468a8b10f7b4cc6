"""Appealing an action: the member sees what was done and why, writes 20–2,000 characters
once; others' actions and missing ones are the same 404; blocked members can appeal."""

import re

import pytest
from django.urls import reverse

from forum.services import post_create
from moderation import services
from moderation.models import Appeal, ReviewItem


def appeal_url(action) -> str:
    return reverse("moderation:appeal-create", kwargs={"action_id": action.pk})


def html_of(response) -> str:
    return response.content.decode()


def without_csrf(html: str) -> str:
    """The page without what differs on every request: the CSRF token and the CSP nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r' nonce="[^"]+"', "", html)


APPEAL = "I was quoting the error message from the export, not insulting anyone."


@pytest.fixture
def block(guidelines, moderator, other_member):
    return services.block_create(
        actor=moderator,
        member=other_member,
        duration="1d",
        rule_codes=["G3"],
        reason="Calling another member an idiot.",
    )


def test_visitors_are_sent_to_sign_in(client, block):
    response = client.get(appeal_url(block))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_member_sees_what_was_done_and_why(client, other_member, block):
    client.force_login(other_member)
    response = client.get(appeal_url(block))
    assert response.status_code == 200
    html = html_of(response)
    assert "Moderators blocked your account from posting, until" in html
    assert "rule G3 (Argue with ideas, not with people)" in html
    assert "Criticise the product or the proposal, never the person." in html  # the rule itself
    assert "Calling another member an idiot." in html  # the note
    assert "(UTC)" in html  # when, in their time zone
    assert "Morgan" not in html  # the moderator is not named to the member
    assert 'name="text"' in html


def test_a_blocked_member_appeals_and_it_lands_in_the_queue(client, other_member, block):
    client.force_login(other_member)
    response = client.post(appeal_url(block), {"text": APPEAL})
    assert response.status_code == 302 and response.url == reverse("moderation:inbox")
    appeal = Appeal.objects.get()
    assert (appeal.member, appeal.action, appeal.text) == (other_member, block, APPEAL)
    item = ReviewItem.objects.get(kind=ReviewItem.Kind.APPEAL)
    assert item.appeal == appeal and item.status == ReviewItem.Status.OPEN
    page = html_of(client.get(response.url))
    assert "Your appeal is with the moderators." in page


def test_a_hidden_post_can_be_appealed_and_links_to_the_post(
    client, guidelines, moderator, thread, other_member
):
    post = post_create(thread=thread, author=other_member, body="Something blunt.")
    hide = services.post_hide(actor=moderator, post=post, rule_codes=["G1"], note="Be kind.")
    client.force_login(other_member)
    html = html_of(client.get(appeal_url(hide)))
    assert "Moderators hid one of your posts from readers" in html
    assert f'href="{post.get_absolute_url()}"' in html and thread.title in html
    assert client.post(appeal_url(hide), {"text": APPEAL}).status_code == 302


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Too short.", "20–2,000 characters (you wrote 10)"),
        ("", "20–2,000 characters (you wrote 0)"),
        ("x" * 2001, "(you wrote 2001)"),
    ],
)
def test_bad_text_is_explained_beside_the_field_and_kept(
    client, other_member, block, text, message
):
    client.force_login(other_member)
    response = client.post(appeal_url(block), {"text": text})
    assert response.status_code == 400
    html = html_of(response)
    start = html.index('id="id_text_error"')
    assert message in html[start : html.index("</ul>", start)]
    if text:
        assert text in html
    assert not Appeal.objects.exists() and not ReviewItem.objects.exists()


def test_one_appeal_per_action(client, other_member, block):
    client.force_login(other_member)
    client.post(appeal_url(block), {"text": APPEAL})
    response = client.get(appeal_url(block))
    assert response.status_code == 403
    html = html_of(response)
    assert "You have already appealed this action; one appeal per action." in html
    assert "waiting for a moderator" in html and 'name="text"' not in html
    response = client.post(appeal_url(block), {"text": APPEAL + " Again."})
    assert response.status_code == 403
    assert Appeal.objects.count() == 1


def test_someone_elses_action_a_missing_one_and_an_unappealable_one_are_the_same_404(
    client, member, other_member, moderator, block, thread
):
    client.force_login(member)
    others = client.get(appeal_url(block))
    missing = client.get("/moderation/appeals/new/999999/")
    assert others.status_code == missing.status_code == 404
    # Each page echoes its own address (the theme and language forms return to it).
    assert without_csrf(html_of(others)).replace(appeal_url(block), "ADDRESS") == without_csrf(
        html_of(missing)
    ).replace("/moderation/appeals/new/999999/", "ADDRESS")
    assert client.post(appeal_url(block), {"text": APPEAL}).status_code == 404
    # An escalation names the member but is not an action against them.
    post = post_create(thread=thread, author=other_member, body="A reply someone flagged.")
    item = services.flag_create(flagger=member, post=post, reason="spam").review_item
    escalation = services.review_item_escalate(actor=moderator, item=item)
    assert escalation.member == other_member
    client.force_login(other_member)
    assert client.get(appeal_url(escalation)).status_code == 404
    assert not Appeal.objects.exists()


def test_a_reversed_action_cannot_be_appealed(client, moderator, other_member, block):
    services.action_reverse(actor=moderator, action=block, note="Too harsh.")
    client.force_login(other_member)
    response = client.get(appeal_url(block))
    assert response.status_code == 403
    assert "already been reversed" in html_of(response)

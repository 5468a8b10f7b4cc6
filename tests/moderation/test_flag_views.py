"""Flagging a post from its page: reasons, errors beside the fields with the text kept,
refusals with the reason (own post, blocked), one flag per member, one item per post."""

import pytest
from django.urls import reverse

from forum.services import post_create
from moderation import services
from moderation.models import Flag, ReviewItem
from moderation.views.flags import THANKS


def flag_url(post) -> str:
    return reverse("moderation:post-flag", kwargs={"post_id": post.pk})


def html_of(response) -> str:
    return response.content.decode()


def field_errors(html: str, field: str) -> str:
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</ul>", start)]


@pytest.fixture
def post(guidelines, thread, other_member):
    return post_create(thread=thread, author=other_member, body="Only an idiot would ask this.")


def test_visitors_are_sent_to_sign_in(client, post):
    response = client.get(flag_url(post))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={flag_url(post)}"
    assert client.post(flag_url(post), {"reason": "spam"}).status_code == 302
    assert not Flag.objects.exists()


def test_a_missing_post_is_404(client, member, db):
    client.force_login(member)
    assert client.get("/p/999999/flag/").status_code == 404


def test_the_form_shows_the_post_and_the_reasons(client, member, post):
    client.force_login(member)
    response = client.get(flag_url(post))
    assert response.status_code == 200
    html = html_of(response)
    assert "Only an idiot would ask this." in html and "Priya" in html
    for value in ("rule", "spam", "other"):
        assert f'value="{value}"' in html
    assert "G3 — Argue with ideas, not with people" in html
    assert "<legend>Why should moderators look at this post?" in html


def test_flagging_under_a_rule_creates_a_review_item_and_thanks_the_member(client, member, post):
    client.force_login(member)
    response = client.post(flag_url(post), {"reason": "rule", "rule_code": "G3"})
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    flag = Flag.objects.get()
    assert (flag.flagger, flag.reason, flag.rule_code) == (member, "rule", "G3")
    assert flag.review_item.kind == ReviewItem.Kind.FLAGGED_POST
    assert flag.review_item.member_id == post.author_id
    page = client.get(response.url, follow=True)
    assert THANKS in html_of(page)


def test_flags_from_two_members_share_one_review_item(client, member, make_user, post):
    client.force_login(member)
    client.post(flag_url(post), {"reason": "spam"})
    client.force_login(make_user("dmitri"))
    client.post(flag_url(post), {"reason": "other", "text": "Insulting the asker."})
    assert Flag.objects.count() == 2
    assert ReviewItem.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "other", "text": "rude"}, "text", "10–500 characters (you wrote 4)"),
        ({"reason": "other", "text": ""}, "text", "10–500 characters (you wrote 0)"),
        ({"reason": "other", "text": "x" * 501}, "text", "(you wrote 501)"),
        ({"reason": "rule", "text": "kept words"}, "rule_code", "Choose which guideline rule"),
        ({"reason": "rule", "rule_code": "G99"}, "rule_code", "There is no rule G99"),
        ({"reason": "bored", "text": "kept words"}, "reason", "Choose one of the reasons"),
        ({"text": "kept words"}, "reason", "Choose why you are flagging"),
    ],
)
def test_bad_input_is_explained_beside_the_field_text_kept_nothing_created(
    client, member, post, data, field, message
):
    client.force_login(member)
    response = client.post(flag_url(post), data)
    assert response.status_code == 400
    html = html_of(response)
    assert message in field_errors(html, field)
    if data.get("text"):
        assert data["text"] in html
    assert not Flag.objects.exists() and not ReviewItem.objects.exists()


def test_members_cannot_flag_their_own_post(client, other_member, post):
    client.force_login(other_member)
    response = client.get(flag_url(post))
    assert response.status_code == 403
    assert "You can&#x27;t flag your own post. Edit it instead." in html_of(response)
    assert 'name="reason"' not in html_of(response)
    response = client.post(flag_url(post), {"reason": "spam"})
    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_a_blocked_member_cannot_flag_and_sees_why(client, member, moderator, post):
    block = services.block_create(
        actor=moderator, member=member, duration="3d", rule_codes=["G3"], reason="Insults"
    )
    client.force_login(member)
    response = client.get(flag_url(post))
    assert response.status_code == 403
    html = html_of(response)
    assert "Your account is blocked from posting until" in html
    assert "rule G3 (Argue with ideas, not with people)" in html
    appeal = reverse("moderation:appeal-create", kwargs={"action_id": block.pk})
    assert f'<a href="{appeal}">' in html
    response = client.post(flag_url(post), {"reason": "other", "text": "Please look at it"})
    assert response.status_code == 403
    assert "Please look at it" in html_of(response)  # what they typed is kept
    assert not Flag.objects.exists()


def test_a_second_flag_from_the_same_member_is_refused_clearly(client, member, post):
    client.force_login(member)
    client.post(flag_url(post), {"reason": "spam"})
    response = client.post(flag_url(post), {"reason": "other", "text": "And again, rude."})
    assert response.status_code == 400
    assert "You have already flagged this post" in html_of(response)
    assert "And again, rude." in html_of(response)
    assert Flag.objects.count() == 1

import pytest
from django.urls import reverse

from moderation.services import block_create, post_hide

MODELS = [
    "guidelineversion",
    "moderationaction",
    "block",
    "lockdown",
    "reviewitem",
    "flag",
    "appeal",
    "moderatornote",
    "membermessage",
]


@pytest.mark.parametrize("model", MODELS)
def test_django_admin_lists_every_moderation_model(client, admin_user, guidelines, model):
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:moderation_{model}_changelist"))
    assert response.status_code == 200


def test_inbox_shows_moderation_messages_and_marks_them_read(
    client, moderator, member, thread, guidelines
):
    post_hide(actor=moderator, post=thread.posts.get(), rule_codes=["G3"], note="Please rephrase.")
    client.force_login(member)
    page = client.get(reverse("forum:board-index")).content.decode()
    assert 'aria-label="1 unread"' in page
    html = client.get(reverse("moderation:inbox")).content.decode()
    assert "Moderators hid one of your posts" in html
    assert "G3 (Argue with ideas, not with people)" in html
    assert "Please rephrase." in html
    assert ">New<" in html
    assert 'aria-label="1 unread"' not in client.get(reverse("forum:board-index")).content.decode()


def test_inbox_needs_sign_in(client, db):
    response = client.get(reverse("moderation:inbox"))
    assert response.status_code == 302


def test_block_notice_shows_on_every_page_with_rule_expiry_and_appeal(
    client, moderator, member, guidelines
):
    action = block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    client.force_login(member)
    for path in ("/", "/b/help/", "/guidelines/", "/help/"):
        html = client.get(path).content.decode()
        assert 'class="notice notice--block"' in html
        assert "blocked from posting until" in html
        assert "G3 (Argue with ideas, not with people)" in html
        assert f'href="/moderation/appeals/new/{action.pk}/"' in html

"""Hiding a post under a rule and restoring it, through the moderator's pages."""

import pytest

from forum.models import Post
from forum.services import post_create
from moderation.models import MemberMessage, ModerationAction

NOTE = "Please keep it about the export, not about Priya."


@pytest.fixture
def post(thread):
    return Post.objects.get(thread=thread, position=1)


def _hide_url(post):
    return f"/p/{post.pk}/hide/"


def _restore_url(post):
    return f"/p/{post.pk}/restore/"


def _hide(client, post, rules=("G3",), note=NOTE):
    return client.post(_hide_url(post), {"rules": list(rules), "note": note})


# --- Hiding ---------------------------------------------------------------------------


def test_hide_page_shows_the_post_and_the_current_rules(client, moderator, post, guidelines):
    client.force_login(moderator)
    response = client.get(_hide_url(post))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hide this post?" in html
    assert post.body_html in html
    for code in ("G1", "G3", "G6"):
        assert f'value="{code}"' in html
    assert "G3 — Argue with ideas, not with people" in html
    assert "<legend>Guideline rules cited" in html


def test_moderator_hides_a_post_citing_a_rule(client, moderator, member, post, guidelines):
    client.force_login(moderator)
    response = _hide(client, post)
    assert response.status_code == 302
    assert response["Location"] == f"/p/{post.pk}/"
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_rule_code == "G3"
    action = ModerationAction.objects.get()
    assert action.kind == ModerationAction.Kind.POST_HIDE
    assert (action.actor, action.member, action.post) == (moderator, member, post)
    assert action.rules == ["G3"] and action.note == NOTE
    told = MemberMessage.objects.get(recipient=member)
    assert "G3 (Argue with ideas, not with people)" in told.body and NOTE in told.body
    page = client.get(response["Location"], follow=True).content.decode()
    assert "hidden from readers under rule G3 (Argue with ideas, not with people)" in page


def test_admins_can_hide_too(client, admin_user, post, guidelines):
    client.force_login(admin_user)
    assert _hide(client, post, note="").status_code == 302
    post.refresh_from_db()
    assert post.is_hidden


def test_several_rules_cite_the_first_on_the_post(client, moderator, post, guidelines):
    client.force_login(moderator)
    _hide(client, post, rules=("G5", "G1"))
    post.refresh_from_db()
    action = ModerationAction.objects.get()
    assert set(action.rules) == {"G1", "G5"}
    assert post.hidden_rule_code == action.rules[0]


@pytest.mark.parametrize(
    ("rules", "error"),
    [
        ((), "Cite at least one guideline rule so the member knows why."),
        (("G99",), "There is no rule G99 in the current guidelines"),
        (("",), "Cite at least one guideline rule"),
    ],
)
def test_hiding_without_a_valid_rule_is_refused_with_the_note_kept(
    client, moderator, post, guidelines, rules, error
):
    client.force_login(moderator)
    response = _hide(client, post, rules=rules)
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert "field--error" in html
    assert NOTE in html  # the note typed is kept
    post.refresh_from_db()
    assert not post.is_hidden
    assert not ModerationAction.objects.exists()
    assert not MemberMessage.objects.exists()


def test_an_overlong_note_is_refused_and_kept(client, moderator, post, guidelines):
    client.force_login(moderator)
    note = "x" * 2001
    response = _hide(client, post, note=note)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep the note under 2,000 characters (this one has 2,001)." in html
    assert note in html
    assert not ModerationAction.objects.exists()


def test_hiding_a_hidden_post_changes_nothing(client, moderator, post, guidelines):
    client.force_login(moderator)
    _hide(client, post)
    page = client.get(_hide_url(post)).content.decode()
    assert "This post is already hidden under G3" in page
    assert f'href="{_restore_url(post)}"' in page
    response = _hide(client, post, rules=("G1",))
    assert response.status_code == 302
    assert ModerationAction.objects.count() == 1
    post.refresh_from_db()
    assert post.hidden_rule_code == "G3"
    follow = client.get(response["Location"], follow=True).content.decode()
    assert "already hidden, so nothing changed" in follow


def test_hiding_a_missing_post_is_a_plain_404(client, moderator, member, guidelines):
    client.force_login(moderator)
    assert client.get("/p/999999/hide/").status_code == 404
    assert client.post("/p/999999/hide/", {"rules": ["G3"]}).status_code == 404
    client.force_login(member)
    assert client.get("/p/999999/hide/").status_code == 404


@pytest.mark.parametrize("who", ["member", "other_member", "staff"])
def test_only_moderators_can_hide(client, request, post, guidelines, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_hide_url(post))
    assert response.status_code == 403
    assert "Only moderators can do this." in response.content.decode()
    response = _hide(client, post)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only moderators can do this." in html
    assert NOTE in html
    post.refresh_from_db()
    assert not post.is_hidden
    assert not ModerationAction.objects.exists()


def test_visitors_are_sent_to_sign_in(client, post, guidelines):
    for response in (client.get(_hide_url(post)), _hide(client, post)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/p/")
    post.refresh_from_db()
    assert not post.is_hidden


# --- Restoring ------------------------------------------------------------------------


@pytest.fixture
def hidden_post(client, moderator, thread, member, guidelines):
    # A reply: a hidden opening post hides its whole thread, which is then missing (404)
    # for everyone but moderators and its author, so the refusals below could not show.
    post = post_create(thread=thread, author=member, body="A reply that broke G3.")
    client.force_login(moderator)
    _hide(client, post)
    client.logout()
    post.refresh_from_db()
    return post


def test_restore_page_says_who_hid_it_and_why(client, moderator, hidden_post):
    client.force_login(moderator)
    response = client.get(_restore_url(hidden_post))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hidden under G3 by Morgan" in html
    assert NOTE in html
    assert hidden_post.body_html in html


def test_restore_brings_the_post_back_unchanged(client, moderator, member, hidden_post):
    before = (hidden_post.body, hidden_post.body_html, hidden_post.edited_at)
    client.force_login(moderator)
    response = client.post(_restore_url(hidden_post), {"note": "Fair point on appeal."})
    assert response.status_code == 302
    assert response["Location"] == f"/p/{hidden_post.pk}/"
    hidden_post.refresh_from_db()
    assert not hidden_post.is_hidden and hidden_post.hidden_rule_code == ""
    assert (hidden_post.body, hidden_post.body_html, hidden_post.edited_at) == before
    hide, restore = ModerationAction.objects.order_by("pk")
    assert restore.kind == ModerationAction.Kind.POST_RESTORE
    assert restore.reverses == hide and restore.note == "Fair point on appeal."
    assert MemberMessage.objects.filter(
        recipient=member, subject="Your post is visible again"
    ).exists()
    page = client.get(response["Location"], follow=True).content.decode()
    assert "visible to everyone again, unchanged" in page


def test_restoring_a_visible_post_changes_nothing(client, moderator, post, guidelines):
    client.force_login(moderator)
    page = client.get(_restore_url(post)).content.decode()
    assert "This post is not hidden, so there is nothing to restore." in page
    response = client.post(_restore_url(post), {"note": ""})
    assert response.status_code == 302
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("who", ["other_member", "staff"])
def test_only_moderators_can_restore_and_the_refusal_does_not_show_the_post(
    client, request, hidden_post, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_restore_url(hidden_post)).status_code == 403
    response = client.post(_restore_url(hidden_post), {"note": "let it out"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Only moderators can do this." in html
    assert hidden_post.body_html not in html
    assert "Hidden by moderators under G3" in html
    hidden_post.refresh_from_db()
    assert hidden_post.is_hidden
    assert ModerationAction.objects.count() == 1


def test_visitors_cannot_restore(client, hidden_post):
    response = client.post(_restore_url(hidden_post), {"note": ""})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    hidden_post.refresh_from_db()
    assert hidden_post.is_hidden

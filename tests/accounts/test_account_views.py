import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from forum.services import post_create
from tests.task_runner import run_ready_tasks


def test_public_profile_shows_badges_post_count_and_recent_posts(client, staff, thread):
    post_create(thread=thread, author=staff, body="Try the **UTF-8** export.")
    response = client.get(reverse("accounts:profile", kwargs={"username": "sam"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="badge badge--staff"' in html
    assert "Support Engineer" in html
    assert "1 post" in html
    assert thread.title in html


def test_profile_of_unknown_user_is_404(client, db):
    response = client.get(reverse("accounts:profile", kwargs={"username": "nobody"}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "find that page" in html
    assert 'href="/help/"' in html


def test_badges_cannot_be_forged_through_profile_text(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile-edit"),
        {
            "display_name": "Jamie",
            "bio": '<span class="badge badge--staff">Staff</span>',
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 302
    html = client.get(member.get_absolute_url()).content.decode()
    assert '<span class="badge badge--staff">' not in html
    assert "&lt;span class=&quot;badge badge--staff&quot;&gt;" in html


def test_profile_edit_refuses_staff_like_name_and_keeps_the_text(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Porchlight Support", "bio": "I write long bios.", "time_zone": "UTC"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "only people the company has given that role" in html
    assert 'value="Porchlight Support"' in html
    assert "I write long bios." in html
    member.refresh_from_db()
    assert member.display_name == "Jamie"


def test_profile_edit_requires_sign_in(client, db):
    response = client.get(reverse("accounts:profile-edit"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_signup_refuses_a_username_that_imitates_staff(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "x@example.com",
            "username": "SupportTeam",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 200
    assert "only people the company has given that role" in response.content.decode()
    assert not User.objects.filter(email="x@example.com").exists()


def test_signup_sends_a_verification_email_and_does_not_sign_in(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.com",
                "username": "newbie",
                "password1": "a long enough passphrase",
                "password2": "a long enough passphrase",
            },
        )
    assert response.status_code == 302
    assert mail.outbox == []  # queued in the outbox, sent by the task worker
    run_ready_tasks()
    assert len(mail.outbox) == 1
    assert "new@example.com" in mail.outbox[0].to
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    user = User.objects.get(username="newbie")
    assert user.role == "member"
    # Mandatory verification: signing in is refused until the address is confirmed.
    response = client.post(
        reverse("account_login"), {"login": "newbie", "password": "a long enough passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_pages_use_the_site_layout(client, db, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert 'class="site-header"' in html
    assert 'class="help-link"' in html
    assert "<label" in html


def test_admin_grants_a_role_in_django_admin_and_access_follows(client, admin_user, member):
    client.force_login(admin_user)
    url = reverse("admin:accounts_user_change", args=[member.pk])
    assert client.get(url).status_code == 200
    data = {
        "username": member.username,
        "display_name": member.display_name,
        "email": member.email,
        "bio": "",
        "role": "staff",
        "job_title": "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Staff need a job title" in response.content.decode()
    member.refresh_from_db()
    assert member.role == "member"
    data["role"] = "admin"
    data["job_title"] = "Operations"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.role == "admin" and member.is_staff and member.is_superuser


def test_members_cannot_use_django_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_password_reset_sends_mail_in_the_site_layout(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    run_ready_tasks()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_email_change_page_is_available_to_members(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    html = client.get(reverse("account_email")).content.decode()
    assert 'class="site-header"' in html
    assert member.email in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "jamie.new@example.com"}
        )
    assert response.status_code == 302
    run_ready_tasks()
    assert len(mail.outbox) == 1 and "jamie.new@example.com" in mail.outbox[0].to


def test_sign_out_is_a_post(client, member):
    client.force_login(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_member_sets_a_time_zone_used_for_their_dates(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Jamie", "bio": "", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.time_zone == "Europe/Paris"
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Jamie", "bio": "", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_blocked_member_cannot_change_profile_text_and_keeps_it(
    client, member, moderator, guidelines
):
    from moderation.services import block_create

    block_create(actor=moderator, member=member, duration="1d", rule_codes=["G1"], reason="Rude.")
    client.force_login(member)
    assert client.get(reverse("accounts:profile-edit")).status_code == 403
    response = client.post(
        reverse("accounts:profile-edit"),
        {"display_name": "Jamie", "bio": "My new bio text", "time_zone": "UTC"},
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "blocked from posting" in html
    assert "My new bio text" in html
    member.refresh_from_db()
    assert member.bio == ""

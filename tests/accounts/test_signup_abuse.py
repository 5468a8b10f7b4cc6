"""Sign-up abuse: the per-address sign-up limit, the honeypot and throwaway addresses, each
through the real sign-up (and email change) POST. Refusals are in words, in the site's
layout, with what was typed kept (passwords excepted), and create no account and no mail.

The limit during a Redis outage is covered in tests/config/test_redis_down.py.
"""

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.email_domains import throwaway_domain
from accounts.models import EmailDomainRule, OutboundEmail, User
from config import settings as base_settings

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long enough passphrase"
THROWAWAY = "are throwaway addresses; use an address you will keep so you can recover your account"


def sign_up(client, *, email, username, ip="198.51.100.50", **extra):
    data = {"email": email, "username": username, "password1": PASSPHRASE, "password2": PASSPHRASE}
    data.update(extra)
    return client.post(reverse("account_signup"), data, REMOTE_ADDR=ip)


def field_errors(page: str, field: str) -> str:
    """The error list rendered beside one field (templates/includes/field.html)."""
    match = re.search(rf'<ul class="field__errors" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else None


# --- Per-address sign-up limit -------------------------------------------------------------


def test_sign_up_limit_is_twenty_an_hour_per_address_unless_the_environment_says():
    assert base_settings.ACCOUNT_RATE_LIMITS["signup"] == "20/h/ip"
    code = "from django.conf import settings as s; print(s.ACCOUNT_RATE_LIMITS['signup'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ACCOUNT_SIGNUP_RATE": "5/h/ip",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "5/h/ip"


def test_twenty_first_sign_up_from_one_address_in_an_hour_gets_a_page_in_words_with_the_text_kept(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS  # production's 20/h/ip
    for n in range(20):
        response = sign_up(client, email=f"office{n}@example.com", username=f"office{n}")
        assert response.status_code == 302, n
    assert User.objects.filter(username__startswith="office").count() == 20

    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="late@example.com", username="latecomer")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'class="site-header"' in page  # the site's layout, not allauth's bare page
    assert "Too many sign-ups from your network" in page
    assert "try again in an hour" in page
    # What was typed is there to send again; the password is not.
    assert input_value(page, "email") == "late@example.com"
    assert input_value(page, "username") == "latecomer"
    assert PASSPHRASE not in page
    assert input_value(page, "password1") is None
    assert not User.objects.filter(username="latecomer").exists()
    assert OutboundEmail.objects.count() == 20  # one verification mail per account made

    # Another address is not affected.
    response = sign_up(client, email="late@example.com", username="latecomer", ip="203.0.113.9")
    assert response.status_code == 302
    assert User.objects.filter(username="latecomer").exists()


def test_other_account_limits_also_answer_with_a_page_in_words(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip"}
    url = reverse("account_reset_password")
    assert client.post(url, {"email": member.email}).status_code == 302
    response = client.post(url, {"email": member.email})
    assert response.status_code == 429
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert "Please wait a few minutes and try again." in page
    assert 'name="password1"' not in page  # the sign-up form is only for sign-ups


# --- Honeypot ------------------------------------------------------------------------------


def test_sign_up_page_has_a_honeypot_people_cannot_see_or_tab_to(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    wrapper = re.search(r'<div class="honeypot">(.*?)</div>\s*</div>', page, re.S)
    assert wrapper, "the honeypot field is wrapped in the off-screen class"
    field = wrapper.group(1)
    assert "Leave this field empty" in field  # what a screen reader says, should one reach it
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', field)
    assert re.search(r'<input[^>]*name="website"[^>]*autocomplete="off"', field)
    assert " style=" not in page
    css = (ROOT / "static/css/porchlight.css").read_text()
    assert re.search(r"\.honeypot \{[^}]*position: absolute; left: -10000px", css)


def test_filled_honeypot_refuses_sign_up_with_no_account_and_no_mail(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = sign_up(
            client, email="bot@example.com", username="bargainbot", website="https://spam.test"
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "We couldn&#x27;t create your account from this form" in page
    assert "write to us through the Help page" in page
    assert not User.objects.filter(username="bargainbot").exists()
    assert not EmailAddress.objects.filter(email="bot@example.com").exists()
    assert OutboundEmail.objects.count() == 0 and callbacks == [] and mail.outbox == []
    # The details are kept for a person whose browser filled the field by mistake; the
    # honeypot comes back empty so sending again works.
    assert input_value(page, "email") == "bot@example.com"
    assert input_value(page, "username") == "bargainbot"
    assert input_value(page, "website") is None
    assert PASSPHRASE not in page and "spam.test" not in page


def test_empty_honeypot_signs_up_as_usual(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="ana@example.com", username="ana", website="")
    assert response.status_code == 302
    assert User.objects.filter(username="ana", email="ana@example.com").exists()
    (queued,) = OutboundEmail.objects.all()
    assert queued.to == ["ana@example.com"] and "confirm-email" in queued.body


# --- Throwaway addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "email", ["pat@mailinator.com", "pat@MAILINATOR.com", "pat@inbox.mailinator.com"]
)
def test_sign_up_with_a_throwaway_address_is_refused_beside_the_email_field(
    client, db, email, django_assert_num_queries
):
    # The domain rules (one query for the domain and its parents), the username's two
    # checks, the page's notices.
    with django_assert_num_queries(4):
        response = sign_up(client, email=email, username="pat")
    assert response.status_code == 200
    page = response.content.decode()
    domain = email.split("@")[1].lower()
    assert f"Addresses at {domain} {THROWAWAY}." in field_errors(page, "email")
    assert input_value(page, "email") == email
    assert input_value(page, "username") == "pat"
    assert PASSPHRASE not in page
    assert not User.objects.filter(username="pat").exists()
    assert OutboundEmail.objects.count() == 0


def test_changing_email_to_a_throwaway_address_is_refused_and_the_text_kept(
    client, member, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "jamie@sub.mailinator.com"}
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Addresses at sub.mailinator.com {THROWAWAY}." in html.unescape(page)
    assert 'value="jamie@sub.mailinator.com"' in page
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        member.email
    ]
    assert OutboundEmail.objects.count() == 0


def test_admin_exempts_a_listed_domain_and_its_addresses_are_accepted(client, admin_user, db):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_emaildomainrule_add"),
        {"domain": " @Mailinator.COM ", "verdict": "allow", "note": "Our QA team uses it"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = EmailDomainRule.objects.get()
    assert (rule.domain, rule.verdict) == ("mailinator.com", "allow")

    client.logout()
    response = sign_up(client, email="qa@mailinator.com", username="qatester")
    assert response.status_code == 302
    assert User.objects.filter(username="qatester").exists()
    response = sign_up(client, email="qa2@inbox.mailinator.com", username="qatester2")
    assert response.status_code == 302


def test_admin_refuses_a_domain_the_list_does_not_name_even_with_the_list_off(
    client, admin_user, settings
):
    settings.ACCOUNT_REFUSE_DISPOSABLE_EMAIL = False
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_emaildomainrule_add"),
        {"domain": "burner.example", "verdict": "refuse", "note": ""},
    )
    assert response.status_code == 302
    client.logout()
    response = sign_up(client, email="x@mail.burner.example", username="burnt")
    assert f"Addresses at mail.burner.example {THROWAWAY}." in field_errors(
        response.content.decode(), "email"
    )
    assert not User.objects.filter(username="burnt").exists()


def test_admin_domain_form_refuses_what_is_not_a_domain_in_words(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_emaildomainrule_add"),
        {"domain": "someone@", "verdict": "refuse", "note": ""},
    )
    assert response.status_code == 200
    assert "Write a domain such as mailinator.com" in html.unescape(response.content.decode())
    assert not EmailDomainRule.objects.exists()


def test_most_specific_rule_wins_over_the_list_and_a_parent_rule(db, django_assert_num_queries):
    EmailDomainRule.objects.create(domain="keep.mailinator.com", verdict="allow")
    EmailDomainRule.objects.create(domain="example.org", verdict="refuse")
    EmailDomainRule.objects.create(domain="staff.example.org", verdict="allow")
    with django_assert_num_queries(1):
        assert throwaway_domain("a@keep.mailinator.com") is None
    assert throwaway_domain("a@deep.keep.mailinator.com") is None
    assert throwaway_domain("a@other.mailinator.com") == "other.mailinator.com"
    assert throwaway_domain("a@example.org") == "example.org"
    assert throwaway_domain("a@staff.example.org") is None
    assert throwaway_domain("a@example.com") is None


def test_with_the_setting_off_listed_domains_are_accepted(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_REFUSE_DISPOSABLE_EMAIL = False
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="pat@mailinator.com", username="pat")
    assert response.status_code == 302
    assert User.objects.filter(username="pat", email="pat@mailinator.com").exists()

"""Look-alike names are refused by Unicode confusable skeletons (UTS #39), through the real
sign-up form and the real profile form, while ordinary names in any script pass."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from accounts.validators import (
    name_key,
    names_look_alike,
    reserved_word_in,
    validate_member_name,
)

ROLE_EXPLANATION = "only people the company has given that role"
STAFF_EXPLANATION = "a member of our staff"

# Usernames and display names seen getting through before: each letter that is not Latin
# comes from another script or from IPA, and looks like the Latin one.
LOOKALIKE_USERNAMES = [
    "stɑff",  # U+0251 LATIN SMALL LETTER ALPHA
    "ѕtαff",  # Cyrillic dze, Greek alpha
    "mοderatοr",  # Greek omicron twice
    "ɑdmin",  # U+0251
    "ꜱupport",  # U+A731 LATIN LETTER SMALL CAPITAL S
]
LOOKALIKE_DISPLAY_NAMES = [
    "Suppοrt Team",  # Greek omicron
    "ꜱtaff",  # U+A731
    "Cοmmunity Lead ɑdmin",  # Greek omicron, U+0251
]
# More shapes from the same table: mathematical bold, circled, fullwidth, Greek upsilon
# and rho, a zero-width space inside the word, an accent, and "mod" with a Cyrillic o.
MORE_LOOKALIKES = [
    "𝐚𝐝𝐦𝐢𝐧",
    "ⓢⓣⓐⓕⓕ",
    "ＡＤＭＩＮ",
    "ѕυррοrt",
    "s\u200btaff",
    "Ádmin",
    "Jo (mоd)",
    "рorchlight",  # Cyrillic er
]
ORDINARY_NAMES = [
    "José",
    "Zoë",
    "Łukasz",
    "山田",
    "Αλέξης",
    "Björn",
    "Nguyễn",
    "Сергей",
    "محمد",
    "Søren",
    "Şükrü",
    "김민준",
    "अर्जुन",
    "Gustaf",  # ends in "staf", which is not "staff"
    "Modesto",
    "Mohammed",
]


def _signup(client, username):
    return client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.com",
            "username": username,
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )


def _edit_profile(client, display_name):
    return client.post(
        reverse("accounts:profile-edit"),
        {"display_name": display_name, "bio": "Hello there.", "time_zone": "UTC"},
    )


# --- Reserved words ------------------------------------------------------------------


@pytest.mark.parametrize("username", LOOKALIKE_USERNAMES)
def test_signup_refuses_a_lookalike_of_a_reserved_word(client, db, username):
    response = _signup(client, username)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert ROLE_EXPLANATION in page
    assert "Please choose a username without it." in page
    assert not User.objects.filter(email="newcomer@example.com").exists()


@pytest.mark.parametrize("display_name", LOOKALIKE_DISPLAY_NAMES)
def test_profile_edit_refuses_a_lookalike_of_a_reserved_word_and_keeps_the_text(
    client, member, display_name
):
    client.force_login(member)
    response = _edit_profile(client, display_name)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert ROLE_EXPLANATION in page
    assert f'value="{display_name}"' in page
    assert "Hello there." in page
    member.refresh_from_db()
    assert member.display_name == "Jamie"


@pytest.mark.parametrize("name", LOOKALIKE_USERNAMES + LOOKALIKE_DISPLAY_NAMES + MORE_LOOKALIKES)
def test_validator_names_the_reserved_word_a_lookalike_imitates(name):
    assert reserved_word_in(name) is not None
    with pytest.raises(ValidationError) as exc:
        validate_member_name(name, staff_names=[], field="display name")
    assert exc.value.code == "impersonates_role"
    assert ROLE_EXPLANATION in exc.value.messages[0]


@pytest.mark.parametrize(
    ("name", "word"),
    [("stɑff", "staff"), ("mοderatοr", "moderator"), ("ꜱupport", "support"), ("ɑdmin", "admin")],
)
def test_the_explanation_names_the_word_it_imitates(name, word):
    assert reserved_word_in(name) == word


@override_settings(ACCOUNT_USERNAME_BLACKLIST=["helpdesk"])
def test_words_in_the_sign_up_blacklist_are_reserved_in_every_spelling(client, db):
    assert reserved_word_in("hеlpdеsk") == "helpdesk"  # Cyrillic ie twice
    response = _signup(client, "hеlpdеsk")
    assert ROLE_EXPLANATION in html.unescape(response.content.decode())
    assert not User.objects.filter(email="newcomer@example.com").exists()


# --- Staff members' own names ----------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    [
        "ѕam",  # Cyrillic dze: the staff member "sam"
        "Μorgan",  # Greek capital mu: the volunteer moderator "morgan"
        "aIex",  # capital I for l: the admin "alex"
    ],
)
def test_signup_refuses_a_lookalike_of_a_staff_members_username(
    client, staff, moderator, admin_user, username
):
    response = _signup(client, username)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert STAFF_EXPLANATION in page
    assert not User.objects.filter(email="newcomer@example.com").exists()


@pytest.mark.parametrize("display_name", ["Ѕam", "Mοrgan", "Аlex", "M o r g a n"])
def test_profile_edit_refuses_a_lookalike_of_a_staff_members_display_name(
    client, member, staff, moderator, admin_user, display_name
):
    client.force_login(member)
    response = _edit_profile(client, display_name)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert STAFF_EXPLANATION in page
    assert f'value="{display_name}"' in page
    member.refresh_from_db()
    assert member.display_name == "Jamie"


def test_a_staff_members_name_in_another_script_is_compared_in_that_script(make_user, member):
    make_user("yamada", role="staff", job_title="Support Engineer", display_name="山田")
    with pytest.raises(ValidationError):
        validate_member_name("山田", staff_names=["山田"])
    # Two different names in a script the skeleton leaves alone never collide.
    assert not names_look_alike("山田", "李")
    validate_member_name("李", staff_names=["山田"])


def test_names_of_symbols_alone_look_like_nothing():
    assert name_key("🙂 …") == name_key("🎉 ?") == ""
    assert not names_look_alike("🙂 …", "🎉 ?")


# --- Ordinary names --------------------------------------------------------------------


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_ordinary_international_names_pass_the_validator(name):
    assert reserved_word_in(name) is None
    validate_member_name(name, staff_names=["sam", "Sam", "morgan", "Morgan", "alex"])


@pytest.mark.parametrize("username", ["José", "Łukasz", "山田", "Αλέξης", "Björn", "محمد"])
def test_signup_accepts_an_ordinary_international_username(
    client, staff, moderator, admin_user, username
):
    response = _signup(client, username)
    assert response.status_code == 302, html.unescape(response.content.decode())
    assert User.objects.get(email="newcomer@example.com").username == username


@pytest.mark.parametrize("display_name", ORDINARY_NAMES)
def test_profile_edit_accepts_an_ordinary_international_display_name(
    client, member, staff, moderator, admin_user, display_name
):
    client.force_login(member)
    response = _edit_profile(client, display_name)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == display_name

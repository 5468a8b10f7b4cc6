"""Only failed sign-ins count against the sign-in limits (ACCOUNT_RATE_LIMITS
"login_failed": 10 a minute per address, 5 in 5 minutes per login name), so members
signing in at once from one address all get in, while wrong passwords are still refused
past the limit — one after another and all at once.

The settings for tests turn allauth's limits off; these tests turn production's on."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from config import settings as base_settings
from tests.conftest import PASSWORD
from tests.forum.test_ratelimit_race import race

TOO_MANY = "Too many failed login attempts"
WRONG = "The username and/or password you specified are not correct"


@pytest.fixture
def login_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"
    return settings


def sign_in(client, login: str, password: str, address: str = "203.0.113.5"):
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=address
    )


def outcome(response) -> str:
    if response.status_code == 302:
        return "in"
    html = response.content.decode()
    if TOO_MANY in html:
        return "too many"
    if WRONG in html:
        return "wrong"
    return f"status {response.status_code}"


def test_wrong_passwords_are_refused_past_the_limit_even_with_the_right_one_after(
    client, member, login_limits
):
    assert [outcome(sign_in(client, "jamie", "guess")) for _ in range(6)] == ["wrong"] * 5 + [
        "too many"
    ]
    assert outcome(sign_in(client, "jamie", PASSWORD)) == "too many"
    # Another address gets nowhere with this name either (the per-name limit)...
    assert outcome(sign_in(client, "jamie", "guess", address="198.51.100.1")) == "too many"


def test_the_address_limit_counts_failures_across_names(client, make_user, login_limits):
    for n in range(4):
        make_user(f"office{n}")
    attempts = [sign_in(client, f"office{n % 4}", "guess") for n in range(11)]
    assert [outcome(r) for r in attempts] == ["wrong"] * 10 + ["too many"]


def test_correct_sign_ins_from_one_address_never_count_as_failures(make_user, login_limits):
    members = [make_user(f"office{n}") for n in range(15)]
    for user in members:  # more than the 10 a minute the address may fail
        assert outcome(sign_in(Client(), user.username, PASSWORD)) == "in"
    # Failures are still counted from the first: four wrong then a right one.
    client = Client()
    for _ in range(4):
        assert outcome(sign_in(client, "office0", "guess")) == "wrong"
    assert outcome(sign_in(client, "office0", PASSWORD)) == "in"


# --- At once, against PostgreSQL --------------------------------------------------------


def lock_user_table():
    """Every sign-in reads the member's row after the limit check and before answering;
    holding the table makes every request in the race be in flight at the same time."""
    with connection.cursor() as cursor:
        table = get_user_model()._meta.db_table
        cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a table lock that makes other sessions wait")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_correct_sign_ins_from_one_address_all_get_in(make_user, login_limits):
    postgresql_only()
    members = [make_user(f"office{n}") for n in range(20)]

    def attempt(user):
        return lambda: sign_in(Client(), user.username, PASSWORD)

    statuses = race([attempt(user) for user in members], hold_lock=lock_user_table)
    assert statuses == [302] * 20


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_wrong_passwords_get_at_most_five_answers(member, login_limits):
    postgresql_only()
    outcomes = []

    def attempt():
        response = sign_in(Client(), "jamie", "guess")
        outcomes.append(outcome(response))
        return response

    race([attempt] * 20, hold_lock=lock_user_table)
    # At most the per-name limit learn "wrong" (fewer only if allauth's one-second wait
    # for its cache lock ran out under load, which it answers as "too many").
    assert outcomes.count("wrong") + outcomes.count("too many") == 20
    assert 1 <= outcomes.count("wrong") <= 5
    # The right password, arriving after the limit was reached, is refused too.
    assert outcome(sign_in(Client(), "jamie", PASSWORD)) == "too many"

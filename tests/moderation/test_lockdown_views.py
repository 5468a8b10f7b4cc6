"""Locking a thread or a board, slow mode, and lifting, through the moderator's pages."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from moderation.models import Lockdown, MemberMessage, ModerationAction

REASON = "This thread turned into a pile-on. Cooling it down for a day."
WHERE = "Follow the fix on the status page at /status/"
PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


def _local(when: datetime, zone=UTC) -> str:
    """What a datetime-local input sends for ``when`` in ``zone``."""
    return timezone.localtime(when, zone).strftime("%Y-%m-%dT%H:%M")


def _lock_data(**overrides):
    data = {
        "kind": "lock",
        "slow_minutes": "",
        "rules": ["G3"],
        "reason": REASON,
        "ends_at": "",
        "go_instead": WHERE,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _url(thread):
    return f"/t/{thread.pk}/lockdown/"


@pytest.fixture
def mod_client(client, moderator, guidelines):
    client.force_login(moderator)
    return client


# --- The form -------------------------------------------------------------------------


def test_lockdown_form_shows_the_choices_and_the_moderators_time_zone(
    mod_client, moderator, thread
):
    moderator.time_zone = "Europe/Paris"
    moderator.save(update_fields=["time_zone"])
    response = mod_client.get(_url(thread))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lock or slow down thread" in html
    assert 'type="datetime-local"' in html
    assert "in your time zone (Europe/Paris)" in html
    assert 'value="G3"' in html and 'value="slow"' in html and 'value="lock"' in html
    assert "Nothing: members can post freely." in html


def test_moderator_locks_a_thread_with_a_reopen_time_in_their_own_zone(
    mod_client, moderator, member, thread
):
    moderator.time_zone = "Europe/Paris"
    moderator.save(update_fields=["time_zone"])
    reopen = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = mod_client.post(_url(thread), _lock_data(ends_at=_local(reopen, PARIS)))
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/"
    lockdown = Lockdown.objects.get()
    assert lockdown.kind == Lockdown.Kind.LOCK and lockdown.thread == thread
    assert lockdown.ends_at == reopen  # read in Paris time, stored as the same instant
    assert lockdown.rules == ["G3"] and lockdown.reason == REASON
    assert lockdown.go_instead == WHERE and lockdown.slow_minutes is None
    action = ModerationAction.objects.get()
    assert action.kind == ModerationAction.Kind.LOCK and action.lockdown == lockdown
    assert MemberMessage.objects.filter(recipient=member, subject="Your thread was locked").exists()
    page = mod_client.get(response["Location"]).content.decode()
    assert "reopens by itself at" in page and "(Europe/Paris)" in page


def test_slow_mode_with_minutes(mod_client, thread):
    response = mod_client.post(_url(thread), _lock_data(kind="slow", slow_minutes="15"))
    assert response.status_code == 302
    lockdown = Lockdown.objects.get()
    assert (lockdown.kind, lockdown.slow_minutes) == (Lockdown.Kind.SLOW, 15)
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.SLOW_MODE


def test_minutes_are_ignored_for_a_lock(mod_client, thread):
    assert mod_client.post(_url(thread), _lock_data(slow_minutes="30")).status_code == 302
    assert Lockdown.objects.get().slow_minutes is None


def test_a_new_lockdown_replaces_the_active_one(mod_client, thread):
    mod_client.post(_url(thread), _lock_data(kind="slow", slow_minutes="5"))
    page = mod_client.get(_url(thread)).content.decode()
    assert "In force now" in page and "every 5 minutes" in page
    assert "replaces the one set on it now" in page
    mod_client.post(_url(thread), _lock_data())
    slow, lock = Lockdown.objects.order_by("pk")
    assert slow.lifted_at is not None and lock.lifted_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"kind": "slow", "slow_minutes": "0"}, "slow_minutes", "Choose from 1 to 1,440 minutes"),
        ({"kind": "slow", "slow_minutes": "1441"}, "slow_minutes", "you wrote 1441"),
        ({"kind": "slow", "slow_minutes": ""}, "slow_minutes", "Slow mode needs a number"),
        ({"kind": "slow", "slow_minutes": "ten"}, "slow_minutes", "as a whole number"),
        ({"kind": ""}, "kind", "Choose whether to lock or to slow things down."),
        ({"kind": "ban"}, "kind", "Select a valid choice"),
        ({"rules": []}, "rules", "Cite at least one guideline rule"),
        ({"rules": ["G42"]}, "rules", "There is no rule G42 in the current guidelines"),
        ({"reason": ""}, "reason", "Write a short reason"),
        ({"reason": "   "}, "reason", "Write a short reason"),
        ({"ends_at": "tomorrow"}, "ends_at", "Enter a date and time"),
        ({"go_instead": "x" * 301}, "go_instead", "Keep this under 300 characters"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_with_nothing_saved(
    mod_client, thread, overrides, field, error
):
    response = mod_client.post(_url(thread), _lock_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    error_block = html.split(f'id="id_{field}_error"', 1)[1].split("</ul>", 1)[0]
    assert error in error_block
    if overrides.get("reason") is None:
        assert REASON in html  # what was typed is kept
    assert not Lockdown.objects.exists()
    assert not ModerationAction.objects.exists()


def test_a_reopen_time_in_the_past_is_refused(mod_client, moderator, thread):
    moderator.time_zone = "Europe/Paris"
    moderator.save(update_fields=["time_zone"])
    past = timezone.now() - timedelta(minutes=5)
    response = mod_client.post(_url(thread), _lock_data(ends_at=_local(past, PARIS)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The reopen time must be in the future; it is now" in html
    assert "(Europe/Paris)" in html
    assert not Lockdown.objects.exists()


def test_a_reopen_time_that_does_not_exist_in_the_zone_is_refused(mod_client, moderator, thread):
    """The hour skipped when clocks go forward (last Sunday of March in Paris)."""
    moderator.time_zone = "Europe/Paris"
    moderator.save(update_fields=["time_zone"])
    year = timezone.now().year + 1
    last_sunday = max(
        day for day in (datetime(year, 3, d) for d in range(25, 32)) if day.weekday() == 6
    )
    gap = last_sunday.strftime("%Y-%m-%dT02:30")
    response = mod_client.post(_url(thread), _lock_data(ends_at=gap))
    assert response.status_code == 400
    assert 'id="id_ends_at_error"' in response.content.decode()
    assert not Lockdown.objects.exists()


# --- Boards ---------------------------------------------------------------------------


def test_moderator_locks_a_whole_board(mod_client, help_board):
    page = mod_client.get("/b/help/lockdown/").content.decode()
    assert "Lock or slow down board" in page and "the whole Help board" in page
    response = mod_client.post("/b/help/lockdown/", _lock_data())
    assert response.status_code == 302
    assert response["Location"] == "/b/help/"
    lockdown = Lockdown.objects.get()
    assert lockdown.board == help_board and lockdown.thread is None


def test_thread_form_lists_its_boards_lockdown_too(mod_client, thread):
    mod_client.post("/b/help/lockdown/", _lock_data(kind="slow", slow_minutes="10"))
    page = mod_client.get(_url(thread)).content.decode()
    assert "on the whole Help board" in page
    lockdown = Lockdown.objects.get()
    assert f"/moderation/lockdowns/{lockdown.pk}/lift/" in page


def test_missing_targets_are_404(mod_client):
    assert mod_client.get("/t/999999/lockdown/").status_code == 404
    assert mod_client.get("/b/no-such-board/lockdown/").status_code == 404
    assert mod_client.get("/moderation/lockdowns/999999/lift/").status_code == 404


# --- Lifting --------------------------------------------------------------------------


@pytest.fixture
def lockdown(mod_client, thread):
    mod_client.post(_url(thread), _lock_data())
    return Lockdown.objects.get()


def test_lift_page_shows_what_is_in_force(mod_client, lockdown):
    response = mod_client.get(f"/moderation/lockdowns/{lockdown.pk}/lift/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lift this lock?" in html
    assert "Moderators locked this thread" in html and REASON in html
    assert "Set by Morgan" in html


def test_moderator_lifts_a_lock(mod_client, lockdown, thread):
    response = mod_client.post(
        f"/moderation/lockdowns/{lockdown.pk}/lift/", {"note": "Calmer now."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/"
    lockdown.refresh_from_db()
    assert lockdown.lifted_at is not None and lockdown.lift_note == "Calmer now."
    lift = ModerationAction.objects.get(kind=ModerationAction.Kind.UNLOCK)
    assert lift.reverses.kind == ModerationAction.Kind.LOCK
    page = mod_client.get(response["Location"]).content.decode()
    assert "Lifted: members can post here again." in page
    assert "Locked by moderators" not in page
    # Lifting again: the page says so, and a second POST changes nothing.
    again = mod_client.get(f"/moderation/lockdowns/{lockdown.pk}/lift/").content.decode()
    assert "already ended" in again
    mod_client.post(f"/moderation/lockdowns/{lockdown.pk}/lift/", {"note": ""})
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.UNLOCK).count() == 1


def test_lifting_a_replacement_brings_back_what_it_replaced(mod_client, thread):
    mod_client.post(_url(thread), _lock_data(kind="slow", slow_minutes="5"))
    mod_client.post(_url(thread), _lock_data())
    slow, lock = Lockdown.objects.order_by("pk")
    response = mod_client.post(f"/moderation/lockdowns/{lock.pk}/lift/", {"note": ""}, follow=True)
    assert "The lockdown it had replaced is in force again" in response.content.decode()
    slow.refresh_from_db()
    assert slow.lifted_at is None


# --- Who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_and_staff_cannot_lock(client, request, thread, guidelines, who):
    client.force_login(request.getfixturevalue(who))
    for url in (_url(thread), "/b/help/lockdown/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only moderators can do this." in response.content.decode()
        response = client.post(url, _lock_data())
        assert response.status_code == 403
        html = response.content.decode()
        assert "Only moderators can do this." in html
        assert REASON in html
    assert not Lockdown.objects.exists()


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_and_staff_cannot_lift(client, request, lockdown, who):
    client.force_login(request.getfixturevalue(who))
    url = f"/moderation/lockdowns/{lockdown.pk}/lift/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"note": "open up"})
    assert response.status_code == 403
    assert "Set by Morgan" not in response.content.decode()
    lockdown.refresh_from_db()
    assert lockdown.lifted_at is None


def test_visitors_are_sent_to_sign_in(client, thread, guidelines):
    for url in (_url(thread), "/b/help/lockdown/"):
        for response in (client.get(url), client.post(url, _lock_data())):
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
    assert not Lockdown.objects.exists()


def test_visitors_cannot_lift(client, lockdown):
    client.logout()
    response = client.post(f"/moderation/lockdowns/{lockdown.pk}/lift/", {"note": ""})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    lockdown.refresh_from_db()
    assert lockdown.lifted_at is None

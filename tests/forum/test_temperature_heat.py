"""Heating up: a board far busier than usual in the last hour, or drawing a burst of
flags, tells every staff member once per episode; members hear nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from forum.models import HeatAlert, Notification
from forum.selectors.notifications import deliverable_notifications, summary, target_path
from forum.services import post_create, thread_create
from forum.services.heat import HEAT_MIN_POSTS
from forum.services.temperature import hour_floor
from moderation.models import Flag
from moderation.services import flag_create
from moderation.services.temperature import temperature_refresh

Kind = Notification.Kind


@pytest.fixture
def quiet_week(clock, boards, member):
    """One post a day for a week on Bugs: the usual hour is quiet."""
    start = hour_floor(clock.now) - timedelta(days=7)
    clock.set(start + timedelta(minutes=5))
    thread = thread_create(board=boards["bugs"], author=member, title="Slow sync", body="Hm")
    for _ in range(6):
        clock.advance(days=1)
        post_create(thread=thread, author=member, body="Still slow")
    return thread


def _burst(clock, thread, authors, count):
    for n in range(count):
        post_create(thread=thread, author=authors[n % len(authors)], body=f"Me too ({n})")
        clock.advance(seconds=30)


def test_a_burst_of_posts_notifies_staff_once_per_episode(
    quiet_week, clock, staff, admin_user, member, other_member
):
    clock.set(hour_floor(clock.now) + timedelta(days=1, minutes=2))
    _burst(clock, quiet_week, [member, other_member], HEAT_MIN_POSTS + 2)
    clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=5))
    assert temperature_refresh(now=clock.now)["alerts"] == 1
    alert = HeatAlert.objects.get()
    assert alert.reason == HeatAlert.Reason.VOLUME
    assert alert.posts == HEAT_MIN_POSTS + 2
    heard = Notification.objects.filter(kind=Kind.HEATING_UP)
    assert sorted(heard.values_list("recipient__username", flat=True)) == ["alex", "sam"]

    # The task runs again, and the board stays hot the next hour: still one notification each.
    assert temperature_refresh(now=clock.now)["alerts"] == 0
    _burst(clock, quiet_week, [member, other_member], HEAT_MIN_POSTS + 2)
    clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=5))
    temperature_refresh(now=clock.now)
    assert heard.count() == 2
    assert HeatAlert.objects.get().ended_at is None

    # Quiet for a while: the episode ends, and the next burst is news again.
    clock.advance(hours=8)
    temperature_refresh(now=clock.now)
    assert HeatAlert.objects.get().ended_at is not None
    clock.set(hour_floor(clock.now) + timedelta(minutes=2))
    _burst(clock, quiet_week, [member, other_member], HEAT_MIN_POSTS + 2)
    clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=5))
    temperature_refresh(now=clock.now)
    assert HeatAlert.objects.count() == 2
    assert heard.count() == 4


def test_a_busy_board_at_its_usual_pace_is_not_heating_up(clock, boards, member, staff):
    # Four posts an hour for four days (more than half the baseline week), then eleven:
    # above the floor of ten, but under three times the usual hour.
    clock.set(hour_floor(clock.now) - timedelta(days=4))
    thread = thread_create(board=boards["bugs"], author=member, title="Chatter", body="Hi")
    for _ in range(4 * 24):
        _burst(clock, thread, [member], 4)
        clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=1))
    _burst(clock, thread, [member], HEAT_MIN_POSTS + 1)
    clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=5))
    temperature_refresh(now=clock.now, hours=5 * 24)
    assert not HeatAlert.objects.exists()
    assert not Notification.objects.filter(kind=Kind.HEATING_UP).exists()


def test_a_burst_of_flags_notifies_staff(quiet_week, clock, staff, make_user, member):
    clock.set(hour_floor(clock.now) + timedelta(days=1, minutes=2))
    post = post_create(thread=quiet_week, author=member, body="Buy cheap watches")
    for n in range(5):
        flag_create(flagger=make_user(f"flagger{n}"), post=post, reason=Flag.Reason.SPAM)
    clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=5))
    temperature_refresh(now=clock.now)
    alert = HeatAlert.objects.get()
    assert (alert.reason, alert.flags) == (HeatAlert.Reason.FLAGS, 5)
    assert Notification.objects.filter(kind=Kind.HEATING_UP, recipient=staff).count() == 1
    assert not Notification.objects.filter(kind=Kind.HEATING_UP, recipient=member).exists()


def test_the_notification_names_the_board_leads_to_the_temperature_and_is_not_emailed(
    quiet_week, clock, staff, member, other_member
):
    clock.set(hour_floor(clock.now) + timedelta(days=1, minutes=2))
    _burst(clock, quiet_week, [member, other_member], HEAT_MIN_POSTS)
    clock.set(hour_floor(clock.now) + timedelta(hours=1, minutes=5))
    temperature_refresh(now=clock.now)
    note = Notification.objects.get(kind=Kind.HEATING_UP)
    assert summary(note).startswith("Bugs is heating up")
    assert target_path(note) == reverse("forum:staff-temperature")
    assert not deliverable_notifications(Notification.objects.filter(pk=note.pk)).exists()

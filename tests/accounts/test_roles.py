import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.services import user_set_role


def test_new_users_are_members_without_badges(member):
    assert member.role == Role.MEMBER
    assert member.badges == []
    assert not member.is_employee
    assert not member.is_moderator
    assert not member.is_staff  # Django admin access


def test_staff_badge_carries_the_job_title(staff):
    assert staff.badges == [{"kind": "staff", "label": "Staff", "title": "Support Engineer"}]
    assert staff.is_employee
    assert not staff.is_staff


def test_volunteer_moderator_has_moderator_badge_only(moderator):
    assert [badge["kind"] for badge in moderator.badges] == ["moderator"]
    assert moderator.is_moderator
    assert not moderator.is_employee


def test_employee_moderator_has_both_badges(make_user):
    user = make_user("eve", role=Role.MODERATOR, job_title="Community Manager")
    assert [badge["kind"] for badge in user.badges] == ["staff", "moderator"]


def test_admin_role_grants_django_admin_and_revoking_it_takes_it_away(member):
    assert user_set_role(user=member, role=Role.ADMIN, job_title="Ops") is True
    member.refresh_from_db()
    assert member.is_staff and member.is_superuser
    assert member.is_site_admin and member.is_moderator
    assert user_set_role(user=member, role=Role.MEMBER) is True
    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser
    assert member.badges == []


def test_setting_the_same_role_twice_reports_no_change(staff):
    assert user_set_role(user=staff, role=Role.STAFF, job_title="Support Engineer") is False


def test_staff_role_needs_a_job_title(member):
    with pytest.raises(ValidationError) as exc:
        user_set_role(user=member, role=Role.STAFF, job_title="  ")
    assert "job title" in exc.value.message_dict["job_title"][0]
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_unknown_role_is_refused(member):
    with pytest.raises(ValidationError):
        user_set_role(user=member, role="overlord")

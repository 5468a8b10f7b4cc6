import pytest
from django.core.exceptions import ValidationError

from accounts.roles import Role
from accounts.services import profile_update
from accounts.validators import reserved_word_in, validate_member_name

IMPERSONATING = [
    "Staff",
    "Support Team",
    "Official Porchlight",
    "st4ff",
    "$taff",
    "S.T.A.F.F",
    "ѕtaff",  # Cyrillic s
    "Adm1n",
    "ADMIN",
    "a d m i n",
    "Moderator Jo",
    "m0derator",
    "mod",
    "Jo (mod)",
    "Supp0rt",
    "Staaaff",
    "Ｓｔａｆｆ",  # fullwidth
]
ORDINARY = ["Jamie", "Priya N.", "modern_dev", "Model Citizen", "Dmitri", "José", "Zoë", "admiral"]


@pytest.mark.parametrize("name", IMPERSONATING)
def test_names_that_imitate_a_role_are_reserved(name):
    assert reserved_word_in(name) is not None


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_are_allowed(name):
    assert reserved_word_in(name) is None
    validate_member_name(name, staff_names=["sam"])


def test_a_name_too_close_to_a_real_staff_member_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_member_name("S4m R1vera", staff_names=["Sam Rivera"])
    assert "Sam Rivera" in exc.value.messages[0]
    assert "member of our staff" in exc.value.messages[0]


def test_member_cannot_take_a_staff_display_name(member, staff):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=member, display_name="Official Support", bio="")
    assert "display_name" in exc.value.message_dict
    assert (
        "only people the company has given that role" in exc.value.message_dict["display_name"][0]
    )
    member.refresh_from_db()
    assert member.display_name == "Jamie"


def test_member_cannot_copy_an_employees_display_name(member, staff):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=member, display_name="S a m", bio="")
    assert "too close" in exc.value.message_dict["display_name"][0]


def test_staff_may_use_a_role_word_in_their_own_name(make_user):
    lead = make_user("lead", role=Role.STAFF, job_title="Head of Support")
    profile_update(user=lead, display_name="Lead — Support", bio="")
    lead.refresh_from_db()
    assert lead.display_name == "Lead — Support"


def test_profile_update_checks_lengths(member):
    with pytest.raises(ValidationError) as exc:
        profile_update(user=member, display_name="x" * 51, bio="y" * 1001)
    assert set(exc.value.message_dict) == {"display_name", "bio"}

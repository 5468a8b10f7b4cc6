import pytest
from django.core.exceptions import ValidationError

from moderation.models import GuidelineVersion
from moderation.services import RuleDraft, guidelines_publish

RULES = [
    RuleDraft("G1", "Be kind", "Assume good intent."),
    RuleDraft("G2", "Stay on topic", "Yes."),
]


def test_publishing_keeps_old_versions_readable(client, admin_user):
    first = guidelines_publish(actor=admin_user, intro="Hello", rules=RULES)
    second = guidelines_publish(
        actor=admin_user,
        intro="Hello again",
        rules=[*RULES, RuleDraft("G3", "Argue with ideas, not with people", "No insults.")],
    )
    assert (first.number, second.number) == (1, 2)
    current = client.get("/guidelines/").content.decode()
    assert "G3" in current and "Version 2" in current
    assert 'id="G1"' in current
    old = client.get("/guidelines/v1/").content.decode()
    assert "this is an older version" in old
    assert "Argue with ideas" not in old
    assert GuidelineVersion.objects.count() == 2


@pytest.mark.parametrize(
    "rules",
    [[], [RuleDraft("X1", "t", "b")], [RuleDraft("G1", "t", "b"), RuleDraft("G1", "u", "c")]],
)
def test_bad_rule_sets_are_refused(admin_user, rules):
    with pytest.raises(ValidationError):
        guidelines_publish(actor=admin_user, intro="", rules=rules)
    assert not GuidelineVersion.objects.exists()


def test_guidelines_page_before_any_version(client, db):
    html = client.get("/guidelines/").content.decode()
    assert "have not been published yet" in html
    assert client.get("/guidelines/v7/").status_code == 404

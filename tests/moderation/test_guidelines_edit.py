"""Admins edit the guidelines as a new version; codes stay stable and are never reused."""

import pytest
from django.utils.html import escape

from moderation.models import GuidelineVersion
from moderation.services import RuleDraft, guidelines_publish

URL = "/guidelines/edit/"


def _data(version, rules, *, intro=None, extra=3, based_on=None):
    """A POST as the edit page sends it: ``rules`` is a list of dicts for the rows that were
    prefilled (code/title/text, optional delete) followed by the blank rows' values."""
    existing = version.rules.count() if version else 0
    data = {
        "intro": version.intro if intro is None and version else (intro or ""),
        "based_on": based_on if based_on is not None else (version.number if version else ""),
        "rules-TOTAL_FORMS": str(max(len(rules), existing + extra)),
        "rules-INITIAL_FORMS": str(existing),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rules):
        data[f"rules-{index}-code"] = row.get("code", "")
        data[f"rules-{index}-title"] = row.get("title", "")
        data[f"rules-{index}-text"] = row.get("text", "")
        if row.get("delete"):
            data[f"rules-{index}-DELETE"] = "on"
    return data


def _current_rows(version):
    return [{"code": r.code, "title": r.title, "text": r.body} for r in version.rules.all()]


@pytest.fixture
def admin_client(client, admin_user, guidelines):
    client.force_login(admin_user)
    return client


def test_edit_page_is_prefilled_from_the_current_version(admin_client, guidelines):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publishing makes a new version (version 2)" in html
    for rule in guidelines.rules.all():
        assert f'value="{rule.code}"' in html and escape(rule.title) in html
    assert 'name="rules-2-code" value="G3" autocomplete="off" size="6" readonly' in html
    # Blank rows suggest codes never used before.
    assert 'name="rules-6-code" value="G7"' in html and 'name="rules-8-code" value="G9"' in html
    assert 'name="rules-6-code" value="G7" autocomplete="off" size="6" readonly' not in html
    assert 'name="rules-0-DELETE"' in html and 'name="rules-6-DELETE"' not in html


def test_admin_rewords_removes_and_adds_rules_as_a_new_version(admin_client, guidelines):
    rows = _current_rows(guidelines)
    rows[1]["title"] = "Stay on topic, please"
    rows[4]["delete"] = True  # G5 retired
    rows.append({"code": "G7", "title": "Mark answers", "text": "Accept the reply that helped."})
    response = admin_client.post(URL, _data(guidelines, rows, intro="Be good to each other."))
    assert response.status_code == 302
    assert response["Location"] == "/guidelines/"
    new = GuidelineVersion.objects.get(number=2)
    assert [r.code for r in new.rules.all()] == ["G1", "G2", "G3", "G4", "G6", "G7"]
    assert new.rules.get(code="G2").title == "Stay on topic, please"
    assert new.intro == "Be good to each other."
    page = admin_client.get("/guidelines/").content.decode()
    assert "Version 2 is published. Version 1 stays readable at /guidelines/v1/." in page
    assert "Mark answers" in page and "Keep private things private" not in page
    old = admin_client.get("/guidelines/v1/").content.decode()
    assert "this is an older version" in old
    assert "Keep private things private" in old and "Stay on topic, please" not in old


def test_first_version_can_be_written_from_blank_rows(client, admin_user):
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert 'name="rules-0-code" value="G1"' in page
    rows = [{"code": "G1", "title": "Be kind", "text": "Assume good intent."}]
    response = client.post(URL, _data(None, rows, intro="Hello"))
    assert response.status_code == 302
    assert GuidelineVersion.objects.get().rules.get().code == "G1"


def test_codes_are_upper_cased(admin_client, guidelines):
    rows = [*_current_rows(guidelines), {"code": "g7", "title": "New", "text": "Text."}]
    assert admin_client.post(URL, _data(guidelines, rows)).status_code == 302
    assert GuidelineVersion.objects.get(number=2).rules.filter(code="G7").exists()


def _refused(client, data, *needles):
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    for needle in needles:
        assert needle in html, needle
    assert GuidelineVersion.objects.count() == 1  # nothing published
    return html


def test_duplicate_new_codes_are_refused_next_to_the_second(admin_client, guidelines):
    rows = [
        *_current_rows(guidelines),
        {"code": "G7", "title": "One", "text": "First new rule."},
        {"code": "G7", "title": "Two", "text": "Second new rule."},
    ]
    html = _refused(
        admin_client,
        _data(guidelines, rows),
        "G7 is already used by rule 7 above: each code names one rule. Use G8.",
    )
    assert 'id="id_rules-7-code_error"' in html and 'id="id_rules-6-code_error"' not in html
    assert "Second new rule." in html  # text kept


def test_a_new_rule_cannot_take_a_code_in_use(admin_client, guidelines):
    rows = [*_current_rows(guidelines), {"code": "G3", "title": "Other", "text": "Other."}]
    _refused(admin_client, _data(guidelines, rows), "G3 is already used by rule 3 above")


def test_a_removed_code_is_never_reused(admin_client, guidelines):
    rows = _current_rows(guidelines)
    rows[4]["delete"] = True
    rows.append({"code": "G5", "title": "Be brief", "text": "Short posts."})
    _refused(
        admin_client,
        _data(guidelines, rows),
        "G5 already named “Keep private things private” (version 1). A code is never reused",
        "Use G7.",
    )


def test_a_code_retired_in_an_earlier_version_stays_retired(admin_client, admin_user, guidelines):
    kept = [RuleDraft(r.code, r.title, r.body) for r in guidelines.rules.exclude(code="G5")]
    v2 = guidelines_publish(actor=admin_user, intro="", rules=kept)
    rows = [*_current_rows(v2), {"code": "G5", "title": "Be brief", "text": "Short posts."}]
    response = admin_client.post(URL, _data(v2, rows))
    assert response.status_code == 400
    assert "G5 already named “Keep private things private” (version 1)" in (
        response.content.decode()
    )
    assert GuidelineVersion.objects.count() == 2


def test_an_existing_rule_keeps_its_code(admin_client, guidelines):
    rows = _current_rows(guidelines)
    rows[2]["code"] = "G9"  # bypassing the read-only input
    _refused(admin_client, _data(guidelines, rows), "An existing rule keeps its code (G3).")


def test_swapping_two_codes_is_refused(admin_client, guidelines):
    rows = _current_rows(guidelines)
    rows[1]["code"], rows[2]["code"] = "G3", "G2"
    _refused(admin_client, _data(guidelines, rows), "An existing rule keeps its code (G2).")


@pytest.mark.parametrize(
    ("row", "field", "error"),
    [
        ({"code": "G7", "title": "", "text": "Body"}, "title", "Give the rule a short title"),
        ({"code": "G7", "title": "T", "text": ""}, "text", "Explain the rule in a sentence"),
        ({"code": "X1", "title": "T", "text": "B"}, "code", "Codes look like G1, G2…"),
        ({"code": "G0", "title": "T", "text": "B"}, "code", "Codes look like G1, G2…"),
        ({"code": "", "title": "T", "text": "B"}, "code", "Give the rule a code"),
        ({"code": "G7", "title": "T" * 121, "text": "B"}, "title", "under 120 characters"),
    ],
)
def test_bad_new_rows_are_refused_next_to_the_field(admin_client, guidelines, row, field, error):
    rows = [*_current_rows(guidelines), row]
    html = _refused(admin_client, _data(guidelines, rows), error)
    assert f'id="id_rules-6-{field}_error"' in html


def test_blanking_an_existing_title_is_refused(admin_client, guidelines):
    rows = _current_rows(guidelines)
    rows[0]["title"] = "   "
    html = _refused(admin_client, _data(guidelines, rows), "Give the rule a short title")
    assert 'id="id_rules-0-title_error"' in html
    assert "Assume good intent." in html


def test_removing_every_rule_is_refused(admin_client, guidelines):
    rows = [{**row, "delete": True} for row in _current_rows(guidelines)]
    _refused(admin_client, _data(guidelines, rows), "Guidelines need at least one rule.")


def test_nothing_changed_publishes_nothing(admin_client, guidelines):
    response = admin_client.post(URL, _data(guidelines, _current_rows(guidelines)), follow=True)
    assert "Nothing changed, so no new version was published." in response.content.decode()
    assert GuidelineVersion.objects.count() == 1


def test_a_version_published_meanwhile_is_not_overwritten(admin_client, admin_user, guidelines):
    stale = _data(guidelines, _current_rows(guidelines), intro="My edit")
    kept = [RuleDraft(r.code, r.title, r.body) for r in guidelines.rules.all()]
    guidelines_publish(actor=admin_user, intro="Someone else's edit", rules=kept)
    response = admin_client.post(URL, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Alex published version 2" not in html  # it was this admin: says "You"
    assert "You published version 2 (the form may have been sent twice)" in html
    assert "so nothing more was published" in html
    assert "My edit" in html
    assert GuidelineVersion.objects.count() == 2


# --- Who may --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "staff", "member"])
def test_only_admins_edit_the_guidelines(client, request, guidelines, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only admins can publish new guidelines." in response.content.decode()
    rows = [*_current_rows(guidelines), {"code": "G7", "title": "Mine", "text": "Mine."}]
    response = client.post(URL, _data(guidelines, rows))
    assert response.status_code == 403
    assert "Only admins can publish new guidelines." in response.content.decode()
    assert GuidelineVersion.objects.count() == 1


def test_visitors_are_sent_to_sign_in(client, guidelines):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/guidelines/edit/"
    rows = [*_current_rows(guidelines), {"code": "G7", "title": "Mine", "text": "Mine."}]
    assert client.post(URL, _data(guidelines, rows)).status_code == 302
    assert GuidelineVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "shown"), [("admin_user", True), ("moderator", False), ("member", False)]
)
def test_edit_link_is_shown_to_admins_only(client, request, guidelines, who, shown):
    client.force_login(request.getfixturevalue(who))
    html = client.get("/guidelines/").content.decode()
    assert ('href="/guidelines/edit/"' in html) is shown


def test_visitors_see_no_edit_link(client, guidelines):
    assert 'href="/guidelines/edit/"' not in client.get("/guidelines/").content.decode()


def test_blank_rows_keeping_their_suggested_codes_add_nothing(admin_client, guidelines):
    """A browser sends the suggested codes of untouched blank rows; they are not rules."""
    rows = [*_current_rows(guidelines), {"code": "G7"}, {"code": "G8"}, {"code": ""}]
    response = admin_client.post(URL, _data(guidelines, rows), follow=True)
    assert "Nothing changed" in response.content.decode()
    assert GuidelineVersion.objects.count() == 1


def test_another_admins_version_published_meanwhile_is_named(
    client, make_user, admin_user, guidelines
):
    from accounts.roles import Role

    other = make_user("casey", role=Role.ADMIN, display_name="Casey")
    client.force_login(admin_user)
    rows = _current_rows(guidelines)
    rows.append({"code": "G7", "title": "Mine", "text": "My new rule."})
    stale = _data(guidelines, rows)
    kept = [RuleDraft(r.code, r.title, r.body) for r in guidelines.rules.all()]
    guidelines_publish(
        actor=other, intro="", rules=[*kept, RuleDraft("G7", "Theirs", "Their rule.")]
    )
    response = client.post(URL, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Casey published version 2 while you were editing" in html
    assert "My new rule." in html
    # The rows still line up with the version the admin started from.
    assert "Rule G6" in html and "Rule G7" not in html
    assert 'name="rules-6-code" value="G7" autocomplete="off" size="6" readonly' not in html
    assert GuidelineVersion.objects.count() == 2


def test_a_double_submit_publishes_once(admin_client, guidelines):
    rows = [*_current_rows(guidelines), {"code": "G7", "title": "New", "text": "New rule."}]
    data = _data(guidelines, rows)
    assert admin_client.post(URL, data).status_code == 302
    again = admin_client.post(URL, data)
    assert again.status_code == 409
    assert "the form may have been sent twice" in again.content.decode()
    assert GuidelineVersion.objects.count() == 2

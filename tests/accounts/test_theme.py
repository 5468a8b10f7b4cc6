"""A member's theme: saved through the Appearance form (CSRF-checked, refused for values
that are not themes), rendered on <html> so the page is drawn in it from the first paint,
and never seen by visitors, whose cached pages stay one copy for everyone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import user_set_theme

THEME_URL = "/settings/theme/"


def _html_tag(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_theme_page_address():
    assert reverse("accounts:theme") == THEME_URL


def test_member_saves_dark_theme_and_pages_render_it(client, member):
    client.force_login(member)
    response = client.post(THEME_URL, {"theme": "dark"})
    assert response.status_code == 302
    assert response["Location"] == THEME_URL
    member.refresh_from_db()
    assert member.theme == "dark"
    tag = _html_tag(client)
    assert 'data-theme="dark"' in tag
    assert 'data-member-theme="dark"' in tag


def test_auto_theme_leaves_the_choice_to_the_device(client, member):
    user_set_theme(user=member, theme="light")
    user_set_theme(user=member, theme="auto")
    client.force_login(member)
    tag = _html_tag(client)
    assert "data-theme=" not in tag
    assert 'data-member-theme="auto"' in tag


def test_header_switch_brings_the_member_back_to_the_page(client, member, thread):
    client.force_login(member)
    page = thread.get_absolute_url()
    response = client.post(THEME_URL, {"theme": "light", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    member.refresh_from_db()
    assert member.theme == "light"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "-1", "accounts:profile-edit", "%ff"]
)
def test_next_that_is_not_a_path_here_is_ignored(client, member, next_url):
    client.force_login(member)
    response = client.post(THEME_URL, {"theme": "dark", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == THEME_URL


def test_settings_page_shows_the_switch_with_the_saved_choice_pressed(client, member):
    user_set_theme(user=member, theme="dark")
    client.force_login(member)
    body = client.get(reverse("accounts:profile-edit")).content.decode()
    assert 'id="appearance-heading"' in body
    pressed = re.findall(r'value="(\w+)" class="theme-switch__option" aria-pressed="true"', body)
    # The header's switch and the settings page's switch.
    assert pressed == ["dark", "dark"]


def test_not_a_theme_is_refused_beside_the_field(client, member):
    client.force_login(member)
    response = client.post(THEME_URL, {"theme": "purple"})
    assert response.status_code == 400
    assert "Choose Auto, Light or Dark." in response.content.decode()
    member.refresh_from_db()
    assert member.theme == "auto"


def test_service_refuses_an_unknown_theme_and_reports_no_change(member):
    with pytest.raises(ValidationError):
        user_set_theme(user=member, theme="sepia")
    assert user_set_theme(user=member, theme="dark") is True
    assert user_set_theme(user=member, theme="dark") is False


def test_saving_a_theme_needs_the_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(THEME_URL, {"theme": "dark"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.theme == "auto"
    # With the token from the page's own form it is saved.
    page = client.get(THEME_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(THEME_URL, {"theme": "dark", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.theme == "dark"


def test_visitor_is_sent_to_sign_in(client):
    response = client.post(THEME_URL, {"theme": "dark"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_visitors_cached_page_carries_no_theme_and_no_token(settings, member, thread):
    """A member's dark theme does not leak into the visitors' copy, and the visitors'
    switch (no CSRF token, hidden until the script runs) keeps the page storable: the
    second visitor's page is served without a query."""
    settings.PAGE_CACHE_ENABLED = True
    user_set_theme(user=member, theme="dark")
    signed_in = Client()
    signed_in.force_login(member)
    assert 'data-theme="dark"' in _html_tag(signed_in)

    first = Client().get("/").content.decode()
    assert "data-theme" not in re.search(r"<html[^>]*>", first).group(0)
    switch = re.search(r"<form[^>]*data-theme-switch[^>]*>.*?</form>", first, re.S).group(0)
    assert " hidden" in switch.split(">")[0]
    assert "csrfmiddlewaretoken" not in switch
    with CaptureQueriesContext(connection) as queries:
        second = Client().get("/")
    assert len(queries) == 0
    assert "data-theme" not in re.search(r"<html[^>]*>", second.content.decode()).group(0)


def test_theme_script_is_loaded_in_head_before_the_stylesheet(db, client):
    head = client.get("/").content.decode().split("</head>")[0]
    script = re.search(r'<script src="[^"]*js/theme[^"]*\.js"[^>]*>', head)
    assert script is not None
    assert " defer" not in script.group(0) and " async" not in script.group(0)
    assert head.index(script.group(0)) < head.index("css/porchlight")


def test_the_two_dark_palettes_are_identical():
    """The dark values are written twice (device preference, saved choice); a colour
    changed in one must be changed in the other."""
    css = (Path(settings.BASE_DIR) / "static/css/porchlight.css").read_text()
    by_device = re.search(
        r'@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme="light"\]\) \{'
        r"([^}]*)\}",
        css,
    )
    by_choice = re.search(r':root\[data-theme="dark"\] \{([^}]*--ink[^}]*)\}', css)
    assert by_device and by_choice

    def declarations(block: str) -> list[str]:
        return sorted(line.strip() for line in block.strip().splitlines())

    assert declarations(by_device.group(1)) == declarations(by_choice.group(1))
    assert len(declarations(by_device.group(1))) > 30


def test_every_colour_in_the_rules_comes_from_a_variable():
    """A colour written straight into a property would stay the same in the dark scheme:
    colours are set only as custom properties (the palettes, or a component's own with
    its dark values), and properties read them through var()."""
    css = (Path(settings.BASE_DIR) / "static/css/porchlight.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    properties = re.sub(r"--[\w-]+\s*:[^;}]*", "", css)
    properties = re.sub(r"var\(--[\w-]+\s*,[^)]*\)", "", properties)
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b", properties) == []

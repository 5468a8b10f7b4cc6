"""The site speaks French as well as English: a member's own language setting first, else
the browser's; <html lang> says which; stored copies of pages never cross languages; dates
and numbers follow the language."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from accounts.services import profile_update
from forum.dates import time_ago
from forum.models import Post
from forum.services import post_create
from tests.conftest import PASSWORD

FRENCH = "fr-FR,fr;q=0.9,en;q=0.5"
ENGLISH = "en-US,en;q=0.9"


def page(client, url, accept_language) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200, url
    return response.content.decode()


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def set_language(user, language: str) -> None:
    profile_update(user=user, display_name=user.display_name, bio=user.bio, language=language)


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_a_french_browser_gets_the_site_in_french(db, boards):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=FRENCH)
    html = response.content.decode()
    assert html_lang(html) == "fr"
    assert response["Content-Language"] == "fr"
    assert "Se connecter" in html
    assert ">Sign in<" not in html


def test_an_english_browser_gets_english_with_british_dates(db, boards):
    html = page(Client(), "/", ENGLISH)
    assert html_lang(html) == "en-gb"
    assert ">Sign in<" in html
    assert "Se connecter" not in html


def test_a_browser_asking_for_a_language_we_lack_gets_english(db, boards):
    assert html_lang(page(Client(), "/", "de-DE,de;q=0.9")) == "en-gb"


def test_a_member_who_chose_french_sees_french_whatever_the_browser_says(member, boards):
    set_language(member, "fr")
    html = page(signed_in(member), "/", ENGLISH)
    assert html_lang(html) == "fr"
    assert "Se déconnecter" in html


def test_a_member_who_chose_english_sees_english_in_a_french_browser(member, boards):
    set_language(member, "en-gb")
    html = page(signed_in(member), "/", FRENCH)
    assert html_lang(html) == "en-gb"
    assert ">Sign out<" in html


def test_a_member_without_a_language_setting_follows_the_browser(member, boards):
    set_language(member, "")
    assert html_lang(page(signed_in(member), "/", FRENCH)) == "fr"
    assert html_lang(page(signed_in(member), "/", ENGLISH)) == "en-gb"


def test_a_member_chooses_their_language_on_the_settings_page(member, boards):
    client = signed_in(member)
    form = page(client, "/settings/profile/", ENGLISH)
    assert 'name="language"' in form
    assert '<option value="fr">Français</option>' in form
    response = client.post(
        "/settings/profile/",
        {"display_name": "Jamie", "bio": "", "time_zone": "UTC", "language": "fr"},
        HTTP_ACCEPT_LANGUAGE=ENGLISH,
        follow=True,
    )
    member.refresh_from_db()
    assert member.language == "fr"
    html = response.content.decode()
    # The confirmation and the next page are already in the chosen language.
    assert "Votre profil est enregistré." in html
    assert html_lang(html) == "fr"


def test_a_language_we_do_not_offer_is_refused_next_to_the_field(member, boards):
    client = signed_in(member)
    response = client.post(
        "/settings/profile/",
        {"display_name": "Jamie Changed", "bio": "", "time_zone": "UTC", "language": "xx"},
        HTTP_ACCEPT_LANGUAGE=ENGLISH,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Jamie Changed" in html
    assert "Select a valid choice." in html
    member.refresh_from_db()
    assert member.language == ""


@pytest.fixture
def cached_pages(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.mark.parametrize("url", ["/", "/b/help/", "/t/{thread}/", "/search/?q=export"])
def test_stored_visitor_pages_are_kept_per_language(
    cached_pages, member, make_thread, url, django_assert_num_queries
):
    thread = make_thread(member)
    url = url.format(thread=thread.pk)
    french = page(Client(), url, FRENCH)
    english = page(Client(), url, ENGLISH)
    assert html_lang(french) == "fr" and "Se connecter" in french
    assert html_lang(english) == "en-gb" and ">Sign in<" in english
    # Each language's copy is then served warm, without a query, to the next visitor.
    with django_assert_num_queries(0):
        again_french = page(Client(), url, FRENCH)
        again_english = page(Client(), url, ENGLISH)
    assert html_lang(again_french) == "fr" and "Se connecter" in again_french
    assert html_lang(again_english) == "en-gb" and "Se connecter" not in again_english


def test_shared_post_lists_are_kept_per_language(cached_pages, member, other_member, make_thread):
    """The post list kept for every member reader is rendered once per language: a French
    member after an English one still reads French around the posts."""
    thread = make_thread(member, title="Sync stalls")
    post_create(thread=thread, author=member, body="A second post.")
    set_language(member, "en-gb")
    set_language(other_member, "fr")
    english = page(signed_in(member), f"/t/{thread.pk}/", FRENCH)
    french = page(signed_in(other_member), f"/t/{thread.pk}/", ENGLISH)
    assert html_lang(english) == "en-gb" and html_lang(french) == "fr"
    english_again = page(signed_in(member), f"/t/{thread.pk}/", FRENCH)
    assert "Se déconnecter" not in english_again


def test_a_thread_page_in_french_shows_french_dates_and_times(member, make_thread):
    thread = make_thread(member)
    post = thread.posts.get()
    Post.objects.filter(pk=post.pk).update(created_at=datetime(2026, 12, 6, 14, 5, tzinfo=UTC))
    french = page(Client(), f"/t/{thread.pk}/", FRENCH)
    english = page(Client(), f"/t/{thread.pk}/", ENGLISH)
    assert "6 déc. 2026, 14:05" in french
    assert "6 Dec 2026, 14:05" in english


def test_relative_times_and_numbers_follow_the_language():
    now = timezone.now()
    with translation.override("fr"):
        assert time_ago(now - timedelta(hours=3), now=now) == "il y a 3\xa0heures"
        assert time_ago(now, now=now) == "à l’instant"
        from django.template import Context, Template

        rendered = Template('{{ n|floatformat:"0g" }}').render(Context({"n": 12345}))
        assert rendered == "12\xa0345"
    with translation.override("en-gb"):
        assert time_ago(now - timedelta(hours=3), now=now) == "3\xa0hours ago"
        assert time_ago(now, now=now) == "just now"


def test_a_visitor_picks_french_in_the_footer_and_keeps_it(db, boards):
    client = Client()
    english = page(client, "/b/help/", ENGLISH)
    assert 'action="/language/"' in english
    response = client.post("/language/", {"language": "fr", "next": "/b/help/"})
    assert response.status_code == 302
    assert response["Location"] == "/b/help/"
    french = page(client, "/b/help/", ENGLISH)
    assert html_lang(french) == "fr"
    assert '<option value="fr" lang="fr" selected>Français</option>' in french


def test_the_language_picker_sends_nobody_to_another_site(db):
    response = Client().post("/language/", {"language": "fr", "next": "https://elsewhere.example/"})
    assert response.status_code == 302
    assert "elsewhere.example" not in response["Location"]


def test_members_choose_their_language_in_settings_not_in_the_footer(member, boards):
    html = page(signed_in(member), "/", ENGLISH)
    assert 'action="/language/"' not in html
    assert 'href="/settings/profile/">Language</a>' in html

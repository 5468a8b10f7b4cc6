"""The site in French, as a person meets it: a French browser gets French pages (dates
included) without asking; a visitor switches language from the footer and the choice
sticks; a member picks French in their settings and keeps it on an English browser.
Screens at 1200 and 375 px, light and dark."""

import re

from playwright.sync_api import expect

from tests.e2e.browser import field, shots, sign_in


def test_a_french_browser_reads_the_site_in_french(new_context, live_server, thread):
    page = new_context(locale="fr-FR").new_page()
    page.goto(live_server.url + thread.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.locator("article.post time").first).to_have_text(
        re.compile(r"^\d+ \S+ \d{4}, \d\d:\d\d$")
    )
    shots(page, "french-thread")
    page.emulate_media(color_scheme="dark")
    shots(page, "french-thread-dark")


def test_a_visitor_switches_language_in_the_footer(new_context, live_server, boards):
    page = new_context(locale="en-GB").new_page()
    page.goto(live_server.url + "/b/help/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page).to_have_url(live_server.url + "/b/help/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="Tous les tableaux")).to_be_visible()
    page.get_by_label("Langue").select_option("en-gb")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")


def test_a_member_chooses_french_in_settings(new_context, live_server, member):
    page = new_context(locale="en-GB").new_page()
    sign_in(page, live_server, "jamie")
    page.goto(live_server.url + "/settings/profile/")
    field(page, "Language").select_option("fr")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    shots(page, "french-member-front")

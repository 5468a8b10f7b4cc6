"""The sign-up page as a person sees it on a phone: the honeypot is nowhere to be seen or
tabbed to, a throwaway address is refused next to the email field, and the page refusing
a sign-up past the limit is in the site's layout with what was typed kept."""

from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.browser import PHONE, field, shots

PASSPHRASE = "a long enough passphrase"


def fill_sign_up(page, *, email: str, username: str) -> None:
    field(page, "Email").fill(email)
    field(page, "Username").fill(username)
    field(page, "Password").fill(PASSPHRASE)
    field(page, "Password (again)").fill(PASSPHRASE)


def test_phone_sign_up_hides_the_honeypot_and_shows_a_throwaway_error_beside_the_email(
    live_server, new_context
):
    page = new_context(viewport=PHONE).new_page()
    page.goto(live_server.url + "/accounts/signup/")

    # The honeypot is in the page for bots but off-screen and out of the tab order.
    honeypot = page.locator('input[name="website"]')
    assert honeypot.count() == 1
    box = honeypot.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0, box
    focused = []
    field(page, "Email").focus()
    for _ in range(8):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.name || ''"))
    assert "website" not in focused, focused

    fill_sign_up(page, email="pat@mailinator.com", username="pat")
    page.get_by_role("button", name="Sign up").click()
    error = page.locator("#id_email_error")
    expect(error).to_contain_text("Addresses at mailinator.com are throwaway addresses")
    # Beside the email field: between its label and its input, above the next field.
    label = page.locator('label[for="id_email"]').bounding_box()
    email = field(page, "Email").bounding_box()
    username = field(page, "Username").bounding_box()
    err = error.bounding_box()
    assert label["y"] < err["y"] < email["y"] < username["y"]
    expect(field(page, "Email")).to_have_value("pat@mailinator.com")
    expect(field(page, "Username")).to_have_value("pat")
    shots(page, "signup-throwaway")
    assert not User.objects.filter(username="pat").exists()


def test_sign_up_past_the_limit_is_a_page_in_the_sites_layout(live_server, new_context, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/h/ip"}
    page = new_context(viewport=PHONE).new_page()
    page.goto(live_server.url + "/accounts/signup/")
    fill_sign_up(page, email="first@example.com", username="first")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/confirm-email/**")

    page.goto(live_server.url + "/accounts/signup/")
    fill_sign_up(page, email="second@example.com", username="second")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Too many sign-ups from your network")).to_be_visible()
    expect(field(page, "Email")).to_have_value("second@example.com")
    expect(field(page, "Username")).to_have_value("second")
    expect(field(page, "Password")).to_have_value("")
    shots(page, "signup-limit")
    assert not User.objects.filter(username="second").exists()

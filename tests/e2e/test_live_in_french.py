"""What the page script writes on an open page is in the reader's language: a French
visitor watching a thread sees the reply count and hears the new reply in French, and a
member reading in French hears the bell's count in French. The script holds no words of its
own; they come from the page (templates/forum/_live_strings.html)."""

import re

from playwright.sync_api import Page, expect

from forum import services as forum_services
from tests.e2e.browser import sign_in


def _open_live(page: Page, url: str, *subscriptions: str) -> None:
    """Until the server has confirmed each subscription: an open socket alone may not be
    in the thread's group yet, and a reply written then arrives by catching up, which
    announces a count instead of the author."""
    page.goto(url)
    page.wait_for_function(
        "wanted => window.porchlightLive && "
        "wanted.every(name => window.porchlightLive.subscribed.includes(name))",
        arg=list(subscriptions) or ["notices"],
    )
    page.evaluate("window.__sameDocument = true")


def test_a_french_visitor_sees_new_replies_counted_in_french(
    asgi_live_server, new_context, thread, other_member, staff
):
    server = asgi_live_server
    visitor = new_context(locale="fr-FR").new_page()
    _open_live(visitor, server.url + thread.get_absolute_url(), f"thread:{thread.pk}", "notices")
    expect(visitor.locator("html")).to_have_attribute("lang", "fr")
    count = visitor.locator("[data-reply-count]")
    expect(count).to_have_text("0 réponse")

    server.call(forum_services.post_create, thread=thread, author=other_member, body="Pareil ici.")
    expect(visitor.locator("article.post")).to_have_count(2)
    expect(count).to_have_text("1 réponse")
    said = visitor.get_by_role("status").filter(has_text="Nouvelle réponse de Priya.")
    expect(said).to_have_count(1)

    server.call(forum_services.post_create, thread=thread, author=staff, body="Corrigé.")
    expect(count).to_have_text("2 réponses")
    said = visitor.get_by_role("status").filter(has_text="Nouvelle réponse de Sam.")
    expect(said).to_have_count(1)
    assert visitor.evaluate("window.__sameDocument === true")


def test_a_member_reading_in_french_hears_the_bell_in_french(
    asgi_live_server, new_context, thread, member, other_member, moderator
):
    server = asgi_live_server
    context = new_context()
    jamie = context.new_page()
    sign_in(jamie, server, "jamie")
    context.set_extra_http_headers({"Accept-Language": "fr"})
    _open_live(jamie, server.url + "/")
    bell = jamie.locator("[data-notification-bell]")
    expect(bell.locator(".count")).to_have_count(0)

    server.call(forum_services.post_create, thread=thread, author=moderator, body="@jamie merci.")
    expect(bell.locator(".count")).to_have_text("1")
    expect(bell.locator("[data-bell-unread]")).to_have_text("1 non lue")
    heard = jamie.get_by_role("status").filter(has_text=re.compile(r"^1 notification non lue\.$"))
    expect(heard).to_have_count(1)

    server.call(forum_services.post_create, thread=thread, author=other_member, body="Idem.")
    expect(bell.locator("[data-bell-unread]")).to_have_text("2 non lues")
    heard = jamie.get_by_role("status").filter(has_text="2 notifications non lues.")
    expect(heard).to_have_count(1)
    assert jamie.evaluate("window.__sameDocument === true")

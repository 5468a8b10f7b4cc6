"""The bell's unread count moves on an open page, without a reload: Morgan mentions Jamie,
Priya replies in his thread, and Jamie reads everything elsewhere; Jamie's page follows
each time, visibly and in the bell's accessible name. Priya's own open page hears none of
Jamie's counts."""

import re

from playwright.sync_api import Page, expect

from forum import services as forum_services
from forum.models import Notification
from forum.services.notifications import notifications_mark_all_read
from tests.e2e.browser import sign_in


def _open_live(page: Page, url: str) -> None:
    page.goto(url)
    # The member's group is joined before the socket is accepted: open means listening.
    page.wait_for_function(
        "() => !!(window.porchlightLive && window.porchlightLive.socket"
        " && window.porchlightLive.socket.readyState === 1)"
    )
    page.evaluate("window.__sameDocument = true")


def test_the_bell_count_follows_mentions_replies_and_reading(
    asgi_live_server, new_context, thread, member, other_member, moderator
):
    server = asgi_live_server
    jamie = new_context().new_page()
    sign_in(jamie, server, "jamie")
    priya = new_context().new_page()
    sign_in(priya, server, "priya")
    _open_live(jamie, server.url + "/")
    _open_live(priya, server.url + "/")
    jamie_bell = jamie.locator("[data-notification-bell]")
    priya_bell = priya.locator("[data-notification-bell]")
    expect(jamie_bell.locator(".count")).to_have_count(0)

    server.call(
        forum_services.post_create,
        thread=thread,
        author=moderator,
        body="@jamie could you attach the exported file?",
    )
    expect(jamie_bell.locator(".count")).to_have_text("1")
    expect(jamie_bell).to_have_accessible_name("Notifications 1 unread")
    expect(jamie_bell).to_have_class(re.compile(r"\bbell--unread\b"))

    server.call(forum_services.post_create, thread=thread, author=other_member, body="Same here.")
    expect(jamie_bell.locator(".count")).to_have_text("2")
    expect(jamie_bell).to_have_accessible_name("Notifications 2 unread")
    assert Notification.objects.filter(recipient=member, read_at=None).count() == 2

    server.call(notifications_mark_all_read, user=member)
    expect(jamie_bell.locator(".count")).to_have_count(0)
    expect(jamie_bell).to_have_accessible_name("Notifications")
    expect(jamie_bell).not_to_have_class(re.compile(r"\bbell--unread\b"))
    assert jamie.evaluate("window.__sameDocument === true")

    # Priya wrote the reply (no notification for her own post) and was never mentioned.
    expect(priya_bell.locator(".count")).to_have_count(0)
    assert priya.evaluate("window.__sameDocument === true")

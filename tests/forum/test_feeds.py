"""RSS and Atom feeds: each parses as XML with the right root, lists the expected posts
newest first, and never includes a hidden post."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import services
from moderation.services import post_hide

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _rss_items(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link").startswith("http://testserver/")
    return [
        {
            "title": item.findtext("title"),
            "link": item.findtext("link"),
            "guid": item.findtext("guid"),
            "description": item.findtext("description"),
            "author": item.findtext("{http://purl.org/dc/elements/1.1/}creator"),
            "pubdate": item.findtext("pubDate"),
        }
        for item in channel.findall("item")
    ]


def _atom_entries(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title")
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            "published": entry.findtext(f"{ATOM}published"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def conversation(make_thread, member, other_member, moderator, guidelines, boards, clock):
    """A Help thread with two visible replies and a hidden one, and a Bugs thread."""
    thread = make_thread(member, title="Export <drops> rows", body="It fails **every** time.")
    opening = thread.last_post
    clock.advance(minutes=1)
    first = services.post_create(thread=thread, author=other_member, body="Same here.")
    clock.advance(minutes=1)
    spam = services.post_create(thread=thread, author=other_member, body="Buy cheap pills")
    post_hide(actor=moderator, post=spam, rule_codes=["G1"])
    clock.advance(minutes=1)
    second = services.post_create(
        thread=thread, author=member, body="Fixed <script>alert(1)</script> after the update."
    )
    clock.advance(minutes=1)
    bug = make_thread(other_member, board=boards["bugs"], title="Crash on save", body="Boom.")
    return {
        "thread": thread,
        "opening": opening,
        "first": first,
        "spam": spam,
        "second": second,
        "bug": bug,
        "bug_post": bug.last_post,
    }


def _link(post) -> str:
    return f"http://testserver{post.get_absolute_url()}"


def test_board_rss_lists_latest_posts_newest_first_without_hidden_ones(client, conversation):
    c = conversation
    items = _rss_items(client.get(reverse("forum:board-feed-rss", args=["help"])))
    assert [item["link"] for item in items] == [
        _link(c["second"]),
        _link(c["first"]),
        _link(c["opening"]),
    ]
    assert items[2]["title"] == "Export <drops> rows"
    assert items[0]["title"] == "Re: Export <drops> rows"
    assert items[0]["guid"] == items[0]["link"]
    assert items[0]["pubdate"]
    assert "Jamie" in items[0]["author"]
    assert "<strong>every</strong>" in items[2]["description"]
    assert "<script" not in items[0]["description"]
    assert all("pills" not in (item["description"] or "") for item in items)


def test_board_atom_has_the_same_entries(client, conversation):
    c = conversation
    entries = _atom_entries(client.get(reverse("forum:board-feed-atom", args=["help"])))
    assert [entry["link"] for entry in entries] == [
        _link(c["second"]),
        _link(c["first"]),
        _link(c["opening"]),
    ]
    assert entries[0]["author"] == "Jamie"
    assert entries[0]["id"] == entries[0]["link"]
    assert entries[0]["published"]
    assert "Fixed" in entries[0]["summary"]


def test_board_feeds_list_only_that_boards_posts(client, conversation):
    items = _rss_items(client.get(reverse("forum:board-feed-rss", args=["bugs"])))
    assert [item["link"] for item in items] == [_link(conversation["bug_post"])]


@pytest.mark.parametrize("name", ["forum:thread-feed-rss", "forum:thread-feed-atom"])
def test_thread_feeds_list_the_threads_visible_posts(client, conversation, name):
    c = conversation
    response = client.get(reverse(name, args=[c["thread"].pk]))
    parse = _rss_items if name.endswith("rss") else _atom_entries
    links = [item["link"] for item in parse(response)]
    assert links == [_link(c["second"]), _link(c["first"]), _link(c["opening"])]


@pytest.mark.parametrize("name", ["forum:member-feed-rss", "forum:member-feed-atom"])
def test_member_feeds_list_their_visible_posts(client, conversation, name):
    c = conversation
    response = client.get(reverse(name, args=["priya"]))
    parse = _rss_items if name.endswith("rss") else _atom_entries
    links = [item["link"] for item in parse(response)]
    assert links == [_link(c["bug_post"]), _link(c["first"])]


def test_member_feed_urls_do_not_take_the_profile_path(conversation):
    assert reverse("forum:member-feed-rss", args=["priya"]) == "/feeds/u/priya/rss/"
    assert reverse("accounts:profile", args=["priya"]) == "/u/priya/"


def test_hidden_posts_stay_out_even_for_a_signed_in_moderator(client, conversation, moderator):
    client.force_login(moderator)
    for name, args in [
        ("forum:board-feed-rss", ["help"]),
        ("forum:thread-feed-rss", [conversation["thread"].pk]),
        ("forum:member-feed-rss", ["priya"]),
    ]:
        items = _rss_items(client.get(reverse(name, args=args)))
        assert _link(conversation["spam"]) not in [item["link"] for item in items]
    items = _rss_items(client.get(reverse("forum:search-feed-rss"), {"q": "pills"}))
    assert items == []


def test_search_feeds_follow_the_query_and_filters(client, conversation):
    c = conversation
    items = _rss_items(client.get(reverse("forum:search-feed-rss"), {"q": "fixed OR boom"}))
    assert [item["link"] for item in items] == [_link(c["bug_post"]), _link(c["second"])]
    filtered = _atom_entries(
        client.get(reverse("forum:search-feed-atom"), {"q": "fixed OR boom", "board": "bugs"})
    )
    assert [entry["link"] for entry in filtered] == [_link(c["bug_post"])]
    by_author = _rss_items(
        client.get(reverse("forum:search-feed-rss"), {"q": "fixed OR boom", "author": "jamie"})
    )
    assert [item["link"] for item in by_author] == [_link(c["second"])]


@pytest.mark.parametrize("query", ["", "x" * 201, '"', "🔥", "AND OR NOT"])
def test_a_search_feed_for_a_query_the_page_would_refuse_is_valid_and_empty(client, db, query):
    items = _rss_items(client.get(reverse("forum:search-feed-rss"), {"q": query}))
    assert items == []


def test_feeds_for_missing_things_are_404(client, db):
    assert client.get(reverse("forum:board-feed-rss", args=["nope"])).status_code == 404
    assert client.get(reverse("forum:thread-feed-atom", args=[999999])).status_code == 404
    assert client.get(reverse("forum:member-feed-rss", args=["nobody"])).status_code == 404


def test_feed_queries_do_not_grow_with_items(
    client, make_thread, member, other_member, django_assert_max_num_queries
):
    for n in range(10):
        thread = make_thread(member, title=f"Thread {n}", body="Body")
        services.post_create(thread=thread, author=other_member, body="Reply")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("forum:board-feed-rss", args=["help"]))
    assert len(_rss_items(response)) == 20
    with django_assert_max_num_queries(4):
        response = client.get(reverse("forum:search-feed-rss"), {"q": "reply"})
    assert len(_rss_items(response)) == 10


def test_board_thread_and_profile_pages_advertise_their_feeds(client, thread, member):
    """Feed readers discover the feeds from the pages (<link rel="alternate">)."""
    import re as _re

    pages = {
        thread.board.get_absolute_url(): f"/b/{thread.board.slug}/feed/",
        thread.get_absolute_url(): f"/t/{thread.pk}/feed/",
        member.get_absolute_url(): f"/feeds/u/{member.username}/",
    }
    for page, feed_prefix in pages.items():
        html = client.get(page + ("?page=1" if "/t/" in page else "")).content.decode()
        links = _re.findall(
            r'<link rel="alternate" type="application/(rss|atom)\+xml"[^>]*href="([^"]+)"', html
        )
        assert {kind for kind, _ in links} == {"rss", "atom"}, page
        for _, href in links:
            assert href.startswith(feed_prefix), href
            assert client.get(href).status_code == 200


# --- The whole site: the newest threads, announced on the front page ---------------------


@pytest.fixture
def hidden_thread(make_thread, other_member, moderator, conversation, clock):
    clock.advance(minutes=1)
    thread = make_thread(other_member, title="Cheap pills here", body="Buy cheap pills now")
    post_hide(actor=moderator, post=thread.last_post, rule_codes=["G1"])
    thread.refresh_from_db()
    assert thread.is_hidden
    return thread


def test_site_feed_lists_the_newest_threads_of_every_board(client, conversation, hidden_thread):
    c = conversation
    items = _rss_items(client.get(reverse("forum:site-feed-rss")))
    # Opening posts only, newest thread first, from Bugs and Help; the hidden thread and
    # every reply left out.
    assert [item["link"] for item in items] == [_link(c["bug_post"]), _link(c["opening"])]
    assert [item["title"] for item in items] == ["Crash on save", "Export <drops> rows"]
    assert all("pills" not in (item["description"] or "") for item in items)


def test_site_atom_feed_has_the_same_entries(client, conversation, hidden_thread):
    c = conversation
    entries = _atom_entries(client.get(reverse("forum:site-feed-atom")))
    assert [entry["link"] for entry in entries] == [_link(c["bug_post"]), _link(c["opening"])]


def test_site_feed_addresses():
    assert reverse("forum:site-feed-rss") == "/feed/rss/"
    assert reverse("forum:site-feed-atom") == "/feed/atom/"


def test_front_page_announces_the_site_feeds(client, conversation):
    head = client.get("/").content.decode().split("</head>")[0]
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Latest threads (RSS)" '
        'href="/feed/rss/">' in head
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Latest threads (Atom)" '
        'href="/feed/atom/">' in head
    )


def test_front_page_and_site_feed_stay_cached_for_visitors(settings, conversation):
    settings.PAGE_CACHE_ENABLED = True
    for url in ("/", "/feed/rss/"):
        first = Client().get(url)
        with CaptureQueriesContext(connection) as queries:
            second = Client().get(url)
        assert len(queries) == 0, url
        assert second.content.count(b"/feed/") == first.content.count(b"/feed/")
    assert b'href="/feed/rss/"' in Client().get("/").content

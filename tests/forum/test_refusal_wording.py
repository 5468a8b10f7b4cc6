"""A blocked member reads the block once per page, and the way to appeal reads as words
("appeal this block"), not as a bare path."""

import re

from django.template import Context, Template
from django.urls import reverse

from moderation.services import block_create, post_hide


def _block(moderator, member):
    return block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Insults."
    )


def test_the_new_thread_page_says_the_block_once(client, moderator, member, guidelines):
    action = _block(moderator, member)
    client.force_login(member)
    for method in ("get", "post"):
        response = getattr(client, method)("/b/help/new/", {"title": "Hi", "body": "Kept text"})
        html = response.content.decode()
        assert response.status_code == 403, method
        assert html.count("blocked from posting until") == 1, method
        assert html.count("You can still read, sign in") == 1, method
        appeal = f'<a href="/moderation/appeals/new/{action.pk}/">appeal this block</a>'
        assert html.count(appeal) == 1, method
        assert f">/moderation/appeals/new/{action.pk}/<" not in html
    # Other pages have no refusal of their own: the notice is there, once.
    html = client.get("/b/help/").content.decode()
    assert html.count("blocked from posting until") == 1
    assert 'class="notice notice--block"' in html


def test_appeal_paths_read_as_words_and_other_paths_as_themselves(moderator, member, guidelines):
    action = _block(moderator, member)
    template = Template("{% load porchlight %}{{ text|link_paths }}")

    def render(text):
        return template.render(Context({"text": text}))

    path = f"/moderation/appeals/new/{action.pk}/"
    assert render(
        f"Blocked from posting <for now>. If you think this is a mistake, you can appeal at {path}."
    ) == (
        "Blocked from posting &lt;for now&gt;. If you think this is a mistake, "
        f'<a href="{path}">appeal this block</a>.'
    )
    banned = render(f"This account is banned as spam. If you think so, you can appeal at {path}.")
    assert f'<a href="{path}">appeal this ban</a>.' in banned
    assert "appeal at" not in banned
    # A path without words is still a link, spelled out.
    assert (
        render("Read /guidelines/ first.") == 'Read <a href="/guidelines/">/guidelines/</a> first.'
    )
    assert re.search(r"<a [^>]*>", render("No paths here.")) is None


def test_the_inbox_words_appeal_addresses_and_links_others(
    client, settings, moderator, member, thread, guidelines
):
    settings.SITE_URL = "https://forum.example.com"
    hide = post_hide(actor=moderator, post=thread.posts.get(), rule_codes=["G3"], note="Rephrase.")
    block = _block(moderator, member)
    client.force_login(member)
    html = client.get(reverse("moderation:inbox")).content.decode()
    assert f'<a href="/moderation/appeals/new/{hide.pk}/">appeal this decision</a>' in html
    assert f'<a href="/moderation/appeals/new/{block.pk}/">appeal this block</a>' in html
    assert "https://forum.example.com/moderation/appeals/" not in html


def test_other_addresses_are_spelled_out_and_text_is_escaped(settings):
    settings.SITE_URL = "https://forum.example.com"
    template = Template("{% load porchlight %}{{ text|link_urls }}")
    html = template.render(
        Context({"text": 'See "https://example.org/a?b=1&c=2". <script>x</script>'})
    )
    assert html == (
        'See &quot;<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow">'
        "https://example.org/a?b=1&amp;c=2</a>&quot;. &lt;script&gt;x&lt;/script&gt;"
    )

"""Rendering has a bounded cost: the shapes that made Python-Markdown (and bleach's linkifier)
take seconds are pinned here by what they render to — capped nesting, brackets left as text,
every character kept — never by how long they take (bench/render.py measures that). Posts
too dense to render quickly are refused with a reason and the text is kept. Links and
images pointing at other hosts: protocol-relative links are made https, other hosts'
images become links, so readers' browsers never fetch them.
"""

import html as html_lib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from forum import services as forum_services
from forum.markup import (
    LINK_NESTING_MAX,
    LINK_REL,
    MARKUP_CHARS_MAX,
    MARKUP_PIECES_MAX,
    NESTING_MAX,
    OUTPUT_PIECES_MAX,
    RenderRefused,
    check_renderable,
    render_markdown,
)
from forum.services import validation
from tests.forum.test_markup_hostile import assert_safe


def text_of(html: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html_lib.unescape(re.sub(r"<[^>]*>", "", html))


# --- the shapes from the report and their relatives ------------------------------------------


def test_bracket_bomb_renders_as_its_own_text():
    source = "[" * 24_000 + "]" * 24_000
    html = render_markdown(source)
    assert_safe(html)
    assert "<a" not in html
    assert text_of(html) == source


@pytest.mark.parametrize(
    "source",
    [
        "[" * 50_000,
        "![" * 25_000,
        "[x][" * 12_500,
        "[[]" * 16_000,
        "![[" * 16_000,
    ],
    ids=["open-brackets", "image-openers", "reference-openers", "unbalanced", "image-nest"],
)
def test_unclosed_link_syntax_stays_text(source):
    html = render_markdown(source)
    assert_safe(html)
    assert "<a" not in html and "<img" not in html
    assert text_of(html) == source


def test_unclosed_link_addresses_stay_text():
    source = "[a](" * 12_000
    html = render_markdown(source)
    assert_safe(html)
    assert "<a" not in html
    assert text_of(html) == source


def test_parenthesis_run_before_an_address_links_only_the_address():
    html = render_markdown("(" * 20_000 + "https://example.com/x")
    assert html.count("<a ") == 1
    assert 'href="https://example.com/x"' in html


def test_link_text_nesting_is_capped():
    inside = "[" * (LINK_NESTING_MAX - 2) + "b" + "]" * (LINK_NESTING_MAX - 2)
    html = render_markdown(f"[a {inside}](https://example.com/)")
    assert html.count("<a ") == 1
    too_deep = "[" * LINK_NESTING_MAX + "b" + "]" * LINK_NESTING_MAX
    html = render_markdown(f"[a {too_deep}](https://example.com/)")
    # Not a link: the text stays as typed, only the bare address is linked.
    assert text_of(html) == f"[a {too_deep}](https://example.com/)"
    assert re.findall(r"<a [^>]*>([^<]*)</a>", html) == ["https://example.com/"]


def test_many_ordinary_links_all_link():
    source = " ".join(f"[link {n}](https://example.com/{n})" for n in range(2_000))
    html = render_markdown(source)
    assert html.count("<a ") == 2_000


def test_blockquote_nesting_is_capped_and_the_rest_is_text():
    html = render_markdown("> " * 5_000 + "deep")
    assert_safe(html)
    assert html.count("<blockquote>") <= NESTING_MAX
    assert "deep" in html
    assert text_of(html).count(">") >= 5_000 - NESTING_MAX


@pytest.mark.parametrize(
    "source",
    [
        "1. " * 15_000 + "x",
        "- " * 20_000 + "x",
        "> - " * 10_000 + "x",
        "".join("    " * depth + "- level\n" for depth in range(2_000)),
    ],
    ids=["ordered-inline", "bullets-inline", "quote-list", "indented"],
)
def test_list_nesting_is_capped(source):
    html = render_markdown(source)
    assert_safe(html)
    depth = max_depth(html, ("ul", "ol", "blockquote"))
    assert depth <= NESTING_MAX


def max_depth(html: str, tags: tuple[str, ...]) -> int:
    depth = deepest = 0
    for closing, tag in re.findall(r"<(/?)(\w+)", html):
        if tag in tags:
            depth += -1 if closing else 1
            deepest = max(deepest, depth)
    return deepest


def test_shallow_nesting_still_renders():
    html = render_markdown("> quoted\n>\n> > reply\n\n- a\n    - b\n        - c")
    assert html.count("<blockquote>") == 2
    assert html.count("<ul>") == 3


def test_unclosed_tag_run_is_shown_as_text():
    source = "<a" * 5_000
    html = render_markdown(source)
    assert_safe(html)
    assert "<a" not in html.replace("&lt;a", "")
    assert text_of(html) == source


def test_tags_whose_attributes_hold_a_less_than_sign_still_parse():
    html = render_markdown('<a href="https://example.com/" title="a<b">x</a>')
    assert html.count("<a ") == 1 and 'title="a&lt;b"' in html


def test_runs_of_headings_and_rules_keep_their_structure():
    html = render_markdown("title\n=====\n" * 2_000)
    assert html.count("<h1>") == 2_000
    html = render_markdown("x\n***\n" * 1_000)
    assert html.count("<hr>") == 1_000
    html = render_markdown("intro\n" + "line\n" * 3_000 + "# last")
    assert html.count("<h1>") == 1 and html.endswith("<h1>last</h1>")


def test_backtick_runs_keep_code_spans_working():
    html = render_markdown("".join("`" * n + "a" for n in range(1, 300)))
    assert_safe(html)
    html = render_markdown("use `a` and ``b ` c`` here")
    assert html == "<p>use <code>a</code> and <code>b ` c</code> here</p>"


# --- the structural caps: a clear refusal, never a slow render --------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "[" * 24_000 + "]" * 24_000,
        "*a" * 25_000,
        "&" * 50_000,
        "a  \n" * 12_500,
        "```\n" * 12_500,
    ],
    ids=["brackets", "emphasis", "ampersands", "line-breaks", "fences"],
)
def test_too_dense_text_is_refused_with_what_to_change(source):
    with pytest.raises(RenderRefused) as refused:
        check_renderable(source)
    message = str(refused.value)
    assert "Split it into two posts" in message
    assert "your text is kept below" in message
    assert f"{MARKUP_CHARS_MAX:,}" in message or f"{MARKUP_PIECES_MAX:,}" in message


def test_long_ordinary_posts_are_accepted():
    paragraph = (
        "It fails **every** time when I open [the docs](https://example.com/x); "
        "see `export --all` and https://example.com/y for more.\n\n"
    )
    check_renderable((paragraph * 400)[:50_000])
    check_renderable("```\n" + "plain log line without markup\n" * 1_600 + "```")


def test_a_long_pasted_json_document_in_a_fence_is_accepted():
    """A support forum's members paste logs and API responses: quotes and line breaks inside
    a code block are text to the sanitiser, not dense markup."""
    record = '{\n  "id": 1,\n  "name": "x_y",\n  "tags": ["a", "b"],\n  "value": null\n},\n'
    document = "```json\n[\n" + (record * 1_000)[:49_000] + "]\n```"
    check_renderable(document)
    rendered = render_markdown(document, mentions={})
    assert rendered.startswith('<pre><code class="language-json">')
    assert rendered.count("&quot;") == document.count('"')


def test_validate_body_turns_a_refusal_into_a_body_error():
    with pytest.raises(ValidationError) as refused:
        forum_services.validate_body("*a" * 20_000)
    assert "too many lines and formatting characters" in refused.value.message_dict["body"][0]


def test_dense_reply_is_refused_next_to_the_body_and_the_text_is_kept(client, member, thread):
    client.force_login(member)
    body = "*a" * 8_000  # under the character cap, over the markup cap
    response = client.post(f"/t/{thread.pk}/reply/", {"body": body, "submission_key": "k"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "too much formatting to show" in page
    assert html_lib.escape(body) in page or body in page
    assert thread.posts.count() == 1


def test_a_wall_of_addresses_is_refused_while_rendering_and_the_text_is_kept(
    client, member, thread
):
    body = "a.co " * 10_000  # no markup for Markdown; every word becomes a link
    check_renderable(body)
    with pytest.raises(RenderRefused, match=f"{OUTPUT_PIECES_MAX:,} pieces"):
        render_markdown(body)
    client.force_login(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": body, "submission_key": "k"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "too many links and too much formatting" in page
    assert body.strip() in page
    assert thread.posts.count() == 1


def test_dense_edit_is_refused_and_the_post_is_unchanged(client, member, thread):
    client.force_login(member)
    post = thread.posts.get()
    body = "_a_ " * 3_000
    response = client.post(f"/p/{post.pk}/edit/", {"title": thread.title, "body": body})
    assert response.status_code == 400
    assert "too much formatting to show" in response.content.decode()
    post.refresh_from_db()
    assert post.body != body and post.revision_count == 1


# --- rendering happens before the row lock ------------------------------------------------------


@pytest.fixture
def render_spy(monkeypatch):
    """Record, for each render a service does, whether a transaction was open at the time
    (the row lock is only ever taken inside one)."""
    calls: list[bool] = []
    real = validation.render_markdown

    def spy(source, **kwargs):
        calls.append(connection.in_atomic_block)
        return real(source, **kwargs)

    monkeypatch.setattr(validation, "render_markdown", spy)
    return calls


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_posts_are_rendered_before_any_transaction_or_lock(
    render_spy, member, other_member, help_board
):
    thread = forum_services.thread_create(
        board=help_board, author=member, title="Export drops rows", body="Opening **post**"
    )
    post = forum_services.post_create(thread=thread, author=other_member, body="A *reply*")
    forum_services.post_edit(post=post, editor=other_member, body="An edited *reply*")
    assert render_spy == [False, False, False]
    post.refresh_from_db()
    assert post.body_html == "<p>An edited <em>reply</em></p>"
    assert thread.posts.first().body_html == "<p>Opening <strong>post</strong></p>"


# --- links and images to other hosts -----------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "[x](//evil.example/path)",
        '<a href="//evil.example/path">x</a>',
        "[x](/\\evil.example/path)",
        '<a href="\\\\evil.example/path">x</a>',
        '<a href="/\n/evil.example/path">x</a>',
        '<a href="/&#9;/evil.example/path">x</a>',
        "[x](/&#x5C;evil.example/path)",
        "[x](///evil.example/path)",
    ],
    ids=[
        "markdown",
        "raw",
        "slash-backslash",
        "backslashes",
        "newline",
        "tab-reference",
        "backslash-reference",
        "three-slashes",
    ],  # fmt: skip
)
def test_protocol_relative_links_become_external_https_links(source):
    html = render_markdown(source)
    assert_safe(html)
    assert f'<a href="https://evil.example/path" rel="{LINK_REL}">x</a>' in html


def test_same_site_links_stay_relative():
    html = render_markdown("[thread](/t/12/) and [page](page/2)")
    assert f'<a href="/t/12/" rel="{LINK_REL}">thread</a>' in html
    assert f'<a href="page/2" rel="{LINK_REL}">page</a>' in html


@pytest.mark.parametrize(
    "source",
    [
        "![a cat](https://img.example/cat.png)",
        "![a cat](http://img.example/cat.png)",
        '<img src="https://img.example/cat.png" alt="a cat">',
        "![a cat](//img.example/cat.png)",
        '<img src="\\\\img.example/cat.png" alt="a cat">',
        "![a cat][pic]\n\n[pic]: https://img.example/cat.png",
    ],
    ids=["https", "http", "raw", "protocol-relative", "backslashes", "reference"],
)
def test_images_from_other_hosts_become_links(source):
    html = render_markdown(source)
    assert_safe(html)
    assert "<img" not in html
    link = re.search(r'<a href="(https?)://img\.example/cat\.png" ([^>]*)>([^<]*)</a>', html)
    assert link, html
    assert f'rel="{LINK_REL}"' in link.group(2)
    assert 'class="external-image"' in link.group(2)
    assert link.group(3) == "image: a cat (img.example)"


def test_image_without_alt_text_names_its_host():
    html = render_markdown("![](https://img.example/x.png)")
    assert ">image (img.example)</a>" in html


def test_image_inside_a_link_becomes_text_as_links_do_not_nest():
    html = render_markdown("[![logo](https://img.example/l.png)](https://example.com/)")
    assert "<img" not in html
    assert html.count("<a ") == 1
    assert f'<a href="https://example.com/" rel="{LINK_REL}">image: logo (img.example)</a>' in html


def test_only_attachments_on_our_own_site_stay_images():
    assert render_markdown("![chart](/media/chart.png)") == (
        f'<p><a href="/media/chart.png" class="external-image" rel="{LINK_REL}">'
        "image: chart</a></p>"
    )
    assert render_markdown("<img src=x alt=pic>") == (
        f'<p><a href="x" class="external-image" rel="{LINK_REL}">image: pic</a></p>'
    )
    assert render_markdown("<img alt=pic>") == "<p>image: pic</p>"
    assert render_markdown("![shot](/attachments/7/)") == (
        f'<p><a href="/attachments/7/" class="attachment" rel="{LINK_REL}">'
        '<img src="/attachments/7/thumbnail/" alt="shot" loading="lazy" class="attachment__image">'
        "</a></p>"
    )


def test_who_a_rendered_post_mentions_is_known_without_sanitising_it_again(monkeypatch):
    """Notifications ask who a new post mentions inside the post's transaction; the answer
    comes from the render done before it, not from a second pass."""
    from forum import markup
    from forum.mentions import mentioned_usernames

    render_markdown("Thanks @sam and @priya, mail me at me@example.com", mentions={})
    render_markdown("no one here, only me@example.com", mentions={})

    def forbidden(*args, **kwargs):
        raise AssertionError("sanitised a second time")

    monkeypatch.setattr(markup.render, "_clean", forbidden)
    assert mentioned_usernames("Thanks @sam and @priya, mail me at me@example.com") == [
        "sam",
        "priya",
    ]
    assert mentioned_usernames("no one here, only me@example.com") == []


# --- posts stored with an older pipeline ----------------------------------------------------------


def test_rerender_brings_older_posts_and_their_revisions_up_to_date(thread, member):
    from django.core.management import call_command

    from forum.markup import RENDER_VERSION
    from forum.models import Post, PostRevision

    post = forum_services.post_create(
        thread=thread, author=member, body="![cat](https://img.example/cat.png) [x](//evil.example)"
    )
    current = Post.objects.get(pk=post.pk).body_html
    old_html = (
        '<p><img alt="cat" src="https://img.example/cat.png"> <a href="//evil.example">x</a></p>'
    )
    Post.objects.filter(pk=post.pk).update(body_html=old_html, body_html_version=RENDER_VERSION - 1)
    PostRevision.objects.filter(post=post).update(body_html=old_html)
    untouched = thread.posts.exclude(pk=post.pk).get()

    call_command("rerender_posts", stdout=io.StringIO())

    post.refresh_from_db()
    assert post.body_html == current and "<img" not in current
    assert post.body_html_version == RENDER_VERSION
    assert PostRevision.objects.get(post=post).body_html == current
    assert Post.objects.get(pk=untouched.pk).body_html == untouched.body_html

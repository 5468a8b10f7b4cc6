"""@mentions: which names a post mentions (pure), which members that is (one query), and
the links the one Markdown pipeline stores for them — safe against the hostile corpus."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import user_create
from forum import services as forum_services
from forum.markup import LINK_REL, MENTIONS_MAX, RENDER_VERSION, render_markdown
from forum.mentions import mentioned_usernames, mentioned_users
from tests.forum.hostile_corpus import HOSTILE_CORPUS
from tests.forum.test_markup_hostile import assert_safe


def link(username: str, text: str | None = None) -> str:
    return f'<a href="/u/{username}/" class="mention" rel="{LINK_REL}">@{text or username}</a>'


# --- parsing: pure, no database ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@sam can you look?", ["sam"]),
        ("Thanks @sam.", ["sam"]),
        ("@sam, @priya: both of you", ["sam", "priya"]),
        ("(cc @sam) and [@priya] and “@alex”", ["sam", "priya", "alex"]),
        ("Hi **@sam**, _@priya_!", ["sam", "priya"]),
        ("@sam's answer fixed it", ["sam"]),
        ("line one\n@sam on the next line", ["sam"]),
        ("- first @sam\n- second @priya", ["sam", "priya"]),
        ("| who |\n|-----|\n| @sam |", ["sam"]),
        ("> @sam said so", ["sam"]),
        ("ask @mary.jones or @ops-team or @a_b+c", ["mary.jones", "ops-team", "a_b+c"]),
    ],
)
def test_mentions_are_found_where_people_write_them(body, expected):
    assert mentioned_usernames(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "write to sam@example.com",
        "write to (sam@example.com) or <sam@example.com>",
        "mail.me@example.com",
        "inline `@sam` code",
        "inline ``code with ` and @sam`` too",
        "```\n@sam in a fence\n```",
        "~~~python\nuser = '@sam'\n~~~",
        "text\n\n    @sam in an indented block",
        "<code>@sam</code> and <pre>@priya</pre>",
        "[@sam](https://example.com/) is a link",
        "see https://example.com/@sam/posts",
        "@@sam and @ sam and @",
        "café@sam 日本語@sam",
        "x&amp;@sam",
        "&lt;style&gt;@import",
        "no mention here at all",
    ],
)
def test_no_mention_in_addresses_code_links_or_words(body):
    assert mentioned_usernames(body) == []


def test_non_ascii_text_around_a_mention_and_non_ascii_usernames():
    assert mentioned_usernames("Привет, @sam! Ça va ? @ünal さん、@josé。") == [
        "sam",
        "ünal",
        "josé",
    ]


def test_names_are_deduplicated_case_insensitively_keeping_the_first_spelling():
    assert mentioned_usernames("@Sam @sam @SAM and @priya @Priya") == ["Sam", "priya"]


def test_one_post_mentions_at_most_the_cap():
    body = " ".join(f"@user{i}" for i in range(MENTIONS_MAX + 5))
    names = mentioned_usernames(body)
    assert MENTIONS_MAX == 20
    assert names == [f"user{i}" for i in range(MENTIONS_MAX)]


def test_a_mention_followed_by_an_address_is_one_username():
    # "@" is a username character (Django's rules), so this names the user "sam@example.com".
    assert mentioned_usernames("@sam@example.com") == ["sam@example.com"]


# --- members: one query ---------------------------------------------------------------------


@pytest.fixture
def people(make_user, staff, other_member):
    gone = make_user("gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])  # test data: a deactivated account
    return {"sam": staff, "priya": other_member}


def test_mentioned_users_are_active_members_matched_case_insensitively(people):
    with CaptureQueriesContext(connection) as ctx:
        users = mentioned_users("@PRIYA and @Sam, not @nobody, not @gone, again @priya")
    assert users == [people["priya"], people["sam"]]
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_no_query_without_a_mention():
    with CaptureQueriesContext(connection) as ctx:
        assert mentioned_users("no at-sign here") == []
        assert mentioned_users("only mail: sam@example.com and `@sam`") == []
    assert ctx.captured_queries == []


def test_exact_spelling_wins_when_two_accounts_differ_only_by_case(people):
    other_sam = user_create(username="Sam", email="Sam2@example.com", password="x" * 12)
    assert mentioned_users("@Sam") == [other_sam]
    assert mentioned_users("@sam") == [people["sam"]]
    assert mentioned_users("@SAM") == [people["sam"]]  # no exact match: the older account


# --- rendering: the one pipeline links mentions --------------------------------------------


def test_reply_links_mentioned_members_to_their_profiles(thread, member, people):
    post = forum_services.post_create(
        thread=thread, author=member, body="Thanks @sam, and @Priya: see `@sam`. @nobody?"
    )
    assert post.body_html == (
        f"<p>Thanks {link('sam')}, and {link('priya', 'Priya')}: see <code>@sam</code>. "
        "@nobody?</p>"
    )
    assert post.body_html_version == RENDER_VERSION
    assert_safe(post.body_html)


def test_edit_relinks_mentions(thread, member, people):
    post = forum_services.post_create(thread=thread, author=member, body="Hello all")
    forum_services.post_edit(post=post, editor=member, body="Hello @sam")
    post.refresh_from_db()
    assert link("sam") in post.body_html


def test_rendering_looks_members_up_with_one_query_and_none_without_mentions(people):
    with CaptureQueriesContext(connection) as ctx:
        html = render_markdown("@sam @priya @nobody @gone " + "@sam " * 30)
    assert len(ctx.captured_queries) == 1
    assert html.count('class="mention"') == 32
    assert "@gone" in html and link("gone") not in html
    with CaptureQueriesContext(connection) as ctx:
        render_markdown("plain **text**")
        render_markdown("mail sam@example.com, code `@sam`, [@sam](https://example.com/)")
    assert ctx.captured_queries == []


def test_given_mentions_need_no_query_and_only_listed_names_link(db):
    with CaptureQueriesContext(connection) as ctx:
        html = render_markdown("@Sam and @priya", mentions={"sam": "/u/sam/"})
    assert ctx.captured_queries == []
    assert html == f"<p>{link('sam', 'Sam')} and @priya</p>"


def test_mentions_past_the_cap_stay_text(db):
    names = [f"user{i}" for i in range(MENTIONS_MAX + 1)]
    html = render_markdown(
        " ".join(f"@{name}" for name in names), mentions={n: f"/u/{n}/" for n in names}
    )
    assert html.count('class="mention"') == MENTIONS_MAX
    assert html.endswith(f" @user{MENTIONS_MAX}</p>")


def test_a_typed_mention_lookalike_loses_its_class(db):
    html = render_markdown('<a class="mention" href="/u/alex/">@alex</a>', mentions={})
    assert html == f'<p><a href="/u/alex/" rel="{LINK_REL}">@alex</a></p>'


def test_mentions_are_not_linked_inside_attributes_links_or_code(db):
    mentions = {"sam": "/u/sam/"}
    html = render_markdown(
        '<a title="@sam" href="https://example.com/@sam">@sam</a> '
        "<kbd>@sam</kbd> <pre><code>@sam</code></pre>",
        mentions=mentions,
    )
    assert html.count('class="mention"') == 1  # the one in <kbd>
    assert f"<kbd>{link('sam')}</kbd>" in html


def test_text_around_a_linked_mention_stays_escaped(db):
    html = render_markdown(
        "Why does <script>@sam</script> & @sam <b>break</b>?", mentions={"sam": "/u/sam/"}
    )
    assert html == (
        f"<p>Why does &lt;script&gt;@sam&lt;/script&gt; &amp; {link('sam')} <b>break</b>?</p>"
    )
    assert_safe(html)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in HOSTILE_CORPUS])
def test_hostile_input_around_mentions_stays_safe(case):
    source = f"@sam {case.source} (@sam) {case.source}\n\n@sam"
    html = render_markdown(source, mentions={"sam": "/u/sam/"})
    assert_safe(html)
    assert html.startswith(f"<p>{link('sam')} ")

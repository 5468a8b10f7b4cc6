"""Search: the index kept on write, the query on both databases, the /search/ page.

Runs on SQLite (FTS5) by default and on PostgreSQL with DATABASE_URL=postgres://…; the few
vendor-specific tests say so with ``on_postgres`` / ``on_sqlite``."""

import importlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from forum import search as forum_search
from forum import services
from forum.models import Post
from forum.search import fts5_query, marked_snippet
from forum.selectors.search import search_posts
from forum.services.answers import answer_accept
from forum.services.search import search_vector
from moderation.services import post_hide

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "!!!",
    "?",
    '"',
    "''",
    '"unbalanced',
    'unbalanced"',
    '"" ""',
    "AND OR NOT",
    "OR",
    "NOT crash",
    "crash OR",
    "- -crash",
    "*",
    "crash*",
    "NEAR(crash export)",
    "title:crash",
    "^crash",
    "(crash",
    "crash)",
    "{crash}",
    "🔥🔥",
    "crash 🔥",
    "Ошибка",
    "ÉCRAN café",
    "C++",
    "don't",
    "'; DROP TABLE forum_post; --",
    "1' OR '1'='1",
    "%_%",
    "\\",
    "a\u0000b",
    "\ue000mark\ue001",
    "<script>alert(1)</script>",
    "x" * 200,
]


def _search(query, user=None, **filters):
    page = search_posts(query=query, user=user or AnonymousUser(), **filters)
    return page


def _post_ids(page) -> list[int]:
    return [hit.post.pk for hit in page.object_list]


def _reply(thread, author, body):
    return services.post_create(thread=thread, author=author, body=body)


# --- Finding things -------------------------------------------------------------------


def test_opening_post_is_found_by_title_and_by_body(make_thread, member):
    thread = make_thread(member, title="Printer queue stalls", body="Nothing prints after lunch.")
    opening = thread.last_post
    assert _post_ids(_search("printer")) == [opening.pk]
    assert _post_ids(_search("lunch")) == [opening.pk]
    assert _post_ids(_search("spreadsheet")) == []


def test_replies_are_found_and_carry_their_thread(make_thread, member, other_member):
    thread = make_thread(member, title="Sync is slow", body="Takes an hour.")
    reply = _reply(thread, other_member, "Turning off the firewall helped me.")
    page = _search("firewall")
    assert _post_ids(page) == [reply.pk]
    hit = page.object_list[0]
    assert hit.thread.pk == thread.pk
    assert hit.thread.board.slug == "help"
    assert hit.post.author.username == "priya"


def test_stemming_finds_other_forms_of_a_word(make_thread, member):
    thread = make_thread(member, title="Editor problem", body="The app crashes when I paste.")
    assert _post_ids(_search("crash")) == [thread.last_post.pk]
    assert _post_ids(_search("crashing")) == [thread.last_post.pk]


def test_every_word_must_match_and_phrases_or_and_minus_work(make_thread, member):
    a = make_thread(member, title="Export fails", body="The export to CSV fails on Mondays.")
    b = make_thread(member, title="Import fails", body="The import from CSV fails too.")
    assert set(_post_ids(_search("csv fails"))) == {a.last_post.pk, b.last_post.pk}
    assert _post_ids(_search("csv export")) == [a.last_post.pk]
    assert _post_ids(_search('"import from csv"')) == [b.last_post.pk]
    assert set(_post_ids(_search("mondays OR import"))) == {a.last_post.pk, b.last_post.pk}
    assert _post_ids(_search("csv -import")) == [a.last_post.pk]


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("café", "Le café du coin"),
        ("cafe", "Le café du coin"),
        ("CAFÉ", "the cafe menu"),
        ("Ошибка", "ошибка при экспорте"),
        ("экспорте", "Ошибка при экспорте"),
        ("C++", "The C++ SDK throws on start"),
        ("don't", "I don't see the button"),
        ("naïve", "A naive question"),
    ],
)
def test_non_ascii_and_punctuated_queries_find_their_posts(make_thread, member, query, body):
    thread = make_thread(member, title="Something odd", body=body)
    make_thread(member, title="Unrelated", body="Completely different words here.")
    assert _post_ids(_search(query)) == [thread.last_post.pk]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_query_raises_anything_but_a_validation_error(make_thread, member, query):
    make_thread(member, title="Crash on export", body="C++ SDK: Ошибка, café, don't *panic*")
    try:
        page = _search(query)
    except ValidationError as exc:
        assert set(exc.message_dict) == {"q"}
    else:
        for hit in page.object_list:
            assert re.sub(r"</?mark>", "", str(hit.snippet)).count("<") == 0


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_search_page_never_fails_whatever_is_typed(client, make_thread, member, query):
    make_thread(member, title="Crash on export", body="C++ SDK: Ошибка, café, don't *panic*")
    response = client.get(reverse("forum:search"), {"q": query})
    assert response.status_code in (200, 400)
    feed = client.get(reverse("forum:search-feed-rss"), {"q": query})
    # A NUL in an address is refused before any view (config.hostile), with the 400 page.
    assert feed.status_code == (400 if "\x00" in query else 200)


# --- Ranking ------------------------------------------------------------------------------


@on_postgres
def test_a_title_match_ranks_above_a_mention_in_a_body(make_thread, member, clock):
    in_title = make_thread(member, title="Keyboard shortcuts vanish", body="Since the update.")
    clock.advance(minutes=5)  # the body mention is newer, so only rank can put it second
    in_body = make_thread(member, title="Menus", body="My keyboard is fine, menus are not.")
    assert _post_ids(_search("keyboard")) == [in_title.last_post.pk, in_body.last_post.pk]


@on_postgres
def test_more_occurrences_rank_higher(make_thread, member, clock):
    once = make_thread(member, title="Report one", body="The battery drains. Other words.")
    clock.advance(minutes=5)
    thrice = make_thread(
        member, title="Report two", body="Battery drains, the battery is hot, battery dies."
    )
    page = _search("battery")
    assert _post_ids(page) == [thrice.last_post.pk, once.last_post.pk]
    assert page.object_list[0].rank > page.object_list[1].rank


@on_sqlite
def test_sqlite_ranks_a_title_match_first_too(make_thread, member, clock):
    in_title = make_thread(member, title="Keyboard shortcuts vanish", body="Since the update.")
    clock.advance(minutes=5)
    in_body = make_thread(member, title="Menus", body="My keyboard is fine, menus are not.")
    assert _post_ids(_search("keyboard")) == [in_title.last_post.pk, in_body.last_post.pk]


def test_equal_matches_are_newest_first(make_thread, member, clock):
    first = make_thread(member, title="Alpha", body="The widget froze.")
    clock.advance(minutes=1)
    second = make_thread(member, title="Beta", body="The widget froze.")
    assert _post_ids(_search("widget")) == [second.last_post.pk, first.last_post.pk]


# --- Snippets -------------------------------------------------------------------------------


def test_snippet_marks_the_match_and_escapes_everything_else(make_thread, member):
    make_thread(
        member,
        title="Odd output",
        body="Before <script>alert(1)</script> the printer said a < b & c > d, then stopped.",
    )
    snippet = str(_search("printer").object_list[0].snippet)
    assert "<mark>printer</mark>" in snippet
    assert re.findall(r"<[^>]*>", snippet) == ["<mark>", "</mark>"]
    assert "<script" not in snippet
    assert "&lt;" in snippet and "&amp;" in snippet


def test_marker_characters_typed_into_a_post_cannot_forge_markup(make_thread, member):
    make_thread(member, title="Markers", body="printer \ue000<b>bold\ue001 and \ue000 alone")
    snippet = str(_search("printer").object_list[0].snippet)
    assert re.findall(r"<[^>]*>", snippet).count("<b>") == 0
    assert snippet.count("<mark>") == snippet.count("</mark>")


def test_marked_snippet_keeps_only_mark_tags():
    html = marked_snippet('a <i>x</i> \ue000"hit"\ue001 \ue001stray\ue000 & end')
    assert html == "a &lt;i&gt;x&lt;/i&gt; <mark>&quot;hit&quot;</mark> stray &amp; end"


# --- Safe FTS5 queries (pure functions: every database) -----------------------------------


@pytest.mark.parametrize(
    ("typed", "fts"),
    [
        ("printer", '"printer"'),
        ("printer jam", '"printer" AND "jam"'),
        ("don't", '"don t"'),
        ("C++", '"C"'),
        ('"paper jam" tray', '"paper jam" AND "tray"'),
        ('"unbalanced quote', '"unbalanced quote"'),
        ("jam OR tray", '("jam" OR "tray")'),
        ("printer -laser", '"printer" NOT "laser"'),
        ("AND OR NOT", '("AND" OR "NOT")'),
        ("NEAR(a b)", '"NEAR a" AND "b"'),
        ("*", ""),
        ("-only", ""),
        ("Ошибка café", '"Ошибка" AND "café"'),
        ("'; DROP TABLE x; --", '"DROP" AND "TABLE" AND "x"'),
    ],
)
def test_what_people_type_becomes_a_quoted_fts5_query(typed, fts):
    assert fts5_query(typed) == fts


# --- Filters --------------------------------------------------------------------------------


def test_filter_by_board(make_thread, member, boards):
    help_thread = make_thread(member, title="Login loop", body="The login page loops.")
    bug = make_thread(member, board=boards["bugs"], title="Login bug", body="Loops forever.")
    assert _post_ids(_search("login", board="bugs")) == [bug.last_post.pk]
    assert _post_ids(_search("login", board=boards["help"])) == [help_thread.last_post.pk]


def test_filter_by_author_any_case(make_thread, member, other_member):
    mine = make_thread(member, title="Login loop", body="The login page loops.")
    make_thread(other_member, title="Login again", body="Login fails.")
    assert _post_ids(_search("login", author="JAMIE")) == [mine.last_post.pk]
    assert _post_ids(_search("login", author="nobody")) == []


def test_filter_by_dates_both_included(make_thread, member, clock):
    old = make_thread(member, title="Old login", body="login")
    clock.advance(days=3)
    new = make_thread(member, title="New login", body="login")
    old_day = old.created_at.date()
    new_day = new.created_at.date()
    assert _post_ids(_search("login", date_to=old_day)) == [old.last_post.pk]
    assert _post_ids(_search("login", date_from=new_day)) == [new.last_post.pk]
    assert set(_post_ids(_search("login", date_from=old_day, date_to=new_day))) == {
        old.last_post.pk,
        new.last_post.pk,
    }
    between = {"date_from": old_day + timedelta(days=1), "date_to": new_day - timedelta(days=1)}
    assert _post_ids(_search("login", **between)) == []


def test_filter_by_help_state_and_bug_status(make_thread, member, staff, boards):
    solved = make_thread(member, title="Login solved", body="login")
    question = solved.last_post
    answer = _reply(solved, staff, "Clear the login cookie.")
    answer_accept(thread=solved, post=answer, actor=member)
    waiting = make_thread(member, title="Login waiting", body="login")
    bug = make_thread(member, board=boards["bugs"], title="Login bug", body="login")
    assert set(_post_ids(_search("login", status="solved"))) == {
        question.pk,
        answer.pk,
    }
    assert _post_ids(_search("login", status="unsolved")) == [waiting.last_post.pk]
    assert _post_ids(_search("login", status="new")) == [bug.last_post.pk]
    with pytest.raises(ValidationError):
        _search("login", status="nonsense")


# --- Who sees what ------------------------------------------------------------------------


def test_hidden_posts_are_found_only_by_moderators(
    make_thread, member, other_member, moderator, guidelines
):
    thread = make_thread(member, title="Toaster", body="The toaster burns bread.")
    reply = _reply(thread, other_member, "Buy my toaster at spam.example")
    post_hide(actor=moderator, post=reply, rule_codes=["G1"])
    opening = Post.objects.get(thread=thread, position=1)
    assert _post_ids(_search("toaster")) == [opening.pk]
    assert _post_ids(_search("toaster", user=member)) == [opening.pk]
    assert _post_ids(_search("toaster", user=other_member)) == [opening.pk]
    assert set(_post_ids(_search("toaster", user=moderator))) == {opening.pk, reply.pk}


def test_hidden_opening_post_is_not_found_by_title(make_thread, member, moderator, guidelines):
    thread = make_thread(member, title="Cheap watches here", body="spam spam")
    post_hide(actor=moderator, post=thread.last_post, rule_codes=["G1"])
    assert _post_ids(_search("watches", user=member)) == []
    assert _post_ids(_search("watches", user=moderator)) == [thread.last_post.pk]


# --- The index follows edits -----------------------------------------------------------------


def test_an_edit_reindexes_the_post(make_thread, member, other_member):
    thread = make_thread(member, title="Router", body="My modem blinks orange.")
    reply = _reply(thread, other_member, "Have you tried a paperclip reset?")
    services.post_edit(post=reply, editor=other_member, body="Try the factory reset button.")
    assert _post_ids(_search("paperclip")) == []
    assert _post_ids(_search("factory")) == [reply.pk]


def test_a_title_edit_reindexes_the_opening_post(make_thread, member):
    thread = make_thread(member, title="Router blinks", body="Orange light.")
    opening = thread.last_post
    services.post_edit(post=opening, editor=member, body="Orange light.", title="Modem blinks")
    assert _post_ids(_search("router")) == []
    assert _post_ids(_search("modem")) == [opening.pk]


def test_a_rolled_back_post_leaves_nothing_in_the_index(make_thread, member):
    from django.db import transaction

    thread = make_thread(member, title="Router", body="Orange light.")
    with pytest.raises(RuntimeError), transaction.atomic():
        _reply(thread, member, "A zeppelin appeared.")
        raise RuntimeError
    assert _post_ids(_search("zeppelin")) == []


@on_postgres
def test_migration_backfill_writes_the_vector_index_post_writes(make_thread, member, other_member):
    from django.apps import apps
    from django.db import connection as db

    migration = importlib.import_module("forum.migrations.0006_search_index")
    thread = make_thread(member, title="Café résumé Ошибка", body="Crashes, don't — C++ naïve")
    _reply(thread, other_member, "A second post: exporting crashes")
    before = dict(Post.objects.values_list("pk", "search_vector"))
    Post.objects.update(search_vector=None)
    with db.schema_editor(atomic=False) as editor:
        migration._pg_backfill(apps, editor)
    after = dict(Post.objects.values_list("pk", "search_vector"))
    assert after == before
    assert all(before.values())


@on_postgres
def test_the_gin_index_exists_on_postgres(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'forum_post' AND indexname = %s",
            ["post_search_vector_gin"],
        )
        (definition,) = cursor.fetchone()
    assert "gin (search_vector)" in definition.lower()


@on_postgres
def test_the_title_is_weighted_a_and_the_body_b(make_thread, member):
    thread = make_thread(member, title="Crash", body="Export")
    vector = Post.objects.values_list("search_vector", flat=True).get(pk=thread.last_post_id)
    assert re.search(r"'crash':\d+A", vector) and re.search(r"'export':\d+B", vector)
    assert "'export':1A" not in vector
    assert vector == Post.objects.annotate(
        expected=search_vector(title="Crash", body="Export")
    ).values_list("expected", flat=True).get(pk=thread.last_post_id)


@on_sqlite
def test_sqlite_keeps_an_fts5_row_per_post(make_thread, member, other_member):
    thread = make_thread(member, title="Router", body="Orange light.")
    opening = thread.last_post
    reply = _reply(thread, other_member, "Blue light.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, title, body FROM forum_post_fts WHERE rowid IN (%s, %s) ORDER BY rowid",
            [opening.pk, reply.pk],
        )
        rows = cursor.fetchall()
    assert rows == [(opening.pk, "Router", "Orange light."), (reply.pk, "", "Blue light.")]


@on_sqlite
def test_without_fts5_the_search_falls_back_to_every_word_matching(
    make_thread, member, monkeypatch
):
    monkeypatch.setattr(forum_search, "sqlite_fts_ready", lambda using="default": False)
    thread = make_thread(member, title="Printer", body="The <b>printer</b> jams on tray 2.")
    make_thread(member, title="Scanner", body="The scanner jams.")
    page = _search("PRINTER jams")
    assert _post_ids(page) == [thread.last_post.pk]
    snippet = str(page.object_list[0].snippet)
    assert "<mark>printer</mark>" in snippet and "&lt;b&gt;" in snippet


# --- The page ---------------------------------------------------------------------------------


def test_search_page_without_a_query_invites_one(client, db):
    response = client.get(reverse("forum:search"))
    assert response.status_code == 200
    assert b"Type a word or two above" in response.content


@pytest.mark.parametrize("query", ["", "   ", "?!"])
def test_an_empty_query_says_what_to_do(client, db, query):
    response = client.get(reverse("forum:search"), {"q": query})
    assert response.status_code == 400
    assert "Type a word or two to search" in response.content.decode()


def test_an_overlong_query_is_refused_and_kept_in_the_box(client, db):
    query = "printer " * 30
    response = client.get(reverse("forum:search"), {"q": query})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Searches can be at most 200 characters" in html
    assert 'value="' + query.strip() in html


def test_results_page_lists_hits_with_board_author_date_and_marked_snippet(
    client, make_thread, member
):
    make_thread(member, title="Printer jams", body="The printer jams on tray 2 <em>always</em>.")
    response = client.get(reverse("forum:search"), {"q": "printer"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 result" in html
    assert "Printer jams" in html and "Help" in html and "Jamie" in html
    assert "<mark>printer</mark>" in html.lower()
    assert "<em>always" not in html
    assert 'type="application/rss+xml"' in html
    assert reverse("forum:search-feed-atom") + "?q=printer" in html


def test_no_results_says_so_and_suggests_what_to_try(client, make_thread, member):
    make_thread(member, title="Printer jams", body="The printer jams.")
    response = client.get(reverse("forum:search"), {"q": "zebra", "board": "help"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No results" in html and "Nothing matches with these filters" in html
    assert "removing a filter" in html


def test_pagination_keeps_the_query_and_filters(client, make_thread, member, settings):
    for n in range(forum_search.RESULTS_PER_PAGE + 2):
        make_thread(member, title=f"Printer {n}", body="printer trouble")
    response = client.get(reverse("forum:search"), {"q": "printer", "board": "help"})
    html = response.content.decode()
    assert "page=2" in html
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1)
    assert "q=printer" in next_link and "board=help" in next_link
    second = client.get(reverse("forum:search") + next_link.replace("&amp;", "&"))
    assert second.status_code == 200
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 2


def test_bad_filters_are_shown_next_to_their_fields(client, db):
    response = client.get(
        reverse("forum:search"),
        {"q": "printer", "board": "nope", "date_from": "2024-13-01", "status": "x"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"board", "date_from", "status"}


def test_dates_in_the_wrong_order_are_refused(client, db):
    response = client.get(
        reverse("forum:search"),
        {"q": "printer", "date_from": "2024-05-02", "date_to": "2024-05-01"},
    )
    assert response.status_code == 400
    assert "before the start date" in response.context["form"].errors["date_to"][0]


def test_search_page_query_count_does_not_grow_with_results(
    client, make_thread, member, other_member, django_assert_max_num_queries
):
    for n in range(12):
        thread = make_thread(member, title=f"Printer {n}", body="printer trouble")
        _reply(thread, other_member, "printer fixed")
    client.force_login(member)
    # session + user, boards for the filter, candidates, page, notices and the header's
    # extras
    with django_assert_max_num_queries(10):
        response = client.get(reverse("forum:search"), {"q": "printer"})
    assert len(response.context["page"].object_list) == 20


def test_header_has_a_labelled_search_box(client, db):
    html = client.get(reverse("forum:board-index")).content.decode()
    assert 'role="search"' in html
    assert '<label for="site-search" class="visually-hidden">Search the forum</label>' in html
    assert f'action="{reverse("forum:search")}"' in html

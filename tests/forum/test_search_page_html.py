"""The search page's HTML: the form's fields written out in the template, and each hit's
links worked out once per page, give the same HTML as the field template and the models'
own URLs. Runs on SQLite (FTS5) and on PostgreSQL with DATABASE_URL=postgres://…."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from forum import services

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<div class="field[^"]*">.*?</div>', re.S)


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def _form_fields(html: str) -> str:
    start = html.index('class="search-form"')
    form = html[start : html.index("</form>", start)]
    return _squeeze("".join(FIELD.findall(form)))


@pytest.mark.parametrize(
    "asked",
    [
        {},
        {"q": "printer"},
        {"q": 'a "quoted" <b>&amp; phrase</b>'},
        {"q": " "},
        {
            "q": "printer",
            "board": "bugs",
            "author": "@Jamie",
            "date_from": "2026-01-02",
            "date_to": "2026-02-03",
            "status": "solved",
        },
        {"q": "printer", "board": "", "status": "wont_fix", "author": "O'Brien <x>"},
        {"q": "printer", "board": "nowhere", "status": "sideways"},
        {"q": "printer", "date_from": "2026-13-45", "date_to": "yesterday"},
        {"q": "printer", "date_from": "2026-03-01", "date_to": "2026-02-01"},
        {"q": "x" * 201, "author": "a" * 151},
    ],
)
def test_the_form_writes_its_fields_as_the_field_template_would(client, boards, asked):
    response = client.get(reverse("forum:search"), asked)
    form = response.context["form"]
    expected = "".join(render_to_string("includes/field.html", {"field": field}) for field in form)
    assert _form_fields(response.content.decode()) == _squeeze(expected)


def test_a_valid_form_renders_no_field_or_widget_template(client, boards):
    response = client.get(
        reverse("forum:search"), {"q": "printer", "board": "bugs", "status": "solved"}
    )
    names = {template.name for template in response.templates}
    assert "includes/field.html" not in names
    assert not any(name.startswith("django/forms/widgets/") for name in names)
    assert 'value="bugs" selected' in response.content.decode()


def test_each_hit_links_to_its_post_and_its_board(
    client, make_thread, member, other_member, boards
):
    asked = make_thread(member, board=boards["bugs"], title="Printer jams", body="The printer.")
    make_thread(member, title="Printer offline", body="No printer here.")
    services.post_create(thread=asked, author=other_member, body="Try another printer.")
    response = client.get(reverse("forum:search"), {"q": "printer"})
    hits = response.context["page"].object_list
    assert len(hits) == 3
    html = response.content.decode()
    for hit in hits:
        assert hit.url == hit.post.get_absolute_url()
        assert hit.board_url == hit.thread.board.get_absolute_url()
        assert f'<a href="{hit.url}">' in html
        assert f'<a href="{hit.board_url}">{hit.thread.board.name}</a>' in html

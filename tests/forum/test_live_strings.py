"""The words the live script writes (reply counts, new-reply notes, bell and queue counts)
come from the page, in the reader's language; the script itself holds none of them."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation


class _Words(HTMLParser):
    """The page's <template id="live-strings">, as {data-key: text}."""

    def __init__(self):
        super().__init__()
        self.words = {}
        self._inside = False
        self._key = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template" and attrs.get("id") == "live-strings":
            self._inside = True
        elif self._inside and tag == "span":
            self._key = attrs.get("data-key")
            self.words[self._key] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._inside = False
        self._key = None

    def handle_data(self, data):
        if self._key:
            self.words[self._key] += data


def _words(html: str) -> dict:
    parser = _Words()
    parser.feed(html)
    return parser.words


def _rendered(language: str) -> dict:
    with translation.override(language):
        return _words(Template("{% load live_strings %}{% live_strings %}").render(Context()))


def test_an_english_page_gives_the_script_its_words_with_each_count_form(client, thread):
    words = _words(client.get(thread.get_absolute_url()).content.decode())
    assert words["replies-0"] == "{n} replies"
    assert words["replies-1"] == "{n} reply"
    assert words["replies-2"] == "{n} replies"
    assert words["new-replies-link-2"] == "{n} new replies — show"
    assert words["unread-said-1"] == "{n} unread notification."
    assert words["open-items-2"] == "{n} open items"
    assert words["new-reply-from"] == "New reply from {name}."


def test_a_french_reader_gets_french_words_with_the_singular_for_zero(client, thread):
    page = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="fr"' in page.content.decode()
    words = _words(page.content.decode())
    assert words["replies-0"] == "{n} réponse"
    assert words["replies-1"] == "{n} réponse"
    assert words["replies-2"] == "{n} réponses"
    assert words["unread-2"] == "{n} non lues"
    assert words["new-reply-from"] == "Nouvelle réponse de {name}."


def test_each_language_keeps_its_own_copy_in_one_process():
    english, french, english_again = _rendered("en-gb"), _rendered("fr"), _rendered("en-gb")
    assert english == english_again
    assert english["someone"] == "someone"
    assert french["someone"] == "quelqu’un"


def test_the_script_carries_none_of_the_words_it_writes():
    source = (Path(settings.BASE_DIR) / "static/js/live.js").read_text()
    script = "\n".join(re.findall(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', source))
    for key, text in _rendered("en-gb").items():
        phrase = re.sub(r"\{\w+\}", "", text).strip(" .:—")
        for part in re.split(r"\s*—\s*", phrase):
            if " " in part:  # a phrase, not a one-word key that names it
                assert part not in script, f"live.js spells out {part!r} ({key})"

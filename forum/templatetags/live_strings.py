"""``{% live_strings %}``: the words static/js/live.js writes into a page, in the reader's
language (templates/forum/_live_strings.html).

Every page carries them, and rendering their twenty-odd translation tags costs over a
millisecond, so each language's copy is rendered once per process: it depends on nothing
but the language, and the catalogs are loaded once per process too."""

from django import template
from django.template.loader import render_to_string
from django.utils import translation

register = template.Library()

_RENDERED: dict[str, str] = {}


@register.simple_tag
def live_strings() -> str:
    language = translation.get_language() or ""
    html = _RENDERED.get(language)
    if html is None:
        html = _RENDERED[language] = render_to_string("forum/_live_strings.html")
    return html

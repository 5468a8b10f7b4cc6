"""``{% fixed_url %}`` prints what ``{% url %}`` prints for an address without
arguments, reversed once per process, yet under each script prefix its own."""

from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix


def render(source: str) -> str:
    return Template("{% load porchlight %}" + source).render(Context())


def test_it_prints_what_the_url_tag_prints():
    for name in ("forum:help", "forum:board-index", "account_login", "moderation:queue"):
        assert render(f"{{% fixed_url '{name}' %}}") == render(f"{{% url '{name}' %}}")


def test_each_script_prefix_has_its_own_address():
    before = get_script_prefix()
    assert render("{% fixed_url 'forum:help' %}") == "/help/"
    try:
        set_script_prefix("/forum/")
        assert render("{% fixed_url 'forum:help' %}") == "/forum/help/"
    finally:
        set_script_prefix(before)
    assert render("{% fixed_url 'forum:help' %}") == "/help/"

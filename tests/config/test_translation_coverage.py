"""Every word a person reads is translatable, and French has all of them.

(a) A heuristic over the templates: what is left once comments, template tags, variables,
scripts, styles and translated blocks are taken out must hold no words, and neither may
the attributes people read (title, alt, placeholder, aria-label, a button's value).
(b) The French catalog is complete: the messages extracted from the code right now all
have a French translation that is not fuzzy.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"

# Words that read the same in every language: names, formats, symbols.
ALLOWED_WORDS = {
    "Porchlight",
    "RSS",
    "Atom",
    "Markdown",
    "OpenID",
    "Connect",
    "JSON",
    "ZIP",
    "URL",
    "Français",
    "English",
}

_COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_COMMENT = re.compile(r"{#.*?#}", re.S)
_BLOCKTRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
_SCRIPT_STYLE = re.compile(r"<(script|style|svg)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"{%.*?%}", re.S)
_VARIABLE = re.compile(r"{{.*?}}", re.S)
_READ_ATTRIBUTES = re.compile(
    r"""\b(title|alt|placeholder|aria-label)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I
)
_BUTTON_VALUE = re.compile(
    r"""<input\b[^>]*\btype\s*=\s*["']?(?:submit|button)["']?[^>]*>""", re.I | re.S
)
_VALUE = re.compile(r"""\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ATTRIBUTE_PAIR = re.compile(r"""[\w-]+\s*=\s*(?:"[^"]*"|'[^']*')""")
_ENTITY = re.compile(r"&[#\w]+;")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> list[str]:
    text = _ENTITY.sub(" ", text)
    return [word for word in _WORD.findall(text) if word not in ALLOWED_WORDS]


def untranslated_in(source: str, *, html: bool) -> list[tuple[int, str]]:
    """(line, text) of each piece of readable text left untranslated in a template."""

    def blank(match) -> str:
        # Keep the line count, so findings point at the right line.
        return "\n" * match.group(0).count("\n")

    text = _COMMENT_BLOCK.sub(blank, source)
    text = _COMMENT.sub(blank, text)
    text = _BLOCKTRANSLATE.sub(blank, text)
    text = _SCRIPT_STYLE.sub(blank, text)
    text = _TAG.sub(blank, text)
    text = _VARIABLE.sub(" ", text)
    found = []

    def line_of(index: int) -> int:
        return text.count("\n", 0, index) + 1

    if html:
        for match in _READ_ATTRIBUTES.finditer(text):
            value = match.group(2) if match.group(2) is not None else match.group(3)
            if _words(value):
                found.append((line_of(match.start()), f'{match.group(1)}="{value}"'))
        for match in _BUTTON_VALUE.finditer(text):
            value = _VALUE.search(match.group(0))
            if value and _words(value.group(1) or value.group(2) or ""):
                found.append((line_of(match.start()), match.group(0)))
        parts = re.split(r"(<[^>]*>)", text)
        index = 0
        for part in parts:
            # A fragment of attributes included inside a tag (data-x="{% translate … %}").
            part_text = _ATTRIBUTE_PAIR.sub(" ", part)
            if not part.startswith("<") and _words(part_text):
                found.append((line_of(index), " ".join(part_text.split())))
            index += len(part)
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if _words(line):
                found.append((number, line.strip()))
    return found


def _template_files():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt") and path.is_file():
            yield path


def test_the_checker_flags_plain_text_and_readable_attributes_only():
    source = (
        "{% load i18n %}{# a note #}{% comment %}Notes{% endcomment %}"
        '<p title="Hover text">{% translate "Fine" %} {{ name }}</p>'
        "{% blocktranslate trimmed %}Fine too {{ x }}{% endblocktranslate %}"
        '<script>const a = "words";</script><img alt="A picture">'
        '<input type="submit" value="Send it"><span>Porchlight</span><p>Left out</p>'
    )
    found = [text for _, text in untranslated_in(source, html=True)]
    assert found == ['title="Hover text"', 'alt="A picture"', found[2], "Left out"]
    assert 'value="Send it"' in found[2]


def test_every_template_string_is_marked_for_translation():
    problems = []
    for path in _template_files():
        source = path.read_text(encoding="utf-8")
        for line, text in untranslated_in(source, html=path.suffix == ".html"):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {text[:90]}")
    assert not problems, "Untranslated text in templates:\n" + "\n".join(problems)


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not _in_ci(),
    reason="GNU gettext (xgettext) is not installed; CI installs it",
)
def test_the_french_catalog_translates_every_message(tmp_path):
    from babel.messages.pofile import read_po

    copy = tmp_path / "site"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "test-artifacts", "*.mo", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"]
        + ["-i", ".venv/*", "-i", "var/*", "-i", "tests/*", "-i", "bench/*"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    with (copy / "locale" / "fr" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            where = " ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"{where}: {message.id!r}")
    assert not missing, f"{len(missing)} messages lack French:\n" + "\n".join(missing)

"""Refuse names that would let a member pass for the company's staff.

Roles are granted, never claimed: a member cannot call themselves "Support Team",
"Adm1n" or "ѕtaff" (Cyrillic s), nor borrow the name of an actual staff member.

Names are compared by a lossy *key*, never shown or stored:

1. NFKC, so fullwidth and ligature forms become ordinary letters;
2. the Unicode confusable skeleton (UTS #39, from ``confusables.txt`` via glyphguard),
   with case folding, so a letter from any script that looks like a Latin one is that
   Latin letter ("ɑ" → "a", "ο" → "o", "ꜱ" → "s", "m" → "rn");
3. accents dropped, so "Ádmin" is still "admin";
4. digits and symbols read as the letters people use them for ("4dm1n", "$taff"):
   a spelling trick rather than a look-alike glyph, which confusables.txt leaves alone;
5. everything that is not a letter or digit dropped, so "S.T.A.F.F" and "a d m i n"
   close up — letters of every script are kept, so two different Japanese names never
   reduce to the same empty key.

The key keeps letters it does not recognise, so ordinary names in any script (José,
Łukasz, 山田, Αλέξης, Сергей, محمد) pass unless they spell a reserved word.
"""

import re
import unicodedata
from functools import cache
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy

from accounts.roles import Role

# Words only people the company has given a role may use in a name. Sign-up also refuses
# ACCOUNT_USERNAME_BLACKLIST, and each role's own name ("staff", "moderator", "admin").
RESERVED_WORDS = ("staff", "admin", "moderator", "mod", "support", "official", "porchlight")

# Short words that hide inside ordinary ones ("modern", "model"): reserved only as a
# whole word of the name.
WHOLE_WORD_ONLY = frozenset({"mod"})

# Spelling a word with digits and symbols ("4dm1n", "$taff", "m0d") is not a look-alike
# glyph, so confusables.txt does not cover it. The skeleton already reads "0" as "o" and
# "1", "I" and "|" as "l"; "l" is read as "i" so "adm1n" and "admin" meet.
_SPELLING_TRICKS = str.maketrans(
    {
        "l": "i",
        "!": "i",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "+": "t",
        "8": "b",
        "9": "g",
    }
)

# Case folding can reveal a character the skeleton maps only in the other case, and the
# skeleton can produce capitals ("0" → "O"): a few rounds reach a fixed point.
_MAX_FOLD_ROUNDS = 4


def _skeleton(text: str) -> str:
    # Imported here: the confusables table costs ~0.1 s to load, which only the sign-up
    # and profile forms should pay, not every process start.
    from glyphguard.confusables import skeleton

    return skeleton(text)


def name_key(name: str) -> str:
    """The comparison key of a name (see the module docstring). Never display it."""
    text = unicodedata.normalize("NFKC", name)
    for _ in range(_MAX_FOLD_ROUNDS):
        folded = _skeleton(text).casefold()
        if folded == text:
            break
        text = folded
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = text.translate(_SPELLING_TRICKS)
    return "".join(ch for ch in text if _is_word_character(ch))


def _is_word_character(ch: str) -> bool:
    # Letters, digits and the marks that are part of a letter in many scripts
    # (Devanagari vowel signs); spaces, punctuation, symbols and invisible format
    # characters separate words.
    return unicodedata.category(ch)[0] in "LNM"


def _collapse_repeats(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def _words(name: str) -> list[str]:
    """The name split at spaces, punctuation and symbols, in any script."""
    text = unicodedata.normalize("NFKC", name)
    return ["".join(run) for is_word, run in groupby(text, key=_is_word_character) if is_word]


@cache
def _pattern_for(word: str) -> re.Pattern[str]:
    """A regex over keys that finds ``word`` spelled with any letter repeated
    ("staaaff"), but not with a doubled letter halved: "Gustaf" is a name, not "staff"."""
    runs = re.findall(r"((.)\2*)", name_key(word))
    return re.compile("".join(f"{re.escape(char)}{{{len(run)},}}" for run, char in runs))


def reserved_words() -> tuple[str, ...]:
    words = {
        *RESERVED_WORDS,
        *(word.lower() for word in getattr(settings, "ACCOUNT_USERNAME_BLACKLIST", ())),
        *(role.value for role in Role if role != Role.MEMBER),
    }
    return tuple(sorted(words))


def reserved_word_in(name: str) -> str | None:
    """The reserved word a name imitates, or None."""
    key = name_key(name)
    word_keys: list[str] | None = None
    for word in reserved_words():
        if word in WHOLE_WORD_ONLY:
            if word_keys is None:
                word_keys = [_collapse_repeats(name_key(w)) for w in _words(name)]
            if _collapse_repeats(name_key(word)) in word_keys:
                return word
            continue
        if _pattern_for(word).search(key):
            return word
    return None


def names_look_alike(first: str, second: str) -> bool:
    """Whether two names read the same once look-alike letters, case, accents, spacing
    and repeated letters are set aside. A name of symbols alone looks like nothing."""
    first_key = _collapse_repeats(name_key(first))
    second_key = _collapse_repeats(name_key(second))
    return bool(first_key) and first_key == second_key


# The kinds of name a refusal talks about, in the reader's words.
_FIELD_WORDS = {
    "username": pgettext_lazy("kind of name", "username"),
    "display name": pgettext_lazy("kind of name", "display name"),
    "display_name": pgettext_lazy("kind of name", "display name"),
    "name": pgettext_lazy("kind of name", "name"),
}


def validate_member_name(name: str, *, staff_names: list[str], field: str = "name") -> None:
    """Raise ValidationError when a member's name imitates staff, with what to do instead."""
    field = str(_FIELD_WORDS.get(field, field))
    word = reserved_word_in(name)
    if word:
        raise ValidationError(
            gettext(
                "This %(field)s looks like “%(word)s”, which only people the "
                "company has given that role may use, so members can always tell "
                "who speaks for the company. Please choose a %(field)s without "
                "it."
            )
            % {"field": field, "word": word},
            code="impersonates_role",
        )
    for staff_name in staff_names:
        if names_look_alike(name, staff_name):
            raise ValidationError(
                gettext(
                    "This %(field)s is too close to “%(staff_name)s”, a member of our "
                    "staff. Please choose one that is clearly your own."
                )
                % {"field": field, "staff_name": staff_name},
                code="impersonates_staff",
            )

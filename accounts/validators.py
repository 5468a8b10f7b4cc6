"""Refuse names that would let a member pass for the company's staff.

Roles are granted, never claimed: a member cannot call themselves "Support Team" or
"Adm1n", nor borrow the name of an actual staff member.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

RESERVED_WORDS = ("staff", "admin", "moderator", "mod", "support", "official", "porchlight")

# Look-alike characters people use to dodge a word filter, mapped to the letter they imitate.
_LOOKALIKES = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "!": "i",
        "|": "i",
        "l": "i",
        "3": "e",
        "4": "a",
        "@": "a",
        "5": "s",
        "$": "s",
        "7": "t",
        "+": "t",
        "8": "b",
        "9": "g",
        "а": "a",  # Cyrillic
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "ѕ": "s",
        "і": "i",
        "ԁ": "d",
        "м": "m",
        "т": "t",
        "ո": "n",
    }
)


def _skeleton(text: str) -> str:
    """Fold case, accents, look-alikes and separators so 'S.t-a_f F' and 'ѕtaff' match 'staff'."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.translate(_LOOKALIKES)
    folded = re.sub(r"(.)\1+", r"\1", folded)  # "staaff" -> "staf"
    return re.sub(r"[^a-z]", "", folded)


_RESERVED_SKELETONS = {word: _skeleton(word) for word in RESERVED_WORDS}


def reserved_word_in(name: str) -> str | None:
    """The reserved word a name imitates, or None."""
    skeleton = _skeleton(name)
    for word, word_skeleton in _RESERVED_SKELETONS.items():
        # "mod" is only reserved as a whole word; it hides inside "modern" or "model".
        if word == "mod":
            tokens = re.split(r"[^a-z0-9]+", unicodedata.normalize("NFKD", name).casefold())
            if any(_skeleton(token) == word_skeleton for token in tokens):
                return word
            continue
        if word_skeleton in skeleton:
            return word
    return None


def names_look_alike(first: str, second: str) -> bool:
    return bool(first) and bool(second) and _skeleton(first) == _skeleton(second)


def validate_member_name(name: str, *, staff_names: list[str], field: str = "name") -> None:
    """Raise ValidationError when a member's name imitates staff, with what to do instead."""
    word = reserved_word_in(name)
    if word:
        raise ValidationError(
            f"This {field} looks like “{word}”, which only people the company has given "
            f"that role may use, so members can always tell who speaks for the company. "
            f"Please choose a {field} without it.",
            code="impersonates_role",
        )
    for staff_name in staff_names:
        if names_look_alike(name, staff_name):
            raise ValidationError(
                f"This {field} is too close to “{staff_name}”, a member of our staff. "
                f"Please choose one that is clearly your own.",
                code="impersonates_staff",
            )

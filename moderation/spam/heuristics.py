"""Heuristics that explain themselves. Each takes plain values (the scoring service reads
the database through the selectors and passes what is needed) and returns a ``Signal``:
a weight in log-odds — added to the filter's, so +2.2 alone turns an unsure 0.5 into
0.9 — and the reason in words a moderator and the author can read. None means "nothing
to say"."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from moderation.spam.tokens import (
    FREE_MAIL,
    MESSENGER_NAMES,
    TOLL_FREE_RE,
    contact_handles,
    email_domains,
    is_shouting,
    phone_numbers,
)


@dataclass(frozen=True)
class Signal:
    weight: float
    reason: str


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def domain_is_known(domain: str, known: set[str]) -> bool:
    parts = domain.split(".")
    return any(".".join(parts[i:]) in known for i in range(len(parts) - 1))


def links_from_new_account(
    domains: list[str], *, new_account: bool, known_domains: set[str]
) -> Signal | None:
    """Links are how spam pays; a new account's links to sites this forum does not know
    are suspicious, known ones (the product's docs, GitHub…) much less so."""
    if not new_account or not domains:
        return None
    unknown = sorted({d for d in domains if not domain_is_known(d, known_domains)})
    weight = 0.4 * min(len(domains), 5) + 1.6 * min(len(unknown), 3)
    if not unknown:
        return Signal(
            weight, f"A new account's post with {_plural(len(domains), 'link', 'links')}."
        )
    return Signal(
        weight,
        f"A new account's post with {_plural(len(domains), 'link', 'links')}, "
        f"to {_plural(len(unknown), 'site', 'sites')} this forum does not know: "
        + ", ".join(unknown[:3])
        + (" …" if len(unknown) > 3 else "")
        + ".",
    )


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())[:400]
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def repeated_text(body: str, recent_texts: list[str], *, min_words: int = 6) -> Signal | None:
    """The same text posted again and again (three-word shingles, 80 % alike) is the
    pattern of a bot; a short "thanks, that fixed it" is not counted."""
    if len(re.findall(r"\w+", body)) < min_words:
        return None
    mine = _shingles(body)
    repeats = 0
    for other in recent_texts:
        theirs = _shingles(other)
        if theirs and len(mine & theirs) / len(mine | theirs) >= 0.8:
            repeats += 1
    if not repeats:
        return None
    return Signal(
        1.5 + 0.5 * min(repeats, 4),
        f"The same text was posted {_plural(repeats, 'time', 'times')} before in the past week.",
    )


def contact_offer(title: str, body: str, *, new_account: bool) -> Signal | None:
    """Spam that carries no link gets paid through a way to reach the sender instead: a
    messenger handle, an address at a free mail service, a toll-free number. From a new
    account that is suspicious; a company's own line or address is a weaker sign, which
    the learning filter weighs. Each kind counts once."""
    if not new_account:
        return None
    text = f"{title}\n{body}"
    apps = sorted({MESSENGER_NAMES[app] for app in contact_handles(text)})
    free_mail = sorted({d for d in email_domains(text) if d in FREE_MAIL})
    toll_free = [p for p in phone_numbers(text) if TOLL_FREE_RE.match(p)]
    parts, weight = [], 0.0
    if apps:
        weight += 1.5
        parts.append("a " + " and ".join(apps) + " contact to write to")
    if free_mail:
        weight += 1.0
        parts.append(f"an address at a free mail service ({', '.join(free_mail[:2])})")
    if toll_free:
        weight += 1.0
        parts.append("a toll-free number to call")
    if not parts:
        return None
    return Signal(
        min(weight, 2.5),
        "A new account's post gives " + ", ".join(parts) + " rather than a question.",
    )


def phone_in_title(title: str) -> Signal | None:
    """Real questions rarely put a phone number in the title; "support number" spam does."""
    if not phone_numbers(title):
        return None
    return Signal(2.5, gettext_noop("A phone number in the title."))


def shouting(title: str, body: str) -> Signal | None:
    loud_title = is_shouting(title, min_letters=10)
    loud_body = is_shouting(body, min_letters=40)
    if loud_title and loud_body:
        return Signal(1.5, gettext_noop("Title and text are written in capital letters."))
    if loud_title:
        return Signal(0.8, gettext_noop("The title is written in capital letters."))
    if loud_body:
        return Signal(0.8, gettext_noop("The text is written in capital letters."))
    return None


def blocked_domain_links(blocked: list[str]) -> Signal | None:
    """Decisive: the weight outvotes the filter and every other heuristic together."""
    if not blocked:
        return None
    return Signal(
        20.0, "Links to a domain the admins blocked: " + ", ".join(sorted(blocked)[:3]) + "."
    )


def established_author(*, age_days: int, posts: int, trusted_days: int, trusted_posts: int):
    """An account that has taken part for a while has earned some benefit of the doubt;
    a bought or hijacked one still gets caught by strong evidence."""
    if age_days >= trusted_days and posts >= trusted_posts:
        return Signal(-1.5, gettext_noop("The author has posted here for a while."))
    return None

"""Throwaway email addresses, refused at sign-up and email change.

An account whose address stops working an hour later can't be recovered, be told about
a block, or be reached by staff; throwaway inboxes are also what sign-up bots use. Two
sources decide whether a domain is throwaway:

- the ``disposable-email-domains`` package (a maintained list of some 10,000 domains),
  used while ``ACCOUNT_REFUSE_DISPOSABLE_EMAIL`` is on (the default);
- admins' ``EmailDomainRule`` rows: "refuse" adds a domain (it applies even with the
  setting off), "allow" exempts one the list names.

A domain matches its own rules and its parents' (``x.mailinator.com`` is covered by
``mailinator.com``), and the most specific answer wins, so an admin can exempt one
subdomain of a refused domain or refuse one of an allowed one.
"""

import functools

from django.conf import settings
from django.utils.translation import gettext

from accounts.models import EmailDomainRule


def normalise_domain(value: str) -> str:
    """``Mailinator.COM.``, ``@mailinator.com`` and ``*.mailinator.com`` are all
    ``mailinator.com``; a non-ASCII domain is kept in its ASCII (punycode) form, the one
    mail and the shipped list use."""
    domain = value.strip().lower().lstrip("@").removeprefix("*.").strip(".")
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


@functools.cache
def _shipped_list() -> frozenset[str]:
    # Imported on first use: a set of ~10,000 strings that most processes never need.
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


def _suffixes(domain: str) -> list[str]:
    """``a.b.example.com`` → ``[a.b.example.com, b.example.com, example.com, com]``."""
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def throwaway_domain(email: str) -> str | None:
    """The domain of ``email`` (normalised) if addresses there are refused as throwaway,
    else None. One query, for the domain and its parents."""
    _, _, domain = email.rpartition("@")
    domain = normalise_domain(domain)
    if not domain:
        return None
    suffixes = _suffixes(domain)
    rules = dict(
        EmailDomainRule.objects.filter(domain__in=suffixes).values_list("domain", "verdict")
    )
    use_list = settings.ACCOUNT_REFUSE_DISPOSABLE_EMAIL
    for suffix in suffixes:  # most specific first
        verdict = rules.get(suffix)
        if verdict == EmailDomainRule.Verdict.ALLOW:
            return None
        if verdict == EmailDomainRule.Verdict.REFUSE:
            return domain
        if use_list and suffix in _shipped_list():
            return domain
    return None


def throwaway_message(domain: str) -> str:
    return gettext(
        "Addresses at %(domain)s are throwaway addresses; use an address "
        "you will keep so you can recover your account."
    ) % {"domain": domain}

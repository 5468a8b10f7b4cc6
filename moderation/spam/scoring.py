"""The one spam score: what live posting and ``manage.py spamcheck`` both call.

The learning filter's probability is turned into log-odds, each heuristic adds its
weight, Akismet (when configured and answering) adds its own, and the sum is turned back
into a probability. Every contribution that moved the score comes back as a reason in
plain words. Reads only: scoring never writes."""

import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_noop

from moderation.spam import bayes, heuristics, selectors
from moderation.spam.akismet import AkismetVerdict, akismet_check
from moderation.spam.policy import spam_policy
from moderation.spam.tokens import link_domains, tokenize

AKISMET_WEIGHTS = {
    AkismetVerdict.SPAM: (4.0, gettext_noop("Akismet says this is spam.")),
    AkismetVerdict.DISCARD: (6.0, gettext_noop("Akismet says this is blatant spam.")),
    AkismetVerdict.HAM: (-1.5, gettext_noop("Akismet says this is not spam.")),
}
# The filter's probability is kept off 0 and 1 so that strong heuristics can still
# outvote it either way.
FILTER_CLAMP = 0.002
CLUES_SHOWN = 5


@dataclass(frozen=True)
class SpamVerdict:
    spam: bool
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"spam": self.spam, "score": self.score, "reasons": list(self.reasons)}


def known_domains() -> set[str]:
    known = {d.lower().removeprefix("www.") for d in settings.SPAM_KNOWN_DOMAINS}
    site_host = (urlsplit(settings.SITE_URL).hostname or "").removeprefix("www.")
    if site_host:
        known.add(site_host)
        # forum.acme.com: the company's own acme.com (docs, status page) is known too.
        if site_host.count(".") >= 2 and not site_host.replace(".", "").isdigit():
            known.add(site_host.split(".", 1)[1])
    return known


def _logit(p: float) -> float:
    p = min(max(p, FILTER_CLAMP), 1 - FILTER_CLAMP)
    return math.log(p / (1 - p))


def _filter_reason(result: bayes.BayesResult) -> str:
    percent = round(result.score * 100)
    if result.score >= 0.5 and result.spam_clues:
        clues = [bayes.describe_token(t) for t, p in result.spam_clues[:CLUES_SHOWN]]
        return (
            f"The learning filter rates it {percent} % likely spam, for " + ", ".join(clues) + "."
        )
    if result.score < 0.5 and result.ham_clues:
        clues = [bayes.describe_token(t) for t, p in result.ham_clues[:CLUES_SHOWN]]
        return (
            f"The learning filter rates it {percent} % likely spam; it reads like other posts "
            "here, for " + ", ".join(clues) + "."
        )
    return f"The learning filter rates it {percent} % likely spam."


def spam_score(
    *,
    title: str,
    body: str,
    author_age_days: int,
    author_posts: int,
    author=None,
    ip: str | None = None,
    user_agent: str | None = None,
    use_akismet: bool = True,
    exclude_post_id: int | None = None,
    policy=None,
) -> SpamVerdict:
    """Score a post (a new thread's title and body, or a reply's body with an empty
    title). ``author`` (optional) lets the repeated-text heuristic read their recent
    posts; pass ``exclude_post_id`` when scoring an edit so the post is not compared with
    itself; ``policy``, the admins' policy when the caller read it already. At most four
    queries; Akismet is asked only when ``AKISMET_API_KEY`` is set and ``use_akismet`` is
    true, and its failure changes nothing but its absence."""
    title, body = title or "", body or ""
    tokens = tokenize(title=title, body=body)
    counts = bayes.combined_counts(tokens, selectors.learned_token_counts(tokens))
    result = bayes.classify(tokens, counts)

    domains = link_domains(title) + link_domains(body)
    # "New" is what the admins' policy calls not yet trusted, so the links heuristic and
    # the policy that holds new accounts' posts never disagree.
    policy = policy if policy is not None else spam_policy()
    new_account = not policy.is_trusted(age_days=author_age_days, posts=author_posts)
    recent = (
        selectors.author_recent_texts(author=author, exclude_post_id=exclude_post_id)
        if author is not None
        else []
    )
    signals = [
        heuristics.blocked_domain_links(selectors.blocked_domains(domains) if domains else []),
        heuristics.links_from_new_account(
            domains, new_account=new_account, known_domains=known_domains()
        ),
        heuristics.repeated_text(body, recent),
        heuristics.contact_offer(title, body, new_account=new_account),
        heuristics.phone_in_title(title),
        heuristics.shouting(title, body),
        heuristics.established_author(
            age_days=author_age_days,
            posts=author_posts,
            trusted_days=settings.SPAM_TRUSTED_DAYS,
            trusted_posts=settings.SPAM_TRUSTED_POSTS,
        ),
    ]
    if use_akismet:
        verdict = akismet_check(
            title=title,
            body=body,
            ip=ip,
            user_agent=user_agent,
            author_name=getattr(author, "username", "") if author is not None else "",
            author_email=getattr(author, "email", "") if author is not None else "",
        )
        if verdict is not None:
            signals.append(heuristics.Signal(*AKISMET_WEIGHTS[verdict]))
    signals = sorted((s for s in signals if s is not None), key=lambda s: -s.weight)

    log_odds = _logit(result.score) + sum(s.weight for s in signals)
    score = round(1.0 / (1.0 + math.exp(-log_odds)), 4)
    reasons = [s.reason for s in signals if s.weight > 0]
    reasons.append(_filter_reason(result))
    reasons += [s.reason for s in signals if s.weight <= 0]
    return SpamVerdict(spam=score >= settings.SPAM_HOLD_THRESHOLD, score=score, reasons=reasons)

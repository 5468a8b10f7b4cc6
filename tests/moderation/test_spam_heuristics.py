"""Each heuristic moves the score, says why in plain words, and stays quiet when it has
nothing to say; the tokeniser produces the features the filter counts."""

import pytest

from forum import services as forum_services
from moderation.models import BlockedDomain
from moderation.spam import heuristics
from moderation.spam.scoring import spam_score
from moderation.spam.tokens import MAX_TOKENS, link_domains, phone_numbers, tokenize

pytestmark = pytest.mark.django_db

NEW = {"author_age_days": 0, "author_posts": 0}
OLD = {"author_age_days": 400, "author_posts": 60}
PLAIN_BODY = "The export stops halfway through and the file is empty when it finishes."


def score(**kwargs):
    kwargs.setdefault("title", "Export stops halfway")
    kwargs.setdefault("body", PLAIN_BODY)
    for key, value in NEW.items():
        kwargs.setdefault(key, value)
    return spam_score(use_akismet=False, **kwargs)


def reasons_with(verdict, words):
    return [reason for reason in verdict.reasons if words in reason]


# --- Tokeniser -------------------------------------------------------------------------


def test_tokens_cover_words_domains_phones_money_caps_and_title():
    tokens = tokenize(
        title="CALL +1-888-555-0199 NOW",
        body="ÜBER GÜNSTIG, JETZT KAUFEN: $5,000 A WEEK AT https://www.Cheap-Pills.biz/buy Café",
    )
    assert "title:phone:tollfree" in tokens
    assert "title:call" in tokens
    assert "domain:cheap-pills.biz" in tokens and "tld:biz" in tokens
    assert "money:amount" in tokens and "money:large" in tokens
    assert "caps:shouting" in tokens
    assert "café" in tokens and "über" in tokens and "günstig" in tokens  # lower-cased
    assert "buy" not in tokens  # a URL's path is not words


def test_log_dates_and_versions_are_not_phone_numbers():
    assert phone_numbers("2024-05-02 10:14:07,221 ERROR at 10.0.12.155") == []
    assert phone_numbers("call 1 (888) 555-0199 or +44 20 7946 0958") == [
        "18885550199",
        "442079460958",
    ]


def test_token_count_is_capped_for_huge_posts():
    body = " ".join(f"word{i}x" for i in range(50_000))
    assert len(tokenize(title="t", body=body)) == MAX_TOKENS


def test_chinese_text_becomes_character_pairs():
    assert "退款" in tokenize(body="请问如何申请退款")


# --- Links from new accounts -----------------------------------------------------------


def test_new_accounts_links_to_unknown_sites_raise_the_score_and_name_the_sites():
    base = score()
    linked = score(body=PLAIN_BODY + " See https://fix-it-now.shop and http://free-tool.top/x")
    assert linked.score > base.score
    (reason,) = reasons_with(linked, "new account")
    assert "fix-it-now.shop" in reason and "free-tool.top" in reason and "2 links" in reason


def test_links_to_known_sites_count_far_less():
    unknown = heuristics.links_from_new_account(
        ["weird.example"], new_account=True, known_domains={"github.com"}
    )
    known = heuristics.links_from_new_account(
        ["docs.github.com"], new_account=True, known_domains={"github.com"}
    )
    assert known.weight < unknown.weight
    assert "does not know" not in known.reason


def test_links_from_an_established_account_are_not_held_against_it():
    verdict = score(body=PLAIN_BODY + " See https://fix-it-now.shop", **OLD)
    assert reasons_with(verdict, "new account") == []
    assert reasons_with(verdict, "posted here for a while")


def test_the_sites_own_domain_and_its_companys_are_known(settings):
    settings.SITE_URL = "https://forum.acme.example"
    verdict = score(
        body=PLAIN_BODY + " Like https://forum.acme.example/t/12 and https://docs.acme.example say."
    )
    assert not any("does not know" in reason for reason in verdict.reasons)
    assert any("new account" in reason for reason in verdict.reasons)


def test_email_addresses_are_tokens_by_domain_not_words():
    tokens = tokenize(body="write to fastloan.credit@gmail.com today")
    assert "email:gmail.com" in tokens
    assert "fastloan" not in tokens


# --- Repeated text ---------------------------------------------------------------------


def test_the_same_text_posted_again_by_the_author_raises_the_score(member, help_board):
    text = "Our team offers the fastest repair for every laptop model, visit us today please"
    first = score(body=text, author=member)
    for n in range(2):
        forum_services.thread_create(board=help_board, author=member, title=f"Offer {n}", body=text)
    again = score(body=text, author=member)
    assert again.score > first.score
    assert reasons_with(again, "posted 2 times before")


def test_a_short_thanks_repeated_is_not_suspicious(member, help_board):
    forum_services.thread_create(board=help_board, author=member, title="Thanks", body="Thanks!")
    assert heuristics.repeated_text("Thanks!", ["Thanks!"]) is None


def test_an_edit_is_not_compared_with_itself(member, help_board):
    text = "Our team offers the fastest repair for every laptop model, visit us today please"
    thread = forum_services.thread_create(
        board=help_board, author=member, title="Laptop repair", body=text
    )
    verdict = score(body=text, author=member, exclude_post_id=thread.posts.get().pk)
    assert reasons_with(verdict, "posted") == []


# --- Phone numbers in titles, capitals -------------------------------------------------


def test_a_phone_number_in_the_title_raises_the_score():
    base = score(title="Support line for billing")
    phone = score(title="Support line +1 415 555 0134")
    assert phone.score > base.score
    assert reasons_with(phone, "phone number in the title")
    assert reasons_with(base, "phone number in the title") == []


def test_a_phone_number_in_the_body_alone_is_not_the_title_heuristic():
    verdict = score(body="The contact page lists +1 415 555 0134 but nobody answers.")
    assert reasons_with(verdict, "phone number in the title") == []


def test_capital_letters_raise_the_score_and_short_acronyms_do_not():
    loud = score(title="EXPORT STOPS HALFWAY", body=PLAIN_BODY.upper())
    assert reasons_with(loud, "Title and text are written in capital letters")
    assert loud.score > score().score
    assert heuristics.shouting("HTTP 500 on API", "JSON and CSV fail with HTTP 502.") is None
    assert "title is written in capital" in heuristics.shouting("EXPORT IS BROKEN", "ok").reason


# --- Blocked domains -------------------------------------------------------------------


def test_a_link_to_a_blocked_domain_or_its_subdomain_is_spam():
    body = PLAIN_BODY + " Details: https://shop.bad-pharma.example/x"
    assert not score(body=body, **OLD).spam
    BlockedDomain.objects.create(domain="bad-pharma.example", note="pill spam")
    verdict = score(body=body, **OLD)
    assert verdict.spam
    assert verdict.reasons[0] == "Links to a domain the admins blocked: bad-pharma.example."


def test_blocked_domains_are_read_in_one_query(django_assert_num_queries):
    BlockedDomain.objects.create(domain="bad-pharma.example")
    body = " ".join(f"https://a{i}.bad-pharma.example/" for i in range(30))
    # Learned counts, blocked domains, and the admins' policy (then cached).
    with django_assert_num_queries(3):
        score(body=body)


def test_link_domains_drop_www_and_ports():
    assert link_domains("at http://WWW.Example.com:8080/a and www.other.org.") == [
        "example.com",
        "other.org",
    ]


# --- The verdict -----------------------------------------------------------------------


def test_obvious_spam_is_spam_and_a_risky_support_post_is_not():
    spam = score(
        title="QuickBooks Support Number +1-888-555-0199",
        body="Call QuickBooks customer care +1-888-555-0199 for instant help 24/7, "
        "certified experts. Visit https://best-qb-help.xyz",
    )
    ham = score(
        title="Charged twice, need a refund",
        body="I was charged $49 twice in March. The billing docs at "
        "https://docs.porchlight.example/billing/invoices don't say how to get a refund.",
    )
    assert spam.spam and spam.score >= 0.9
    assert not ham.spam and ham.score < 0.5
    assert all(isinstance(reason, str) and reason for reason in spam.reasons + ham.reasons)


def test_scoring_a_members_post_costs_three_queries(member, django_assert_num_queries):
    body = PLAIN_BODY + " " + " ".join(f"https://site{i}.example/" for i in range(20))
    score(body="warm up", author=member)  # the admins' policy is read once, then cached
    with django_assert_num_queries(3):  # learned counts, blocked domains, recent posts
        score(body=body, author=member)

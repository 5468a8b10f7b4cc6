"""The tokeniser finds links written without http:// (and leaves file names, versions
and code alone), contact handles, free-mail addresses and money per period; the
heuristic built on contact handles says why in plain words."""

import pytest

from moderation.spam import heuristics
from moderation.spam.bayes import describe_token
from moderation.spam.policy import count_links
from moderation.spam.scoring import spam_score
from moderation.spam.tokens import (
    contact_handles,
    email_domains,
    link_domains,
    link_urls,
    phone_numbers,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("visit dealz-kart.shop for best offers", ["dealz-kart.shop"]),
        ("cheap pills here: pillz-4u.top", ["pillz-4u.top"]),
        ("order at linkbuilder-pro.shop today", ["linkbuilder-pro.shop"]),
        ("go to www.hostcheap-1.online now", ["hostcheap-1.online"]),
        ("msg t.me/usdt_double and wa.me/447700900123", ["t.me", "wa.me"]),
        ("check bit.ly/3xFree", ["bit.ly"]),
        ("quote at punemovers.co.in or loan-jaldi.in", ["punemovers.co.in", "loan-jaldi.in"]),
        ("网址 www.gaofang-biao.com。货到付款", ["gaofang-biao.com"]),
        ("see github.com/porchlight/sdk-python", ["github.com"]),
    ],
)
def test_bare_domains_are_links(text, domains):
    assert link_domains(text) == domains


@pytest.mark.parametrize(
    "text",
    [
        "This is our config.yaml and settings.py, also docker-compose.yml and README.md.",
        "With node.js 20 the SDK fails in index.js; index.html shows version 3.13.",
        "Upgraded from 4.9.8 to 5.0.1, e.g. the worker; i.e. porchlight/worker:3.14.2.",
        "deploy-prod.sh, heap.hprof, agents.csv and model.pt are attached.",
        "logger.info(msg) fails and this.store is undefined; java.io.File too.",
        "It works now.Thanks, fixed.it was a typo. Dr. Okoro, U.S. office.",
        "Write to jane.doe@gmail.com about it.",
        "at 10.0.12.7 port 5432 and 1.2.3.4",
    ],
)
def test_file_names_versions_code_and_emails_are_not_links(text):
    assert link_domains(text) == []


def test_bare_domains_count_as_links_for_the_policy_and_tokens():
    text = "wow amazing!!! visit bestdeals4u.club and https://x.example/a"
    assert link_urls(text) == ["bestdeals4u.club", "https://x.example/a"]
    assert count_links(text) == 2
    tokens = tokenize(body=text)
    assert "domain:bestdeals4u.club" in tokens and "tld:club" in tokens
    assert "has:link" in tokens
    assert "bestdeals4u" not in tokens  # a link is not words


@pytest.mark.parametrize(
    ("text", "apps"),
    [
        ("Jual obat, WA 0812 3456 7890", ["whatsapp"]),
        ("DM me on telegram @fastcash_king", ["telegram"]),
        ("DM @verifyagency on Telegram.", ["telegram"]),
        ("WhatsApp +234 803 555 0192 for followers", ["whatsapp"]),
        ("Contact skype: live:verified.accs", ["skype"]),
        ("Wechat: lux_bags888", ["wechat"]),
        ("加微信 lunwen668", ["wechat"]),
        ("Liên hệ Zalo 0912 345 678", ["zalo"]),
        ("message us wa.me/447700900123", ["whatsapp"]),
    ],
)
def test_contact_handles_are_found(text, apps):
    assert contact_handles(text) == apps


@pytest.mark.parametrize(
    "text",
    [
        "Do you have an official integration with the WhatsApp Business API?",
        "Is there a way to connect a Telegram bot so customers can open tickets?",
        "Our phone setup used Skype for Business, which Microsoft retired.",
        "The signal: strong, the wifi is fine.",
    ],
)
def test_naming_a_messenger_is_not_a_contact_handle(text):
    assert contact_handles(text) == []


def test_free_mail_spelled_out_addresses_and_money_per_period():
    assert email_domains("write jamesrecovery at gmail dot com or x@Mail.ru") == [
        "mail.ru",
        "gmail.com",
    ]
    tokens = tokenize(body="I earn $500 a day, email me: rich@gmail.com")
    assert {"email:gmail.com", "email:freemail", "money:rate", "money:amount"} <= set(tokens)
    assert "email:freemail" not in tokenize(body="Send invoices to finance@acme-corp.co.uk")
    assert "money:rate" not in tokenize(body="We were charged $49 twice in March.")


def test_link_anchor_words_are_tokens():
    tokens = tokenize(body="great post! [cheap loans](https://loanfast-now.xyz)")
    assert {"has:anchor", "anchor:cheap", "anchor:loans", "domain:loanfast-now.xyz"} <= set(tokens)


def test_dotted_north_american_numbers_are_phones_but_versions_are_not():
    assert phone_numbers("ring the desk at 1.855.404.2282") == ["18554042282"]
    assert phone_numbers("upgraded 1.22.333.4444.5 and 10.0.12.155.2") == []


def test_contact_offer_speaks_for_new_accounts_only():
    signal = heuristics.contact_offer(
        "Loan offer", "Contact us: fastloan@gmail.com, WhatsApp +1 571 455 8022", new_account=True
    )
    assert signal.weight > 0
    assert "WhatsApp contact" in signal.reason and "free mail service (gmail.com)" in signal.reason
    assert (
        heuristics.contact_offer("Loan offer", "WhatsApp +1 571 455 8022", new_account=False)
        is None
    )
    assert heuristics.contact_offer("Question", "Can I export to CSV?", new_account=True) is None
    toll_free = heuristics.contact_offer("Help", "Call 1-866-492-0071 now", new_account=True)
    assert "toll-free number" in toll_free.reason


@pytest.mark.django_db
def test_linkless_messenger_spam_from_a_new_account_is_held_with_its_reason():
    verdict = spam_score(
        title="Earn from home",
        body="Earn 1k daily with our simple system, DM me on telegram @fastcash_king",
        author_age_days=0,
        author_posts=0,
        use_akismet=False,
    )
    assert verdict.spam
    assert any("Telegram contact" in reason for reason in verdict.reasons)


def test_being_asked_to_phone_is_a_token_a_company_line_mentioned_is_not():
    assert "phone:calltoaction" in tokenize(body="Call now: 1-888-405-3371 for refunds")
    assert "phone:calltoaction" in tokenize(body="Jetzt anrufen: 030 1234 5678")
    plain = tokenize(body="For your records, our office line is +49 30 1234 5678.")
    assert "phone:number" in plain and "phone:calltoaction" not in plain


def test_new_tokens_are_described_in_plain_words():
    assert describe_token("contact:whatsapp") == "a WhatsApp contact to write to"
    assert describe_token("email:freemail") == "an address at a free mail service"
    assert describe_token("anchor:loans") == "the link text “loans”"
    assert describe_token("money:huge") == "a sum in the millions"
    assert describe_token("phone:calltoaction") == "a request to phone a number"

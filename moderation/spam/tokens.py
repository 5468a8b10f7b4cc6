"""The tokeniser the spam filter counts: words, link domains, phone and money patterns,
a shouting marker, and title words kept apart from body words (spam titles differ from
spam bodies). Cost is bounded: long texts are cut and the token set is capped."""

import re
import unicodedata
from urllib.parse import urlsplit

# A post may be 50,000 characters; spam shows itself early, and cutting keeps a pasted
# log from costing more than a page of prose.
MAX_CHARS = 20_000
MAX_TOKENS = 600

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]{}\"'`]+", re.IGNORECASE)
# Phone numbers: an optional +country code, then groups of digits with spaces, dots,
# dashes or brackets between them; 10 to 15 digits in all (checked after matching).
PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d{1,4}\)?(?:[\s.\-–]*\(?\d{2,4}\)?){2,5}(?![\w.])")
TOLL_FREE_RE = re.compile(r"^(?:1)?(800|888|877|866|855|844|833)\d{7}$")
MONEY_RE = re.compile(
    r"(?:[$€£¥₹]\s?\d[\d,.]*\s?(?:k|m|million|billion)?"
    r"|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|bucks|btc|usdt|eth)\b)",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"\b[\w.+-]+@([\w-]+(?:\.[\w-]+)+)\b")
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
LETTER_RE = re.compile(r"[^\W\d_]")


def link_urls(text: str) -> list[str]:
    """Explicit links (http, https, www.), in order, trailing punctuation dropped."""
    return [url.rstrip(".,;:!?") for url in URL_RE.findall(text[:MAX_CHARS])]


def url_domain(url: str) -> str:
    if not re.match(r"https?://", url, re.IGNORECASE):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.").rstrip(".")


def link_domains(text: str) -> list[str]:
    return [domain for domain in (url_domain(url) for url in link_urls(text)) if domain]


def phone_numbers(text: str) -> list[str]:
    """Digit strings that look like phone numbers (10–15 digits)."""
    found = []
    for match in PHONE_RE.finditer(text[:MAX_CHARS]):
        digits = re.sub(r"\D", "", match.group())
        if 10 <= len(digits) <= 15 and not _looks_like_date_or_version(match.group()):
            found.append(digits)
    return found


def _looks_like_date_or_version(raw: str) -> bool:
    # 2024-05-01 10:22 and 1.2.3.4 are common in logs; they are not phone numbers.
    return bool(re.match(r"^\s*(?:19|20)\d\d[-./]\d\d[-./]\d\d", raw)) or raw.count(".") >= 3


def is_shouting(text: str, *, min_letters: int = 12, ratio: float = 0.7) -> bool:
    """Mostly capital letters, over enough letters that "OK" or "HTTP 500" are not.
    Links are left out: their case says nothing about the writer's."""
    letters = LETTER_RE.findall(URL_RE.sub(" ", text[:MAX_CHARS]))
    cased = [ch for ch in letters if ch.lower() != ch.upper()]
    if len(cased) < min_letters:
        return False
    return sum(ch.isupper() for ch in cased) / len(cased) >= ratio


def _words(text: str) -> list[str]:
    out = []
    for word in WORD_RE.findall(text):
        if len(word) > 30 or not LETTER_RE.search(word):
            continue
        if CJK_RE.search(word):
            # No spaces between words: character pairs stand in for words.
            out.extend(word[i : i + 2] for i in range(max(1, len(word) - 1)))
        elif len(word) >= 2:
            out.append(word)
    return out


def _text_tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    tokens = []
    for domain in link_domains(text):
        tokens.append(f"domain:{domain}")
        tokens.append(f"tld:{domain.rsplit('.', 1)[-1]}")
    if link_urls(text):
        tokens.append("has:link")
    for digits in phone_numbers(text):
        tokens.append("phone:tollfree" if TOLL_FREE_RE.match(digits) else "phone:number")
    for raw in MONEY_RE.findall(text):
        tokens.append("money:amount")
        if re.search(r"\d{1,3}(?:,\d{3})+|\d{4,}|k\b|million|billion", raw, re.IGNORECASE):
            tokens.append("money:large")
    for domain in EMAIL_RE.findall(text):
        tokens.append(f"email:{domain.lower()}")
    if is_shouting(text):
        tokens.append("caps:shouting")
    # Words from the text with links removed, so a URL's path does not become words.
    tokens.extend(_words(EMAIL_RE.sub(" ", URL_RE.sub(" ", text)).lower()))
    return tokens


def tokenize(*, title: str = "", body: str = "") -> list[str]:
    """The distinct tokens of a post, title tokens prefixed ``title:``; at most
    ``MAX_TOKENS``, first come first kept."""
    seen: dict[str, None] = {}
    for token in [f"title:{t}" for t in _text_tokens(title or "")] + _text_tokens(body or ""):
        if token not in seen:
            seen[token] = None
            if len(seen) >= MAX_TOKENS:
                break
    return list(seen)

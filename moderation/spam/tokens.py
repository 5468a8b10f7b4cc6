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

# Links written without http:// or www. ("visit dealz-kart.shop", "t.me/handle") are
# found by an allow-list of top-level domains, split by how easily they are mistaken for
# something else. File names (settings.py, README.md, node.js, index.html), versions
# (3.14.2), "e.g." and code (logger.info(…), this.store) must not count as links:
# - PLAIN: rarely anything but a domain.
# - WORDLIKE: also English words or code attributes ("fixed.it", "app.store"), so the
#   name must carry a hyphen or digit ("cheap-pills.in"), sit under a second level
#   ("x.co.in"), or be followed by a path ("wa.me/4477…").
# - EXTENSION: also file extensions (.py, .md, .sh, .zip…): only with a path.
# Only lower-case endings count, so "now.Thanks" is a missing space, not a link.
PLAIN_TLDS = (  # noqa: SIM905 (a word list reads better as one string)
    "com net org info biz io co uk de ru cn fr es nl ch se dk fi cz hu ro gr br ar mx cl "
    "tr ua kz vn sg hk tw jp kr au nz za ng ke ae pk bd eu asia tv ws ly gg su pw tk ga "
    "cf gq top xyz online shop club icu vip win bet fun love tech space website pro buzz "
    "today world blog press digital agency services solutions money loan loans finance "
    "credit casino poker sex porn xxx adult reviews guru expert rocks best deals sale "
    "discount gifts download stream movie cam care health clinic pharmacy dental fit diet "
    "guide tips london nyc mobi gov edu ca ir ph th my lk sa eg pe ve bg sk ee lt lv hr "
    "rs ba"
).split()
WORDLIKE_TLDS = (  # noqa: SIM905 (a word list reads better as one string)
    "in it is so me to at be no us do am as by la fm id name email date game review group "
    "news plus center company run dev page app store live site host cloud link click help "
    "chat one life work zone"
).split()
EXTENSION_TLDS = "py md sh pl zip mov ps pm cc ml pt ai rb".split()  # noqa: SIM905
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
# Full-width punctuation ends a link: Chinese and Japanese text has no space after one.
_LINK_CHAR = r"[^\s<>()\[\]{}\"'`\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]"
_PATH = rf"/{_LINK_CHAR}*"
_END = r"(?![\w\-(]|\.[A-Za-z0-9])"


def _alternatives(tlds) -> str:
    return "|".join(sorted(tlds, key=lambda tld: (-len(tld), tld)))


BARE_DOMAIN_RE = (
    r"(?<![\w@.\-/])(?:"
    rf"(?:{_LABEL}\.){{1,8}}(?:{_alternatives(PLAIN_TLDS)}){_END}(?:{_PATH})?"
    rf"|(?:{_LABEL}\.){{0,7}}(?=[A-Za-z0-9]{{0,62}}[\d\-]){_LABEL}\.(?:{_alternatives(WORDLIKE_TLDS)}){_END}(?:{_PATH})?"
    rf"|(?:{_LABEL}\.){{1,7}}(?:co|com|net|org|gov|ac|edu)\.(?:{_alternatives(WORDLIKE_TLDS)}){_END}(?:{_PATH})?"
    rf"|(?:{_LABEL}\.){{1,8}}(?:{_alternatives(WORDLIKE_TLDS + EXTENSION_TLDS)}){_PATH}"
    ")"
)
URL_RE = re.compile(rf"(?:(?i:https?://|www\.){_LINK_CHAR}+|" + BARE_DOMAIN_RE + ")")
# Phone numbers: an optional +country code, then groups of digits with spaces, dots,
# dashes or brackets between them; 10 to 15 digits in all (checked after matching).
PHONE_RE = re.compile(r"(?<![\w.])\+?\(?\d{1,4}\)?(?:[\s.\-–]{0,3}\(?\d{2,4}\)?){2,5}(?!\w|\.\d)")
# "Call now: 1-888…", "dial toll free +1…", "ring the desk at …": asked to phone a number.
CALL_NOW_RE = re.compile(
    r"\b(?:call|dial|ring|phone|text|sms|contact|reach|anrufen|llame|llamar|ligue|"
    r"звоните|позвоните|कॉल)\b[^.\n\d+]{0,30}[+(]?\d[\d\s().\-]{8,24}\d",
    re.IGNORECASE,
)
TOLL_FREE_RE = re.compile(r"^(?:1)?(800|888|877|866|855|844|833)\d{7}$")
MONEY_RE = re.compile(
    r"(?:[$€£¥₹]\s?\d[\d,.]{0,20}\s?(?:k|m|million|billion)?"
    r"|\b(?:usd|eur|gbp|inr|rs\.?)\s?\d[\d,.]{0,20}\s?(?:k|m|million|billion)?"
    r"|\b\d[\d,.]{0,20}\s?(?:(?:million|billion)\s)?(?:usd|eur|gbp|dollars?|euros?|bucks|btc|usdt|eth"
    r"|rupees|pesos|рублей|руб|рупий)(?!\w))",
    re.IGNORECASE,
)
# A million or more: the inheritance, the dormant account, the compensation payment.
HUGE_MONEY_RE = re.compile(r"\d{1,3}(?:,\d{3}){2,}|\d{7,}|\d\s?m\b|million|billion", re.IGNORECASE)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@([\w-]{1,63}(?:\.[\w-]{1,63}){1,8})\b")
# "Reach me on WhatsApp +234…", "telegram @dumpsking", "WA 0812…", "Skype: live:x",
# "wechat lux_bags888", wa.me/… and t.me/… links: a messenger named next to a handle or
# number to write to. Naming the app alone ("do you integrate with WhatsApp?") is not.
MESSENGERS = {
    "whatsapp": "whatsapp", "whats app": "whatsapp", "wa": "whatsapp", "watsapp": "whatsapp",
    "telegram": "telegram", "tg": "telegram", "skype": "skype", "wechat": "wechat",
    "weixin": "wechat", "微信": "wechat", "zalo": "zalo", "viber": "viber", "signal": "signal",
    "icq": "icq", "line id": "line", "kik": "kik", "snapchat": "snapchat", "snap": "snapchat",
    "discord": "discord", "imo": "imo", "вотсап": "whatsapp", "ватсап": "whatsapp",
    "телеграм": "telegram", "телеграмм": "telegram", "व्हाट्सएप": "whatsapp",
}  # fmt: skip
# How each messenger is written in a reason.
MESSENGER_NAMES = {
    "whatsapp": "WhatsApp", "telegram": "Telegram", "skype": "Skype", "wechat": "WeChat",
    "zalo": "Zalo", "viber": "Viber", "signal": "Signal", "icq": "ICQ", "line": "LINE",
    "kik": "Kik", "snapchat": "Snapchat", "discord": "Discord", "imo": "imo",
}  # fmt: skip
CONTACT_RE = re.compile(
    r"(?<![A-Za-z0-9_@])("
    + "|".join(re.escape(name) for name in sorted(MESSENGERS, key=len, reverse=True))
    + r")(?:\s*(?:me|us|him|her|now|only|number|no\.?|id|on|at|to|via)){0,2}\s*[:\-–=]?\s*"
    r"(?:@[A-Za-z][\w.]{3,40}|\+?\d[\d\s().\-]{6,24}\d|live:[\w.\-]{1,40}"
    r"|(?=[A-Za-z]\w{0,40}(?:\d|[._][A-Za-z0-9]))[A-Za-z][\w.]{3,40}[A-Za-z0-9])",
    re.IGNORECASE,
)
HANDLE_FIRST_RE = re.compile(
    r"@[A-Za-z][\w.]{3,40}\s{1,3}(?:on|via|at|in)\s{1,3}("
    + "|".join(
        re.escape(name) for name in sorted(MESSENGERS, key=len, reverse=True) if len(name) > 2
    )
    + r")\b",
    re.IGNORECASE,
)
MESSENGER_LINK_RE = re.compile(
    r"(?<![\w.])(?:https?://)?(wa\.me|t\.me|telegram\.me|api\.whatsapp\.com|chat\.whatsapp\.com"
    r"|discord\.gg)/",
    re.IGNORECASE,
)
# Mail services anyone can sign up to: a business writes from its own domain, a scam
# from one of these.
FREE_MAIL = frozenset(
    "gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr ymail.com hotmail.com "  # noqa: SIM905
    "hotmail.co.uk hotmail.fr outlook.com live.com msn.com aol.com icloud.com me.com "
    "protonmail.com proton.me gmx.com gmx.de gmx.net mail.com mail.ru yandex.ru yandex.com "
    "inbox.ru list.ru bk.ru rambler.ru qq.com 163.com 126.com sina.com zoho.com tutanota.com "
    "rediffmail.com web.de".split()
)
# "name at gmail dot com": an address spelled out so that filters miss it.
SPELLED_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}\s{0,3}(?:\(at\)|\[at\]|\bat\b)\s{0,3}([\w-]{1,63})\s{0,3}"
    r"(?:\(dot\)|\[dot\]|\bdot\b)\s{0,3}"
    r"(com|net|org|ru)\b",
    re.IGNORECASE,
)
# "$500 a day", "earn 2% daily", "5000 рублей в день": money or a share per period.
RATE_RE = re.compile(
    r"(?:(?<![\d,.])\d[\d,.]{0,20}\s?(?:%|k\b|usd|dollars?|rupees|рублей|euros?)"
    r"|[$€£₹]\s?\d[\d,.]{0,20}\s?k?)"
    r"\s{0,3}(?:/|a|per|every|each|in|в)?\s{0,3}(?:day|daily|week|weekly|month|hour|день|дня)\b",
    re.IGNORECASE,
)
# [anchor text](url) and <a href="…">anchor text</a>: spam hides its keywords there.
ANCHOR_RE = re.compile(
    r"\[([^\]\n]{1,120})\]\(\s*(?:https?://|www\.)[^)\s]*\)|<a\s[^>]{0,200}href[^>]{0,500}>([^<]{1,120})</a>",
    re.IGNORECASE,
)
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
LETTER_RE = re.compile(r"[^\W\d_]")


def link_urls(text: str) -> list[str]:
    """Links (http, https, www. and bare domains such as ``cheap-pills.shop``), in order,
    trailing punctuation dropped."""
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
    # A dotted North American number (1.855.404.2282) is the exception.
    if re.fullmatch(r"\s*\+?1?[.\s]?\d{3}\.\d{3}\.\d{4}", raw):
        return False
    return bool(re.match(r"^\s*(?:19|20)\d\d[-./]\d\d[-./]\d\d", raw)) or raw.count(".") >= 3


def contact_handles(text: str) -> list[str]:
    """Messengers offered as a way to get in touch: a handle or number written next to
    the app's name, or a wa.me / t.me link; the app's name, once per mention."""
    text = text[:MAX_CHARS]
    found = [MESSENGERS[m.group(1).lower()] for m in CONTACT_RE.finditer(text)]
    found += [MESSENGERS[m.group(1).lower()] for m in HANDLE_FIRST_RE.finditer(text)]
    for m in MESSENGER_LINK_RE.finditer(text):
        host = m.group(1).lower()
        found.append(
            "discord" if host == "discord.gg" else "whatsapp" if "wa" in host else "telegram"
        )
    return found


def email_domains(text: str) -> list[str]:
    """Domains of email addresses, written plainly or spelled out ("x at gmail dot com")."""
    text = text[:MAX_CHARS]
    found = [domain.lower() for domain in EMAIL_RE.findall(text)]
    found += [f"{name}.{tld}".lower() for name, tld in SPELLED_EMAIL_RE.findall(text)]
    return found


def is_shouting(text: str, *, min_letters: int = 12, ratio: float = 0.7) -> bool:
    """Mostly capital letters, over enough letters that "OK" or "HTTP 500" are not.
    Links are left out: their case says nothing about the writer's."""
    return _mostly_capitals(URL_RE.sub(" ", text[:MAX_CHARS]), min_letters, ratio)


def _mostly_capitals(text: str, min_letters: int, ratio: float) -> bool:
    # Only letters with a case count (Chinese has none); str methods over the joined
    # letters keep this a few C loops rather than one Python call per character.
    letters = "".join(LETTER_RE.findall(text))
    upper = sum(map(str.isupper, letters))
    cased = upper + sum(map(str.islower, letters))
    if cased < min_letters:
        return False
    return upper / cased >= ratio


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
    urls = link_urls(text)
    for domain in filter(None, map(url_domain, urls)):
        tokens.append(f"domain:{domain}")
        tokens.append(f"tld:{domain.rsplit('.', 1)[-1]}")
    if urls:
        tokens.append("has:link")
    # Links are matched once; their case and their paths say nothing about the writer.
    without_links = URL_RE.sub(" ", text)
    for digits in phone_numbers(text):
        tokens.append("phone:tollfree" if TOLL_FREE_RE.match(digits) else "phone:number")
    if CALL_NOW_RE.search(text):
        tokens.append("phone:calltoaction")
    for raw in MONEY_RE.findall(text):
        tokens.append("money:amount")
        if re.search(r"\d{1,3}(?:,\d{3})+|\d{4,}|k\b|million|billion", raw, re.IGNORECASE):
            tokens.append("money:large")
        if HUGE_MONEY_RE.search(raw):
            tokens.append("money:huge")
    for domain in email_domains(text):
        tokens.append(f"email:{domain}")
        if domain in FREE_MAIL:
            tokens.append("email:freemail")
    for app in contact_handles(text):
        tokens.append(f"contact:{app}")
        tokens.append("contact:messenger")
    if RATE_RE.search(text):
        tokens.append("money:rate")
    for groups in ANCHOR_RE.findall(text):
        tokens.append("has:anchor")
        tokens.extend(f"anchor:{word}" for word in _words((groups[0] or groups[1]).lower()))
    if _mostly_capitals(without_links, 12, 0.7):
        tokens.append("caps:shouting")
    # Words from the text with links removed, so a URL's path does not become words.
    words = _words(EMAIL_RE.sub(" ", without_links).lower())
    tokens.extend(words)
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

# ruff: noqa: E501 (corpus text reads better unwrapped)
"""Writes the labelled corpus (train.jsonl, heldout.jsonl) from the templates and the
handwritten examples below. Deterministic: the same seed gives the same files, so a
change here shows up as a reviewable diff of the JSONL.

    .venv/bin/python -m moderation.spam.corpus.generate

Every line: {"title", "body", "label": "spam"|"ham", "kind", "age_days", "posts"}.
The split is fixed: every fourth generated example of each kind, and every fourth
handwritten one, is held out; the starter model never sees the held-out file."""

import json
import random
from pathlib import Path

from moderation.spam.corpus import handwritten

HERE = Path(__file__).resolve().parent
SEED = 11

# --- Spam ------------------------------------------------------------------------------

BRANDS = [
    "QuickBooks",
    "QuickBooks Enterprise",
    "Norton",
    "McAfee",
    "Coinbase",
    "Cash App",
    "HP Printer",
    "Brother Printer",
    "Epson Printer",
    "Outlook",
    "AOL Mail",
    "Yahoo Mail",
    "Delta Airlines",
    "Expedia",
    "Garmin",
    "Kaspersky",
    "Binance",
    "Sage 50",
    "Roku",
    "Canon Printer",
    "Avast",
    "Trust Wallet",
    "MetaMask",
    "American Airlines",
]
TOLL = ["888", "877", "866", "855", "844", "800", "833"]


def phone(rng):
    area = rng.choice(TOLL)
    a, b = rng.randint(200, 999), rng.randint(1000, 9999)
    return rng.choice(
        [
            f"+1-{area}-{a}-{b}",
            f"1 ({area}) {a}-{b}",
            f"+1 {area} {a} {b}",
            f"{area}.{a}.{b}",
            f"1-{area}-{a}-{b}",
            f"+1 ({area}) {a} {b}",
            f"1.{area}.{a}.{b}",
        ]
    )


SPAM_DOMAIN_WORDS = [
    "cheap",
    "best",
    "top",
    "pro",
    "quick",
    "easy",
    "fast",
    "mega",
    "super",
    "go",
    "my",
    "get",
    "deal",
    "true",
    "smart",
    "prime",
    "365",
    "247",
    "online",
    "express",
]
SPAM_DOMAIN_NOUNS = [
    "loans",
    "pills",
    "meds",
    "casino",
    "slots",
    "bet",
    "essays",
    "writers",
    "seo",
    "backlinks",
    "watches",
    "replica",
    "crypto",
    "coins",
    "dating",
    "girls",
    "keto",
    "cbd",
    "vpn",
    "followers",
    "rx",
    "pharmacy",
    "cash",
    "profit",
]
SPAM_TLDS = [
    "com",
    "net",
    "biz",
    "info",
    "xyz",
    "top",
    "online",
    "site",
    "shop",
    "club",
    "ru",
    "in",
    "co",
    "store",
    "live",
    "icu",
    "pw",
]


def spam_url(rng, noun=None):
    host = rng.choice(SPAM_DOMAIN_WORDS) + (noun or rng.choice(SPAM_DOMAIN_NOUNS))
    if rng.random() < 0.4:
        host += "-" + rng.choice(SPAM_DOMAIN_WORDS)
    path = rng.choice(
        [
            "",
            "/",
            "/offer",
            "/buy",
            "/go?id=" + str(rng.randint(10, 9999)),
            "/best-deal",
            "/promo",
            "/ref/" + str(rng.randint(100, 999)),
        ]
    )
    scheme = rng.choice(["https://", "http://", "https://www.", "www."])
    return f"{scheme}{host}.{rng.choice(SPAM_TLDS)}{path}"


def link(rng, anchor, noun=None):
    url = spam_url(rng, noun)
    return rng.choice([f"[{anchor}]({url})", f"{anchor}: {url}", f"{url}", f"{anchor} {url}"])


def support_number(rng):
    brand, number = rng.choice(BRANDS), phone(rng)
    titles = [
        f"{brand} Support Number {number}",
        f"{brand} customer service phone number {number}",
        f"How do I contact {brand} support? Call {number}",
        f"{brand} error fix ☎ {number} (24/7)",
        f"{brand.upper()} HELPLINE {number} USA",
        f"Call {number} for {brand} technical support",
        f"{brand} toll free number {number} - instant help",
        f"[[{number}]] {brand} Refund Department",
    ]
    bodies = [
        f"Are you facing issues with {brand}? Dial {brand} support number {number} to talk "
        f"with certified experts. Our team is available 24/7 for instant help with "
        f"installation, login errors, refunds and account recovery.",
        f"{brand} customer care {number}. We fix all errors in minutes. Call now {number} "
        f"toll free USA/Canada. Experts available round the clock.",
        f"If you need help with {brand} just call our helpline {number}. Fast, reliable, "
        f"trusted by thousands of customers. Call {number} now!!!",
        f"To speak to a live person at {brand}, call {number}. Press 1 for billing, press 2 "
        f"for technical support. {brand} phone support is open 24 hours.",
        f"Dial {number} for {brand} error code solutions, payroll update problems, "
        f"company file issues and more. Get connected with a {brand} expert now.",
        f"{brand} not working? Don't worry. Our independent technicians resolve it over "
        f"the phone: {number}. Also visit {spam_url(rng)} for more numbers.",
    ]
    return rng.choice(titles), rng.choice(bodies)


NICHES = [
    ("roofing contractors", "roofing"),
    ("SEO services", "seo"),
    ("web design agency", "web"),
    ("carpet cleaning", "clean"),
    ("packers and movers", "movers"),
    ("dentist", "dental"),
    ("personal injury lawyer", "law"),
    ("digital marketing agency", "marketing"),
    ("plumbing services", "plumb"),
    ("locksmith", "lock"),
    ("car rental", "cars"),
    ("buy instagram followers", "followers"),
    ("backlinks service", "backlinks"),
]
CITIES = [
    "Dubai",
    "Mumbai",
    "Delhi",
    "London",
    "Toronto",
    "Sydney",
    "Lahore",
    "Jaipur",
    "New York",
    "Houston",
    "Karachi",
    "Bangalore",
    "Manchester",
    "Melbourne",
]


def seo_spam(rng):
    niche, noun = rng.choice(NICHES)
    city = rng.choice(CITIES)
    titles = [
        f"Best {niche} in {city}",
        f"Top 10 {niche} {city} 2024",
        f"Affordable {niche} near me",
        f"{niche.title()} {city} - call today",
        f"Looking for {niche} in {city}?",
        f"Cheap and reliable {niche}",
    ]
    links = " ".join(
        link(
            rng,
            rng.choice(
                [niche, f"{niche} {city}", "click here", "visit us", "read more", "our website"]
            ),
            noun,
        )
        for _ in range(rng.randint(1, 4))
    )
    bodies = [
        f"We are the leading {niche} in {city} with 15 years of experience. {links}",
        f"Looking for professional {niche}? We offer the best prices and guaranteed "
        f"results. Contact us today. {links}",
        f"Get the best {niche} at affordable rates. 100% satisfaction guaranteed. {links}",
        f"{links} — trusted {niche} in {city}. Free quote, same day service, best rates.",
        f"Hello friends, I found this amazing {niche} website, they are really good and "
        f"cheap. {links} Thank you.",
    ]
    return rng.choice(titles), rng.choice(bodies)


COMMENT_OPENERS = [
    "Great post!",
    "Thanks for sharing.",
    "Very informative article.",
    "Nice one, thanks.",
    "This was really helpful, thank you!",
    "Awesome information.",
    "I agree with you.",
    "Good explanation, keep it up.",
    "Wow, nice thread.",
    "Thank you for this useful info.",
]
COMMENT_ANCHORS = [
    ("cheap loans", "loans"),
    ("payday loans", "loans"),
    ("buy essays", "essays"),
    ("online casino", "casino"),
    ("replica watches", "watches"),
    ("keto gummies", "keto"),
    ("best VPN", "vpn"),
    ("cheap flights", "deal"),
    ("free followers", "followers"),
    ("bitcoin doubler", "crypto"),
    ("slot online", "slots"),
    ("cbd oil", "cbd"),
]


def comment_spam(rng):
    anchor, noun = rng.choice(COMMENT_ANCHORS)
    opener = rng.choice(COMMENT_OPENERS)
    body = rng.choice(
        [
            f"{opener} [{anchor}]({spam_url(rng, noun)})",
            f"{opener} I also found {link(rng, anchor, noun)} very useful.",
            f"{opener} For anyone looking for {anchor}, check {spam_url(rng, noun)}",
            f"{opener}\n\n{link(rng, anchor, noun)}",
            f"{opener} Regards, {anchor} team - {spam_url(rng, noun)}",
        ]
    )
    title = rng.choice(
        [
            "Re: great post",
            "Thanks",
            "Nice",
            f"{anchor}",
            "Helpful info",
            "Thank you",
            "Useful",
            f"Re: {anchor}",
        ]
    )
    return title, body


PHARMA = [
    "Viagra",
    "Cialis",
    "Tramadol",
    "Xanax",
    "Ozempic",
    "Phentermine",
    "Levitra",
    "Oxycodone",
    "Adderall",
    "Modafinil",
    "Valium",
    "Kamagra",
    "Semaglutide",
]


def pharma(rng):
    drug = rng.choice(PHARMA)
    price = f"${rng.randint(1, 9)}.{rng.randint(10, 99)}"
    titles = [
        f"Buy {drug} online without prescription",
        f"{drug} {rng.randint(10, 200)}mg cheap",
        f"Order {drug} overnight delivery",
        f"{drug.upper()} BEST PRICE",
        f"Where to buy {drug} safely?",
        f"Generic {drug} for sale {price} per pill",
    ]
    bodies = [
        f"Buy {drug} online at {price} per pill. No prescription needed, discreet shipping "
        f"worldwide. {link(rng, 'order now', rng.choice(['pills', 'meds', 'rx', 'pharmacy']))}",
        f"Cheap {drug} and other meds, overnight delivery, 100% satisfaction. Visit "
        f"{spam_url(rng, 'pharmacy')}",
        f"Best online pharmacy for {drug}, {rng.choice(PHARMA)} and {rng.choice(PHARMA)}. "
        f"Bonus pills with every order! {spam_url(rng, 'meds')}",
        f"Get {drug} without doctor. Fast shipping USA UK AU. WhatsApp +1 {rng.randint(200, 999)}"
        f" {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
    ]
    return rng.choice(titles), rng.choice(bodies)


def casino(rng):
    bonus = rng.choice(["$500", "€200", "$1,000", "200%", "100 free spins", "$5000"])
    titles = [
        f"Online casino bonus {bonus}",
        "Best slots to win real money",
        "Slot gacor hari ini",
        "Situs judi online terpercaya",
        "Apuestas deportivas con bono",
        "Win big at our casino",
        f"Free spins no deposit {bonus}",
        "Casino en ligne fiable 2024",
    ]
    bodies = [
        f"Play at the best online casino and get a welcome bonus of {bonus}! "
        f"{link(rng, 'Play now', rng.choice(['casino', 'slots', 'bet']))}",
        f"Slot gacor hari ini gampang menang, bonus new member {bonus}. Daftar sekarang di "
        f"{spam_url(rng, 'slots')}",
        f"Situs judi slot online terpercaya, deposit pulsa tanpa potongan. Link alternatif: "
        f"{spam_url(rng, 'bet')}",
        f"Las mejores apuestas deportivas y casino en vivo. Bono de bienvenida {bonus}. "
        f"Regístrate: {spam_url(rng, 'bet')}",
        f"Meilleur casino en ligne 2024 : bonus de {bonus} et tours gratuits. Jouez ici "
        f"{spam_url(rng, 'casino')}",
        f"Poker, blackjack, roulette and jackpot slots. Withdraw winnings instantly, "
        f"{bonus} bonus. {spam_url(rng, 'casino')}",
    ]
    return rng.choice(titles), rng.choice(bodies)


def crypto(rng):
    coin = rng.choice(["Bitcoin", "BTC", "USDT", "Ethereum", "crypto", "Solana"])
    pct = rng.choice(["20%", "35%", "10x", "300%", "5% daily", "double"])
    titles = [
        f"Earn {pct} with {coin} trading",
        "How I recovered my stolen crypto",
        f"{coin} investment platform - guaranteed profit",
        "Crypto recovery expert contact",
        f"Make $5,000 a week with {coin}",
        f"Free {coin} giveaway",
    ]
    bodies = [
        f"I invested $500 in {coin} with Mr. {rng.choice(['Alex', 'James', 'Kevin', 'Robert'])} "
        f"and got $12,000 in one week! Contact him on WhatsApp {phone(rng)} or telegram "
        f"@{rng.choice(['cryptoking', 'profitmaster', 'fxguru'])}{rng.randint(1, 99)}",
        f"Lost your {coin} to scammers? Our recovery hackers get it back. Email "
        f"recovery{rng.randint(1, 99)}@gmail.com or visit {spam_url(rng, 'crypto')}",
        f"Guaranteed {pct} profit on {coin}. Minimum deposit $100, withdraw anytime. Join: "
        f"{spam_url(rng, rng.choice(['crypto', 'coins', 'profit']))}",
        f"Send 0.1 {coin} and receive 0.2 {coin} back instantly! Limited time giveaway at "
        f"{spam_url(rng, 'coins')}",
        f"Binary options and forex signals with {pct} returns. Passive income $3,000/week. "
        f"{link(rng, 'Start now', 'profit')}",
    ]
    return rng.choice(titles), rng.choice(bodies)


def essay(rng):
    subject = rng.choice(
        [
            "essay",
            "assignment",
            "dissertation",
            "thesis",
            "homework",
            "research paper",
            "coursework",
        ]
    )
    country = rng.choice(["UK", "USA", "Australia", "Canada", "UAE"])
    titles = [
        f"Write my {subject} cheap",
        f"Best {subject} writing service {country}",
        f"{subject.title()} help online - 24/7",
        f"Pay someone to do my {subject}",
        f"Cheap {subject} writers {country}",
    ]
    bodies = [
        f"Need help with your {subject}? Our professional writers deliver plagiarism-free "
        f"work before the deadline. Prices from $9/page. {link(rng, 'Order now', 'essays')}",
        f"Top {subject} writing service in {country}. PhD writers, 100% original, money "
        f"back guarantee. {spam_url(rng, 'writers')}",
        f"Students of {country}! Get your {subject} done by experts. Use code SAVE20. "
        f"{spam_url(rng, 'essays')}",
        f"We write {subject}s for all subjects: nursing, law, MBA, engineering. Fast "
        f"delivery, affordable. Contact: {spam_url(rng, 'writers')}",
    ]
    return rng.choice(titles), rng.choice(bodies)


def tech_support(rng):
    ms = rng.choice(
        [
            "Microsoft",
            "Windows",
            "Apple",
            "iCloud",
            "Gmail",
            "Facebook",
            "Instagram",
            "PayPal",
            "Netflix",
        ]
    )
    titles = [
        f"{ms} account locked? Call now",
        f"Recover hacked {ms} account",
        f"{ms} security alert - call support",
        f"{ms} helpdesk number",
        "Your computer is infected - call technician",
    ]
    bodies = [
        f"Your {ms} account has been compromised. Call our certified technicians at "
        f"{phone(rng)} immediately to secure your data.",
        f"We recover hacked {ms} accounts within 24 hours, 100% guaranteed. WhatsApp {phone(rng)}",
        f"VIRUS DETECTED! Do not shut down your computer. Call {ms} support {phone(rng)} "
        f"now to remove the threat.",
        f"Forgot your {ms} password? Our experts unlock any account. Visit "
        f"{spam_url(rng)} or call {phone(rng)}.",
    ]
    return rng.choice(titles), rng.choice(bodies)


def dating(rng):
    city = rng.choice(CITIES)
    titles = [
        f"Call girls in {city}",
        f"Escort service {city} 24/7",
        "Hot singles in your area",
        "Meet beautiful women tonight",
        f"{city} escorts - independent models",
        "Lonely? Chat with girls now",
    ]
    bodies = [
        f"Independent call girls in {city}, VIP service, hotel and home. WhatsApp "
        f"+91 {rng.randint(70000, 99999)} {rng.randint(10000, 99999)}. "
        f"{spam_url(rng, 'girls')}",
        f"Hot singles near you want to chat! Sign up free at {spam_url(rng, 'dating')}",
        f"Beautiful {city} escorts available tonight. Book now: {spam_url(rng, 'girls')}",
        f"Meet lonely women for discreet dating. No credit card needed. "
        f"{link(rng, 'Meet her', 'dating')}",
    ]
    return rng.choice(titles), rng.choice(bodies)


def products(rng):
    item = rng.choice(
        [
            ("replica Rolex watches", "watches"),
            ("keto gummies", "keto"),
            ("CBD oil", "cbd"),
            ("weight loss pills", "pills"),
            ("cheap Ray-Ban sunglasses", "deal"),
            ("Nike shoes outlet", "deal"),
            ("hair growth serum", "deal"),
            ("fake passports and IDs", "deal"),
            ("IPTV subscription", "deal"),
            ("instagram followers", "followers"),
        ]
    )
    name, noun = item
    titles = [
        f"Buy {name} 80% off",
        f"{name.upper()} SALE",
        f"Best {name} online",
        f"Cheap {name} free shipping",
        f"{name.title()} - official store",
    ]
    bodies = [
        f"Huge sale on {name}! Up to 80% off, free worldwide shipping. "
        f"{link(rng, 'Shop now', noun)}",
        f"Lose 20 pounds in 2 weeks with our {name}. Doctors hate this trick! "
        f"{spam_url(rng, noun)}",
        f"High quality {name} at the lowest price. Order today: {spam_url(rng, noun)} "
        f"{spam_url(rng, noun)}",
        f"BUY {name.upper()} NOW!!! LIMITED OFFER, ONLY TODAY. {spam_url(rng, noun)}",
    ]
    return rng.choice(titles), rng.choice(bodies)


FOREIGN_SPAM = [
    (
        "Кредит онлайн без отказа",
        "Займы онлайн на карту без проверки, одобрение 99%. Оформите прямо сейчас: {url}",
    ),
    (
        "Купить диплом недорого",
        "Дипломы любых вузов с доставкой, гарантия качества. Звоните {phone} или заходите на {url}",
    ),
    ("Казино онлайн с бонусом", "Лучшее онлайн казино, бонус 200% на первый депозит! {url}"),
    (
        "Kredit ohne Schufa sofort",
        "Sofortkredit ohne Schufa, Auszahlung in 24 Stunden. Jetzt beantragen: {url}",
    ),
    (
        "Potenzmittel rezeptfrei kaufen",
        "Viagra und Cialis rezeptfrei, diskreter Versand. Bestellen Sie hier: {url}",
    ),
    (
        "Préstamos rápidos sin aval",
        "Obtén tu préstamo en minutos, sin buró de crédito. "
        "Solicítalo aquí {url} o llama al {phone}",
    ),
    (
        "Gana dinero desde casa",
        "Gana $3.000 al mes trabajando desde casa, sin experiencia. Más información: {url}",
    ),
    (
        "Acheter des abonnés Instagram",
        "Boostez votre compte avec des abonnés réels, livraison instantanée. {url}",
    ),
    (
        "Voyance gratuite par téléphone",
        "Voyante sérieuse, réponse immédiate à vos questions "
        "d'amour. Appelez le {phone} ou visitez {url}",
    ),
    (
        "Ganhe dinheiro com apostas",
        "Melhor site de apostas do Brasil, bônus de R$500 para novos jogadores. Acesse {url}",
    ),
    (
        "Empréstimo consignado rápido",
        "Empréstimo aprovado na hora, mesmo negativado. Chame no WhatsApp {phone}",
    ),
    (
        "Jasa SEO murah dan backlink",
        "Jasa backlink berkualitas, naik halaman satu Google dalam 7 hari. Hubungi {url}",
    ),
    ("代写论文 保过", "专业代写论文，留学生作业代写，价格优惠，联系微信或访问 {url}"),
    ("网上赌场 注册送彩金", "最好的在线赌场，注册即送188元彩金，立即访问 {url}"),
    (
        "Prestiti veloci senza busta paga",
        "Prestiti online approvati in 24 ore, anche per protestati. Visita {url}",
    ),
    (
        "Vay tiền nhanh online",
        "Vay tiền online chỉ cần CMND, giải ngân trong 5 phút. Đăng ký tại {url}",
    ),
]


def foreign_spam(rng):
    title, body = rng.choice(FOREIGN_SPAM)
    return title, body.format(url=spam_url(rng), phone=phone(rng))


SPAM_KINDS = {
    "support_number": (support_number, 70),
    "seo": (seo_spam, 45),
    "comment": (comment_spam, 45),
    "pharma": (pharma, 35),
    "casino": (casino, 35),
    "crypto": (crypto, 35),
    "essay": (essay, 30),
    "tech_support": (tech_support, 30),
    "dating": (dating, 25),
    "products": (products, 30),
    "foreign": (foreign_spam, 45),
}

# --- Ham: real support posts, many of which look risky --------------------------------

PRODUCT_AREAS = [
    "CSV export",
    "the API",
    "webhooks",
    "SSO login",
    "the dashboard",
    "the mobile app",
    "email notifications",
    "the Zapier integration",
    "two-factor authentication",
    "the calendar sync",
    "bulk import",
    "the reports page",
    "user permissions",
    "the Slack integration",
]
DOC_LINKS = [
    "https://docs.porchlight.example/api/webhooks",
    "https://docs.porchlight.example/sso/saml",
    "https://github.com/porchlight/cli/issues/{n}",
    "https://stackoverflow.com/questions/{n}",
    "https://docs.python.org/3/library/csv.html",
    "https://developer.mozilla.org/en-US/docs/Web/API/fetch",
    "https://status.porchlight.example",
    "https://docs.porchlight.example/billing/invoices",
    "https://en.wikipedia.org/wiki/ISO_8601",
    "https://www.rfc-editor.org/rfc/rfc7231",
    "https://learn.microsoft.com/en-us/azure/active-directory/",
    "https://docs.djangoproject.com/en/5.2/",
    "https://support.google.com/a/answer/{n}",
    "https://gist.github.com/someone/{n}",
]


def doc_link(rng):
    return rng.choice(DOC_LINKS).format(n=rng.randint(1000, 79999999))


def billing(rng):
    amount = rng.choice(["$49", "$99", "$12.50", "€29", "£240", "$1,188", "$588", "$19"])
    month = rng.choice(["March", "April", "last month", "this month", "January", "October"])
    titles = [
        "Charged twice this month",
        f"Refund for the annual plan ({amount})",
        "Invoice shows the wrong VAT number",
        "Card declined when upgrading to Team",
        f"Why was I billed {amount} in {month}?",
        "How do I get a refund after cancelling?",
        "Billing address can't be changed",
        "Downgrade from Business to Starter",
        "Need a PDF invoice for accounting",
        "Prorated charge looks wrong",
    ]
    bodies = [
        f"I was charged {amount} twice on my card in {month}, both on the same day. The "
        f"billing page only shows one invoice. Can someone from billing look at this and "
        f"refund the duplicate? Account email is on my profile.",
        f"We cancelled our annual plan after two weeks because the team moved to another "
        f"tool. Your terms say refunds are possible within 30 days. How do I request the "
        f"{amount} back? I couldn't find a button for it.",
        f"Our finance department needs the invoices to show our VAT number. I added it in "
        f"Settings > Billing but the {month} invoice still shows the old one. Is there a "
        f"way to regenerate it?",
        "Trying to upgrade to the Team plan and the card keeps getting declined with "
        "'do_not_honor'. The bank says they see no attempt. Tried two cards. Any ideas?",
        f"We added 3 seats mid-cycle and were billed {amount}, which is more than I "
        f"expected. How is the prorated amount calculated? The docs at {doc_link(rng)} "
        f"don't say.",
        f"Our procurement team asks whether you accept purchase orders and bank transfer "
        f"instead of a card for the {amount}/year plan. Who should I talk to?",
    ]
    return rng.choice(titles), rng.choice(bodies)


def pricing(rng):
    plan = rng.choice(["Starter", "Team", "Business", "Enterprise", "Pro"])
    price = rng.choice(["$8", "$15", "$49", "$99", "€12", "$1,200"])
    titles = [
        f"Is there a nonprofit discount on {plan}?",
        f"Difference between {plan} and Enterprise",
        "Cheapest plan for a team of 3?",
        f"Does the {price} per seat include API access?",
        "Pricing for education / students",
        "Will prices go up for existing customers?",
        "Monthly vs annual billing - worth it?",
    ]
    bodies = [
        f"We're a small charity (12 volunteers). The {plan} plan at {price} per seat is a "
        f"stretch for us. Do you offer a nonprofit discount? Happy to send our registration.",
        f"Comparing plans on the pricing page. {plan} is {price} per user per month. Does "
        f"that include API access and SSO, or are those add-ons?",
        f"We only need {rng.randint(2, 5)} seats and no SSO. What's the cheapest option? The "
        f"free tier limits exports to 100 rows which is too low for us.",
        f"The email said prices change next quarter. We pay {price} per seat on an annual "
        f"contract; does the new price apply at renewal or immediately?",
        f"Is annual billing {rng.randint(10, 20)}% cheaper than monthly? The pricing page "
        f"shows {price} but the checkout showed a different total with tax.",
    ]
    return rng.choice(titles), rng.choice(bodies)


def traceback_text(rng):
    return rng.choice(
        [
            '```\nTraceback (most recent call last):\n  File "sync.py", line 42, in <module>\n'
            '    client.export(since=last_run)\n  File "/usr/lib/python3.11/site-packages/'
            'porchlight/client.py", line 318, in export\n    raise ApiError(resp.status_code, '
            "resp.text)\nporchlight.errors.ApiError: 429 Too Many Requests\n```",
            '```\njava.lang.NullPointerException: Cannot invoke "String.length()" because '
            '"token" is null\n\tat com.acme.sync.AuthFilter.doFilter(AuthFilter.java:88)\n\tat '
            "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilter"
            "Chain.java:193)\n```",
            "```\nTypeError: Cannot read properties of undefined (reading 'map')\n    at "
            "renderRows (dashboard.js:211:18)\n    at HTMLDocument.<anonymous> (app.js:40:3)\n```",
            "```\n2024-05-02 10:14:07,221 ERROR [webhook-worker-3] Delivery failed for event "
            "evt_8842: HTTP 502 Bad Gateway (attempt 5/5)\n2024-05-02 10:14:07,222 WARN  "
            "Giving up on endpoint https://hooks.acme.internal/porchlight\n```",
            "```\nERROR: SSL: CERTIFICATE_VERIFY_FAILED certificate verify failed: unable to get "
            "local issuer certificate (_ssl.c:1006)\n```",
            "```\n$ porchlight import contacts.csv\nImporting 12,480 rows...\nError on row 8812: "
            "invalid date '31/02/2024' in column 'created'\nAborted, 0 rows written.\n```",
            '```\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error="invalid_token", '
            'error_description="The access token expired"\n```',
            "```\nFATAL: SAML response signature validation failed: no certificate matched "
            "(issuer=https://sts.windows.net/0d1f.../)\n```",
        ]
    )


def technical(rng):
    area = rng.choice(PRODUCT_AREAS)
    titles = [
        f"{area} fails with an error since the last update",
        f"Problem with {area}",
        f"{area}: 429 Too Many Requests",
        f"Can't get {area} to work behind a proxy",
        f"{area} stopped working after we rotated keys",
        f"Timeout when using {area}",
        f"Is {area} supposed to skip archived items?",
        f"Question about {area} limits",
        f"ERROR in {area}: certificate verify failed",
    ]
    bodies = [
        f"Since Tuesday {area} fails for us. This is the full output:\n\n{traceback_text(rng)}"
        f"\n\nWe haven't changed anything on our side. Is something going on?",
        f"I followed {doc_link(rng)} step by step but {area} still doesn't work. Here's the "
        f"log:\n\n{traceback_text(rng)}\n\nWhat am I missing?",
        f"Hi all, quick question about {area}. The docs ({doc_link(rng)}) say it retries "
        f"five times, but we only see one attempt in our logs. Is that a bug or a setting?",
        f"We run {area} from a cron job every 15 minutes. About once a day it hangs for "
        f"several minutes and then times out. Same thing from two different servers. "
        f"Related issue maybe: {doc_link(rng)}",
        f"After rotating our API keys {area} started returning 401s:\n\n"
        f"{traceback_text(rng)}\n\nThe new key works with curl. Is there a cache somewhere?",
        f"Our security team wants to know where {area} stores data and whether it supports "
        f"EU data residency. Links to the docs are fine: I found {doc_link(rng)} but it "
        f"seems outdated.",
    ]
    return rng.choice(titles), rng.choice(bodies)


def company_phone(rng):
    number = rng.choice(
        [
            "+1 415 555 0134",
            "+44 20 7946 0958",
            "1-800-555-0199",
            "+49 30 901820",
            "(415) 555-0172",
            "+1-888-555-0101",
        ]
    )
    titles = [
        "Phone support hours?",
        "Nobody answers the support line",
        "Called billing, was told to post here",
        "Is the number on the invoice correct?",
        "Does Enterprise include phone support?",
        "Support line number changed?",
    ]
    bodies = [
        f"The contact page lists {number} for phone support but I've tried three times "
        f"during business hours and it goes to voicemail. Are the hours different in "
        f"December?",
        f"I called the billing line ({number}) about a double charge and they asked me to "
        f"post the details here so the team can track it. Invoice numbers are in my "
        f"account.",
        f"Our invoice has {number} printed at the bottom. Is that still the right number "
        f"for account questions, or should we use the forum?",
        f"We're evaluating the Enterprise plan. Does it come with phone support, or only "
        f"email and this forum? Sales mentioned {number} but I wasn't sure if that's "
        f"24/7.",
        f"Heads up for others: the old support number {number} now plays a message saying "
        f"to use the forum. Took me a while to find this place.",
    ]
    return rng.choice(titles), rng.choice(bodies)


FOREIGN_HAM = [
    (
        "No puedo exportar a CSV",
        "Hola, cuando intento exportar mis contactos a CSV me sale "
        "un error 500. Lo he probado en Chrome y Firefox. ¿Alguien sabe qué pasa? Gracias.",
    ),
    (
        "Reembolso del plan anual",
        "Buenas, cancelamos la suscripción anual hace una semana. "
        "¿Cómo solicito el reembolso? No encuentro la opción en la configuración.",
    ),
    (
        "Fehler beim Import von Kontakten",
        "Beim Import einer CSV-Datei mit 5.000 Zeilen "
        "bekomme ich die Meldung 'ungültiges Datum'. Das Format ist TT.MM.JJJJ. Muss ich das "
        "umstellen?",
    ),
    (
        "Rechnung mit falscher Adresse",
        "Unsere Rechnung zeigt noch die alte Firmenadresse. "
        "Wie kann ich das ändern und eine neue Rechnung bekommen?",
    ),
    (
        "Problème de connexion SSO",
        "Depuis ce matin, la connexion SSO avec Azure AD échoue "
        "avec l'erreur « signature invalide ». Nous n'avons rien changé. Une idée ?",
    ),
    (
        "Facture et TVA",
        "Bonjour, notre numéro de TVA intracommunautaire n'apparaît pas sur "
        "la facture de mars. Pouvez-vous la corriger ? Merci d'avance.",
    ),
    (
        "Webhook não dispara",
        "Configurei um webhook para novos tickets mas ele nunca é "
        "chamado. Testei o endpoint com curl e funciona. O que pode ser?",
    ),
    (
        "Cobrança duplicada no cartão",
        "Fui cobrado duas vezes este mês. Como peço o estorno de uma das cobranças?",
    ),
    (
        "Не работает экспорт отчётов",
        "При экспорте отчёта в PDF страница зависает и через "
        "минуту выдаёт ошибку 504. Браузер Chrome, последняя версия. Подскажите, что делать?",
    ),
    (
        "Как изменить реквизиты в счёте?",
        "Нам нужно указать ИНН компании в счёте. Где это можно сделать в настройках?",
    ),
    (
        "CSVエクスポートで文字化けします",
        "CSVをエクスポートしてExcelで開くと日本語が文字化けします。"
        "UTF-8 BOM付きで出力する設定はありますか？",
    ),
    ("请求退款", "我们上周取消了年度订阅，请问如何申请退款？设置里找不到相关选项。"),
    (
        "Errore 429 con l'API",
        "Usando l'API ricevo spesso l'errore 429 Too Many Requests anche "
        "con poche richieste al minuto. Qual è il limite esatto?",
    ),
    (
        "Tidak bisa login dengan SSO",
        "Sejak kemarin saya tidak bisa login dengan SSO Google. "
        "Muncul pesan 'akun tidak ditemukan'. Bagaimana cara memperbaikinya?",
    ),
    (
        "Kan ik de factuur op een ander adres krijgen?",
        "Ons bedrijf is verhuisd. Hoe pas ik het factuuradres aan voor de volgende factuur?",
    ),
    (
        "Problem z synchronizacją kalendarza",
        "Synchronizacja z Google Calendar przestała "
        "działać po zmianie hasła. Jak ją ponownie połączyć?",
    ),
]


def foreign_ham(rng):
    return rng.choice(FOREIGN_HAM)


def feature_ideas(rng):
    area = rng.choice(PRODUCT_AREAS)
    titles = [
        f"Idea: dark mode for {area}",
        f"Please add filters to {area}",
        f"Feature request: export {area} settings",
        f"Would love keyboard shortcuts in {area}",
        f"Allow webhooks for {area} events",
    ]
    bodies = [
        f"It would be great if {area} could be filtered by date and owner. Right now we "
        f"export everything and filter in a spreadsheet, which takes ages every week.",
        f"+1 to this. We have 40 people using {area} daily and this would save a lot of "
        f"clicks. Similar to how GitHub does it: {doc_link(rng)}",
        f"Small idea: show the last sync time next to {area} so we know whether the data "
        f"is fresh. Happy to test a beta.",
        f"Thanks for the quick fix yesterday! Follow-up idea: could {area} send an email "
        f"when it fails, instead of failing silently?",
    ]
    return rng.choice(titles), rng.choice(bodies)


def replies(rng):
    area = rng.choice(PRODUCT_AREAS)
    titles = ["Re: " + t for t in ["export problem", "SSO question", "billing", "webhooks"]] + [
        "Thanks, that fixed it",
        "Same problem here",
        "Workaround found",
    ]
    bodies = [
        f"Thanks, that fixed it! For anyone else: the setting is under Admin > {area}.",
        f"Same here since this morning. {area} returns 502 for us too, EU region.",
        f"Workaround until it's fixed: run the export per month instead of the whole year. "
        f"Slower but it works. See {doc_link(rng)}",
        f"Great post, thanks for writing this up. The part about {area} retries was "
        f"exactly what we needed.",
        "Marking this solved. Support refunded the duplicate charge within a day.",
        "Could you share the request ID from the error? Staff can look it up. It's in "
        "the response header X-Request-Id.",
    ]
    return rng.choice(titles), rng.choice(bodies)


def shouting_ham(rng):
    return rng.choice(
        [
            (
                "URGENT: PRODUCTION IS DOWN",
                "Our whole team is locked out since 9am, SSO returns "
                "an error for everyone. PLEASE HELP, we have a client demo in an hour.",
            ),
            (
                "EXPORT BROKEN AGAIN",
                "THIS IS THE THIRD TIME THIS MONTH. The CSV export is empty. What is going on?",
            ),
            (
                "Still charged after cancelling!!!",
                "I CANCELLED IN MARCH and you charged me $49 "
                "again in April. I want a refund for this.",
            ),
            (
                "API down?",
                "Getting 503 from https://api.porchlight.example/v2/items for the last "
                "20 minutes. Status page says all good.",
            ),
        ]
    )


HAM_KINDS = {
    "billing": (billing, 60),
    "pricing": (pricing, 40),
    "technical": (technical, 90),
    "company_phone": (company_phone, 30),
    "foreign": (foreign_ham, 45),
    "ideas": (feature_ideas, 35),
    "replies": (replies, 40),
    "shouting": (shouting_ham, 12),
}

# --- Handwritten examples live in handwritten.py ------------------------------------


def build(rng):
    rows = []
    for label, kinds in (("spam", SPAM_KINDS), ("ham", HAM_KINDS)):
        for kind, (make, count) in kinds.items():
            seen = set()
            made = 0
            for _ in range(count * 20):
                if made >= count:
                    break
                title, body = make(rng)
                if (title, body) in seen:
                    continue
                seen.add((title, body))
                rows.append(_row(rng, label, kind, title, body, heldout=made % 4 == 3))
                made += 1
    for label, items in (("spam", handwritten.SPAM), ("ham", handwritten.HAM)):
        for i, (title, body) in enumerate(items):
            rows.append(_row(rng, label, "handwritten", title, body, heldout=i % 4 == 3))
    return rows


def _row(rng, label, kind, title, body, *, heldout):
    if label == "spam":
        # Mostly brand-new accounts; a few sleepers that waited before posting.
        age_days, posts = rng.choice([(0, 0)] * 6 + [(1, 1), (2, 0), (0, 2), (45, 1), (200, 3)])
    else:
        # A support forum's askers are often new too: that must not make them suspects.
        age_days, posts = rng.choice([(0, 0)] * 3 + [(1, 1), (3, 2), (30, 8), (400, 60), (2, 0)])
    return {
        "title": title,
        "body": body,
        "label": label,
        "kind": kind,
        "age_days": age_days,
        "posts": posts,
        "heldout": heldout,
    }


def main():
    rows = build(random.Random(SEED))
    for name, part in (("train", False), ("heldout", True)):
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                if row["heldout"] is part:
                    clean = {k: v for k, v in row.items() if k != "heldout"}
                    out.write(json.dumps(clean, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

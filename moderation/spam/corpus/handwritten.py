# ruff: noqa: E501 (corpus text reads better unwrapped)
"""Examples written one by one, not from templates: each is its own case, so the ones
held out test whether the filter generalises beyond the templates' wording."""

SPAM = [
    (
        "Sage 50 Payroll Update Help Desk",
        "For sage payroll update errors please ring the desk at 1.855.404.2282, our proadvisors will remote into your pc and fix it.",
    ),
    (
        "Re: CSV export",
        "nice information thanks for sharing!! also visit our site for best online shopping deals https://dealz-kart.shop",
    ),
    (
        "how to earn money online",
        "i am earning 8000$ per month from home just by working 2 hours a day on my laptop. its very simple and anyone can do it. go to this site http://work-home-profit.site for more info",
    ),
    (
        "Amazing opportunity",
        "Dear friend, I am Mrs. Grace, a widow with $4.5 million dollars to transfer. Reply to my private email for details.",
    ),
    (
        "Get 10k followers",
        "Buy real instagram followers and likes, cheapest panel. Telegram @smmking. https://smm-panel-best.xyz",
    ),
    (
        "QB Desktop error H202 ☎",
        "QuickBooks error H202 solved in minutes ☎ 1 888 493 0107. Talk to an advisor now.",
    ),
    (
        "Best movers in Dubai",
        "Looking for movers? We provide packing, moving and storage in Dubai Marina and JLT at the lowest prices. Call +971 50 123 4567.",
    ),
    (
        "Re: webhooks",
        "I had the same problem until I found [this amazing tool](https://tool-pro-download.top/free) which fixes everything, free download.",
    ),
    (
        "Hello",
        "Hello dear, I saw your profile and I like it. Write me at lovelyanna1994@mail.ru, I will send photos.",
    ),
    (
        "Payday loans same day",
        "Bad credit? No problem! Get up to $1,000 today, approval in minutes. Apply: https://quickcash-now.biz/apply",
    ),
    (
        "Cheap web hosting $1",
        "Unlimited hosting with free domain for only $1/month. Visit www.hostcheap-1.online today!",
    ),
    (
        "Jual obat aborsi",
        "Jual obat aborsi asli, pengiriman cepat seluruh Indonesia. WA 0812 3456 7890",
    ),
    (
        "WORK FROM HOME $$$",
        "MAKE $500 A DAY WORKING FROM HOME. NO EXPERIENCE NEEDED. CLICK HERE NOW http://easy-money-go.icu",
    ),
    (
        "Spells that work",
        "Powerful love spells to bring back your ex in 24 hours. Contact Dr. Okoro on WhatsApp +234 701 234 5678.",
    ),
    (
        "Air Canada reservations number",
        "To change your flight call the Air Canada reservation desk 1-844-215-4411. Cheap tickets, last minute deals.",
    ),
    (
        "Thanks for the fix",
        "Thanks for the fix, works now. BTW if anyone needs cheap Windows keys: https://cdkey-cheap.store",
    ),
    (
        "Gutter cleaning Leeds",
        "Fully insured gutter cleaning across Leeds and Bradford, free estimate within the hour. https://leedsgutterpros.co.uk",
    ),
    (
        "Need a hacker?",
        "Ethical hacker for hire: recover Facebook, WhatsApp, spy on cheating partner, change university grades. Email hackerpro247@protonmail.com",
    ),
    (
        "Bitcoin mining pool 2% daily",
        "Join our cloud mining pool and earn 2% daily on your BTC. Referral bonus 10%. Register at https://hashcloud-earn.io",
    ),
    (
        "Re: SSO question",
        "Very good article. I am also sharing some knowledge about mobile app development company in Noida, please check https://appdevnoida.in/services",
    ),
    (
        "Learn SAP FICO online",
        "Best SAP FICO online training with placement assistance, real-time projects, free demo class. Call +91 98765 43210 or visit saptraininghub.in",
    ),
    (
        "Solar panel installation",
        "Get solar panels installed for $0 down with government rebates! Check your eligibility today: https://sunsave-rebates.us",
    ),
    (
        "Is this legit?",
        "Has anyone tried https://amzn-giftcard-free.top? They give $100 Amazon gift cards for completing a survey, I got mine yesterday!",
    ),
    (
        "Download latest movies free",
        "Watch and download the latest Hollywood and Bollywood movies in HD for free at https://moviez4u.cc, no signup.",
    ),
    (
        "Customer support chat",
        "Do you need 24/7 live chat agents for your website? We provide outsourced chat support at $5/hour. Skype: chatagents.pro",
    ),
    (
        "DUMPS WITH PIN",
        "Selling fresh CC dumps with pin, track 1 and 2, high balance, worldwide. ICQ 7712345 / telegram @dumpsking",
    ),
    (
        "Translation services",
        "Professional certified translation in 120 languages, 24h turnover, ISO certified, best price guarantee. https://lingua-fast-translate.com",
    ),
    (
        "Отличный сервис",
        "Рекомендую всем этот сайт, там можно купить аккаунты и отзывы недорого: https://akk-shop.ru",
    ),
    (
        "Mejor abogado de accidentes",
        "¿Tuvo un accidente de tráfico? Nuestros abogados consiguen la máxima indemnización. Consulta gratis: https://abogados-accidente.es",
    ),
    (
        "Schlüsseldienst Berlin 24h",
        "Schlüsseldienst Berlin, Türöffnung ab 29 €, in 20 Minuten vor Ort. Jetzt anrufen: 030 1234 5678",
    ),
    (
        "Assignment due tomorrow?",
        "Don't stress! Message us on WhatsApp and our tutors finish your assignment overnight. Any subject, any level. wa.me/447700900123",
    ),
    (
        "Re: Re: billing",
        "Try this cashback extension, it saves me hundreds every month: https://cashback-go.shop/ref=8812",
    ),
    (
        "Coinbase wallet locked",
        "If your Coinbase wallet is locked, contact the recovery desk +1 (808) 555 0143 immediately, our agents unlock it in 10 minutes.",
    ),
    (
        "Free iPhone 15 giveaway",
        "We are giving away 100 iPhone 15 Pro! Just enter your details at https://iphone-winner-2024.online and share this post.",
    ),
    (
        "Quick question",
        "hey guys, i made this small site comparing VPNs, let me know what you think https://vpn-compare-best.net :)",
    ),
    (
        "Best hair transplant Istanbul",
        "All inclusive hair transplant in Istanbul from €1,499: hotel, transfer and 5000 grafts. WhatsApp +90 555 123 4567.",
    ),
    (
        "Wholesale face masks and gloves",
        "We supply nitrile gloves and KN95 masks in bulk at factory prices. Minimum order 10,000 pieces. sales@med-supply-global.com",
    ),
    (
        "Tarot reading",
        "Accurate tarot and psychic readings by phone, first 3 minutes free. Call 1-866-555-0177 anytime.",
    ),
    (
        "Excellent post",
        "Excellent post. I was checking constantly this blog and I'm impressed! Extremely useful info. Also see my page: http://sportsbetting-tips.win",
    ),
    (
        "Pet supplies 50% off",
        "Everything for your dog and cat at half price this week only. Free shipping over $30. https://petmart-deals.shop",
    ),
    (
        "贷款 快速到账",
        "无需抵押，当天放款，额度最高50万，微信联系 loan8888 或访问 https://kuaidai-8.com",
    ),
    (
        "Cheap Netflix accounts",
        "Netflix premium 4K accounts for $2/month, lifetime warranty, instant delivery via email. https://streamkeys.store",
    ),
    (
        "Nursing essay help",
        "Nursing students! Get your care plans, SOAP notes and capstone written by registered nurses. 20% off first order at nursingpaperpros.com",
    ),
    (
        "Roof leak? Call now",
        "Emergency roof repair in Houston, same day service. Call (713) 555-0190 for a free inspection.",
    ),
    (
        "Ganhe seguidores",
        "Compre seguidores reais para Instagram e TikTok com entrega imediata. Acesse https://seguidores-br.top",
    ),
    (
        "Keto Diet Pills Reviews",
        "KetoBurn Advanced is the #1 weight loss supplement of 2024. Read the reviews and order your bottle at 60% off: https://ketoburn-official.site",
    ),
    (
        "Car accident lawyer near me",
        "Injured in a crash? Our attorneys have recovered over $500 million for clients. No fee unless we win. Call 1-800-555-0166.",
    ),
    (
        "Sell your house fast",
        "We buy houses for cash in any condition, close in 7 days. Get your offer at https://cashhomebuyers-now.com",
    ),
    (
        "Prediksi togel hari ini",
        "Prediksi togel Singapore dan Hongkong paling jitu, bocoran angka main. Kunjungi situs kami https://togel-jitu.vip",
    ),
    (
        "Great community!",
        "Great community! I run an online store selling handmade leather wallets, would love if you check it out www.leathercraft-shop.etsy-store.top",
    ),
    (
        "Get verified on Instagram",
        "We get your account the blue checkmark in 7 days, 100% guaranteed or your money back. DM @verifyagency on Telegram.",
    ),
    (
        "Dissertation proposal help",
        "PhD-qualified experts write your dissertation proposal, literature review and methodology. Plagiarism report included. https://phdwriters-uk.co",
    ),
    (
        "Sports betting tips",
        "VIP fixed matches, 100% sure wins, odds 20+. Contact us on WhatsApp +44 7911 123456 and start winning today.",
    ),
    (
        "Loan offer",
        "Do you need a loan? We give loans at 2% interest rate to individuals and companies. Contact us via email: fastloan.credit@gmail.com",
    ),
    (
        "Buy Google reviews",
        "Boost your business with 5-star Google reviews from real accounts, non-drop guarantee. Order at https://reviews-booster.net",
    ),
    (
        "Apex Legends hack undetected",
        "Aimbot, wallhack and ESP for Apex, undetected since 2021. Lifetime license $29. https://cheatz-undetected.gg",
    ),
]

HAM = [
    (
        "Export drops rows with emoji",
        "When a contact's name contains an emoji, the CSV export silently drops that row. Reproduced with 'Zoë 🌻 Smith'.",
    ),
    (
        "Refund policy for monthly plans?",
        "If I cancel a monthly plan halfway through, do I get a partial refund or does it run until the end of the month?",
    ),
    (
        "Links in the docs are broken",
        "Several links on https://docs.porchlight.example/api point to 404 pages, e.g. the one to the webhooks reference.",
    ),
    (
        "We were charged in USD instead of EUR",
        "Our account is in Germany but the last invoice was in USD ($1,188). Can we switch the billing currency?",
    ),
    (
        "Free trial ended early",
        "The free trial said 14 days but we were asked to pay after 10. Is that a known issue?",
    ),
    (
        "Casino client asking about data retention",
        "One of our customers is an online casino operator and needs to know how long you keep audit logs. Is it 90 days?",
    ),
    (
        "Make money feature?",
        "Is there a way to charge our own clients through the portal, so we make money on the reports we send? Like a reseller plan?",
    ),
    (
        "Cheap alternative to SSO?",
        "SSO is only on Enterprise. Is there a cheaper way to enforce Google login for our 6 people?",
    ),
    (
        "Phone number field rejects +44",
        "Typing +44 20 7946 0958 into the contact phone field shows 'invalid number'. UK numbers should be allowed.",
    ),
    (
        "Crypto payments?",
        "Do you accept Bitcoin or other crypto for the annual plan? Our accounting prefers it.",
    ),
    (
        "Dating app integration",
        "We build a dating app and want to use your API for support tickets. Is there a rate limit per user?",
    ),
    (
        "SEO of the public help center",
        "Our public help center pages don't have meta descriptions. Can we set them so they show up better in Google?",
    ),
    (
        "Essay-length descriptions truncated",
        "Ticket descriptions longer than 5000 characters are cut off in the mobile app.",
    ),
    (
        "Pharmacy compliance",
        "We're a pharmacy chain. Does your hosting meet HIPAA requirements, and can you sign a BAA?",
    ),
    (
        "Win rate report is wrong",
        "The 'win rate' in the sales report counts deleted deals. Screenshot: https://imgur.com/a/x7Ka9",
    ),
    (
        "Webhooks to Discord",
        "Has anyone got webhooks posting into Discord? I tried https://discord.com/api/webhooks/... and get 400 Bad Request.",
    ),
    (
        "Gracias por la ayuda",
        "Muchas gracias, ya funciona la exportación. El problema era el separador de decimales.",
    ),
    (
        "Billing contact change",
        "Please send invoices to finance@acme-corp.co.uk instead of me from now on. Where can I set that?",
    ),
    (
        "Our helpdesk number in the widget",
        "We want the chat widget to show our own helpdesk number, 0800 123 4567, when agents are offline. Is that configurable?",
    ),
    (
        "Can't log in after password reset",
        "I reset my password, got the email, set a new one and now it says 'invalid credentials'. Tried in a private window too.",
    ),
    (
        "Kubernetes deployment keeps restarting",
        "The self-hosted worker pod restarts every few minutes with OOMKilled. Limits are 512Mi. Is there a recommended memory setting?",
    ),
    (
        "Import from Zendesk",
        "We're moving from Zendesk. Is there an importer for tickets and macros, or should we go through the API? We have about 80,000 tickets.",
    ),
    (
        "Invoice for Q3 missing",
        "The invoices page has July and September but not August. We definitely paid; the card statement shows $299 on 3 August.",
    ),
    (
        "Upgrade broke our custom CSS",
        "After yesterday's release our custom CSS for the portal no longer applies. Looks like the class names changed from .kb-article to .article.",
    ),
    (
        "Timezone wrong in reports",
        "Reports show times in UTC although our account is set to Europe/Berlin. Is there a per-report timezone setting?",
    ),
    (
        "API returns 500 for large payloads",
        "POST /v2/contacts with more than ~1 MB of custom fields returns 500 instead of 413. Request id 7f3a9c1e.",
    ),
    (
        "Student discount?",
        "I'm a student building a project for my university course. Is there a free or discounted plan for students?",
    ),
    (
        "Our company was hacked, need audit log",
        "One of our admin accounts was compromised last night. How do we export the full audit log for the last 30 days for our investigation?",
    ),
    (
        "Pricing page says $15 but checkout says $18",
        "Is the difference VAT? We're in Ireland. The pricing page doesn't mention tax.",
    ),
    (
        "Dark mode hurts readability of code blocks",
        "In dark mode the code blocks in articles are dark grey on black, almost unreadable. Screenshot attached.",
    ),
    (
        "¿Se puede cambiar el idioma del portal?",
        "Nuestros clientes son de México y Argentina. ¿Cómo pongo el portal en español? Solo veo inglés en la configuración.",
    ),
    (
        "Mehrere Postfächer verbinden",
        "Wir haben support@ und billing@ als getrennte Postfächer. Kann man beide mit einem Konto verbinden?",
    ),
    (
        "Problème d'export en PDF",
        "L'export PDF coupe les tableaux à droite quand il y a plus de 6 colonnes. Y a-t-il une option paysage ?",
    ),
    (
        "Não recebo os e-mails de notificação",
        "Desde ontem não recebo nenhuma notificação por e-mail. Já verifiquei o spam. Alguém mais?",
    ),
    (
        "ログインできません",
        "二段階認証のコードを入力してもエラーになります。時刻は同期されています。どうすればいいですか？",
    ),
    (
        "Почему списали деньги дважды?",
        "В этом месяце с карты списали оплату два раза по 49 $. Как вернуть лишний платёж?",
    ),
    (
        "Can we pay by invoice?",
        "Our company can't use credit cards. Can we pay the annual Business plan by bank transfer against an invoice? It's about $4,800.",
    ),
    (
        "Does the API support pagination cursors?",
        "The docs show page numbers, but with 200k records offset pagination gets slow. Is there a cursor parameter?",
    ),
    (
        "Thanks, support was great",
        "Just wanted to say thanks to Priya from support who called us back at +1 415 555 0134 and sorted our SSO setup in 20 minutes.",
    ),
    (
        "Our reseller asked about margins",
        "A partner who resells your product asked what discount resellers get. Who should they contact? Is there a partner page?",
    ),
    (
        "Stack trace when saving a workflow",
        "```\nUncaught (in promise) Error: Request failed with status code 422\n    at createError (createError.js:16)\n    at settle (settle.js:17)\n```\nHappens only when the workflow has more than 10 steps.",
    ),
    (
        "Mobile app crashes on Android 14",
        "The app crashes on start on a Pixel 8 with Android 14. Log: java.lang.IllegalStateException: Not allowed to start service Intent.",
    ),
    (
        "Will you keep the old API running?",
        "v1 is deprecated; when exactly will it be switched off? We have 30 integrations to migrate and need a date for our planning.",
    ),
    (
        "URGENT - all our webhooks stopped",
        "URGENT: none of our webhooks have fired since 08:00 UTC. We process orders through them. Please look at this ASAP.",
    ),
    (
        "Cancel my subscription",
        "How do I cancel? I can't find the button anywhere and I don't want to be charged $29 again next week.",
    ),
    (
        "Link to the GDPR DPA",
        "Legal asks for your data processing agreement. Is https://porchlight.example/legal/dpa the current version?",
    ),
    (
        "SSO with Okta stuck in a loop",
        "After signing in with Okta we get redirected back to the login page forever. SAML tracer shows the assertion is fine.",
    ),
    (
        "Is there a desktop app?",
        "Do you have a desktop app for Windows, or only the browser version? Some of our agents work on thin clients.",
    ),
    (
        "Spam in our help center comments",
        "We get a lot of spam comments on our public articles, links to casinos and loans. Is there a way to require approval for comments?",
    ),
    (
        "Refund request for accidental upgrade",
        "Our intern clicked upgrade to Enterprise by mistake and we were charged $2,400. Can this be reversed? We never used any Enterprise feature.",
    ),
    (
        "Best way to bulk delete old tickets?",
        "We want to delete all closed tickets older than 3 years to comply with our retention policy. Is there a bulk delete in the UI or via API?",
    ),
    (
        "Call recording storage",
        "Where are phone call recordings stored and for how long? Our customers call us on 1-800-555-0148 and we must keep recordings for 7 years.",
    ),
    (
        "Zapier trigger fires twice",
        "Every new ticket triggers our Zap twice, so we get duplicate rows in Google Sheets. Anyone seen this?",
    ),
    (
        "Cheapest plan with API access?",
        "We only need API access for a small internal tool with maybe 1,000 calls a day. Which plan is the cheapest that includes it?",
    ),
    (
        "Weird characters in emails: Ã©",
        "Customer names with accents show up as Ã© in notification emails. The portal shows them correctly.",
    ),
    (
        "Slow dashboard since Monday",
        "The dashboard takes 20+ seconds to load since Monday. Network tab shows /api/stats taking 18 s. EU region.",
    ),
]

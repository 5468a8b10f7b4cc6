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
    (
        "HP printer offline fix",
        "Is your HP printer showing offline? Our certified technicians fix it instantly. Dial toll free +1-877-290-6613 (24x7).",
    ),
    (
        "Re: Can't log in after password reset",
        "Same happened to me. I called the support helpline at 1 (833) 602-5519 and they fixed my account in 5 mins, very helpful guys.",
    ),
    (
        "Norton antivirus renewal",
        "Norton auto renewal charged you $399? Call Norton refund department at 1-888-217-0493 to cancel and get your money back today.",
    ),
    (
        "McAfee support number USA",
        "mcafee activation, installation and uninstall help. mcafee customer care ☎ +1 844 (677) 2931 toll free",
    ),
    (
        "Outlook not responding",
        "Outlook not responding or not sending mails? Get instant help from Microsoft experts. Phone: +1-866-713-8820",
    ),
    (
        "Cash App refund",
        "cash app payment failed for my protection? contact cash app customer service number +1 (805) 399 1247 for refund and unlock",
    ),
    (
        "Re: Billing contact change",
        "For billing problems you should contact the official billing team on 1.844.902.7716, they answer 24 hours.",
    ),
    (
        "Canon printer setup ij.start.canon",
        "For canon printer setup visit ij-start-canon-setup.com or call our printer experts +1 855 718 4402.",
    ),
    (
        "Delta Airlines cancellation",
        "how can i talk to a live person at delta? ☎️ +1-888-405-3371 ☎️ Delta cancellation, name change, refund OTA desk",
    ),
    (
        "Gmail account recovery",
        "Lost access to your Gmail? Our recovery experts restore any account in 30 minutes. WhatsApp +1 646 201 7788",
    ),
    (
        "Nice post",
        "great post! [cheap loans](https://loanfast-now.xyz) really helped me last month",
    ),
    (
        "Re: Zapier trigger fires twice",
        "thanks for sharing this, very informative. [best essay writing service](https://essaypro-writers.club)",
    ),
    (
        "Informative",
        "Very informative article, keep sharing. Regards, [Packers and Movers Bangalore](http://packers-movers-blr.in)",
    ),
    (
        "Re: Dark mode",
        "I agree with you. By the way, [buy cheap backlinks](https://backlinks-seo-pack.com) if anyone needs traffic.",
    ),
    (
        "Thank you",
        "Thank you for this wonderful information. I bookmarked it. visit dealz-kart.shop for best offers",
    ),
    (
        "good info",
        "good info admin, nice blog. kunjungi juga slot88-gacor.vip",
    ),
    (
        "Appreciate it",
        "I appreciate your work. I found another useful resource at www.topseo-agency.net, worth a look for everyone here.",
    ),
    (
        "Best SEO services in Delhi",
        "We are the best digital marketing and SEO company in Delhi NCR offering link building, local SEO, PPC and social media. Visit seodelhi-experts.in today.",
    ),
    (
        "Guest post available",
        "I sell guest posts on DA 50+ sites, dofollow links, $25 per post. Contact: guestpostseller99@gmail.com",
    ),
    (
        "High DA backlinks",
        "1000 high DA PBN backlinks for $15, boost your google ranking in 2 weeks. order now at linkbuilder-pro.shop",
    ),
    (
        "Buy viagra online",
        "Generic viagra 100mg, cialis, levitra without prescription. Discreet shipping worldwide, lowest price guaranteed. rxmeds-online.top",
    ),
    (
        "Tramadol overnight",
        "buy tramadol, xanax, oxycodone no rx overnight delivery. telegram @rxplug_usa",
    ),
    (
        "Weight loss that works",
        "I lost 23 kg in 2 months with this natural fat burner, doctors hate it. Order with 70% discount: slimfast-natural.site",
    ),
    (
        "Ivermectin for sale",
        "Ivermectin 12mg and hydroxychloroquine available, ship same day, pay with bitcoin. whatsapp +1 (302) 555 0119",
    ),
    (
        "CBD gummies official",
        "Green Leaf CBD gummies reduce pain, anxiety and stress. Limited stock, rush your order at greenleaf-cbd-official.com",
    ),
    (
        "Casino bonus 200%",
        "Get 200% welcome bonus + 50 free spins at the best online casino. Instant withdrawals. Play now: spinwin-casino.bet",
    ),
    (
        "Situs slot gacor terpercaya",
        "Daftar sekarang di situs slot gacor hari ini, gampang maxwin, deposit pulsa tanpa potongan. Link alternatif: gacor777.online",
    ),
    (
        "Cricket betting ID",
        "Get your online cricket ID instantly, IPL betting with fast withdrawal. WhatsApp 91 98110 22334",
    ),
    (
        "Aviator predictor",
        "Aviator game predictor app 99% accuracy, win every round. Download from aviator-signals.app and join our telegram t.me/aviatorwin",
    ),
    (
        "Poker chips cheap",
        "Buy cheap Zynga poker chips, 1B chips for $9.99, delivered within 10 minutes. www.chipsdealer.biz",
    ),
    (
        "Lost crypto? We can help",
        "Have you been scammed by a fake investment platform? Our recovery agents got back $2.3M for victims last year. Email recoverfunds@outlook.com",
    ),
    (
        "Re: Crypto payments?",
        "You should invest in crypto with expert trader Mrs. Linda, I made $15,000 in 3 weeks from $1,000. Message her on WhatsApp +1 (415) 702 3398",
    ),
    (
        "USDT doubling",
        "Send 500 USDT and get 1000 USDT back in 24 hours, guaranteed by our smart contract. t.me/usdt_double_official",
    ),
    (
        "Forex signals",
        "Free forex signals with 95% accuracy, gold and EURUSD. Join our VIP channel on Telegram: @fxprofitking",
    ),
    (
        "Binary options testimony",
        "I want to testify about how Mr. James Rodriguez helped me recover my lost funds from binary options brokers. Contact him: jamesrecovery at gmail dot com",
    ),
    (
        "New token presale",
        "MOONPEPE presale is live!!! 100x guaranteed, only 48 hours left. Buy at moonpepe-presale.io before listing on Binance",
    ),
    (
        "Business proposal",
        "Good day. I am Barrister Michael Adeyemi, attorney to the late engineer who died with his family leaving USD 12,500,000 in a bank. I want to present you as next of kin. Reply urgently.",
    ),
    (
        "Compensation payment",
        "Your email has been selected to receive a compensation payment of $850,000 from the United Nations. Send your full name, address and phone to claims.un.office@yahoo.com",
    ),
    (
        "Urgent reply needed",
        "Dear beneficiary, your ATM card worth 2.5 million USD is ready for delivery. Contact our courier agent Dr. Frank on frankcourier22@gmail.com with the delivery fee.",
    ),
    (
        "Partnership",
        "I am a banker in Burkina Faso and I have a dormant account of $18.5M. I need a foreign partner to claim it, we share 60/40. Contact my private email.",
    ),
    (
        "Looking for serious relationship",
        "Hi, I am Natalia, 27, from Kiev. I am looking for a serious man for relationship. Write me here natalia.love27@yandex.ru and I send my photos.",
    ),
    (
        "Hot singles near you",
        "Lonely tonight? Meet hot singles in your area, no credit card needed. sweetdates-online.love",
    ),
    (
        "Sugar daddy wanted",
        "sugar baby looking for generous sugar daddy, weekly allowance. snap me or add my telegram @sweetbabe_99",
    ),
    (
        "Write my essay cheap",
        "Write my essay for me cheap! Native English writers, 100% original, deadlines from 3 hours. Use code FIRST15 at essaywritingpros.net",
    ),
    (
        "Homework help 24/7",
        "Stuck with math, coding or accounting homework? Our experts do it for you, A+ guaranteed. Chat with us: homeworkhero.help",
    ),
    (
        "Take my online class",
        "We will take your online class, exams and quizzes for you. Pay someone to do my online class with guaranteed A or B. whatsapp: +1 213 908 5567",
    ),
    (
        "Honest review of FlexiFit",
        "I've been using FlexiFit joint support for 3 months and my knee pain is completely gone!!! Best product ever, 5 stars, get it on the official website flexifit-official.store",
    ),
    (
        "Review: best VPN 2025",
        "After testing 40 VPNs, NordSecure is the clear winner. Get 80% off with my exclusive link nordsecure-deal.com/?aff=7731",
    ),
    (
        "Fortnite free V-bucks",
        "FREE V-BUCKS GENERATOR 2025 no human verification!! get 13500 vbucks now at vbucks-free-gen.xyz",
    ),
    (
        "Valorant cheats",
        "Private Valorant cheat: aimbot, triggerbot, skin changer, HWID spoofer included. Buy on our discord discord.gg/xcheatz",
    ),
    (
        "Roblox robux hack",
        "get free robux fast 100% working, just enter your username at robux-now.fun and complete the offer",
    ),
    (
        "GTA 5 mod menu",
        "Best GTA V online mod menu, money drop and unlocks, undetected. Download: gtamods-vip.ru",
    ),
    (
        "Adobe Photoshop 2025 crack",
        "Photoshop 2025 full version crack + keygen, working 100%. Download link: softcrack-zone.net/photoshop",
    ),
    (
        "Windows 11 activator",
        "Windows 11 pro activation key lifetime for only $4.99, instant delivery. buy at keysoft-store.com",
    ),
    (
        "IDM serial key",
        "IDM 6.42 build 12 crack with serial number free download, no virus. Link in my profile, or go to getintopc-free.org",
    ),
    (
        "Data entry jobs from home",
        "Hiring now: simple data entry work from home, earn $300 daily, no experience required, weekly payment. Apply on WhatsApp +1 (929) 445 0183",
    ),
    (
        "Part time job offer",
        "We are looking for part time online workers, just like YouTube videos and get paid 50-200 USD a day. Contact HR on telegram @hr_emily_job",
    ),
    (
        "Earn with your phone",
        "Make money using your phone only!! I earn $2,000 per week, register with my link earnfast-app.top/r/9921",
    ),
    (
        "Mystery shopper wanted",
        "Become a mystery shopper and get paid $450 per assignment. Send your name and address to shopperjobs.hr@gmail.com",
    ),
    (
        "Instant personal loan",
        "Instant personal loan up to ₹5,00,000 with no CIBIL check, disbursal in 10 minutes. Download the QuickRupee app or call 8800 123 456",
    ),
    (
        "Do you need financial help?",
        "Are you in need of urgent loan? We offer all kinds of loan at 3% interest rate. Contact us now: globalfinance.lender@hotmail.com WhatsApp +1 (571) 455 8022",
    ),
    (
        "Debt consolidation",
        "Cut your credit card debt in half with our consolidation program. Free consultation, call 1-877-555-0129 today.",
    ),
    (
        "Replica Rolex watches",
        "Top quality replica Rolex, Omega, AP watches, swiss movement, 1:1 copy. Worldwide shipping. www.replicawatch-shop.cn",
    ),
    (
        "Cheap Nike shoes",
        "Nike Air Jordan, Yeezy sneakers 80% off factory outlet, free shipping. Shop now at nikeoutlet-sale.shop",
    ),
    (
        "Designer bags wholesale",
        "Louis Vuitton, Gucci, Chanel bags AAA quality from factory. Wechat: lux_bags888",
    ),
    (
        "Packers and movers Pune",
        "Reliable packers and movers in Pune for home shifting and car transport. Get a free quote at punemovers.co.in or call 98220 11445",
    ),
    (
        "Plumber Sydney emergency",
        "24/7 emergency plumber in Sydney, blocked drains, hot water repairs, no call-out fee. Call 0412 345 678",
    ),
    (
        "Carpet cleaning London",
        "Professional carpet and upholstery cleaning across London from £49. Book online at london-carpetclean.co.uk",
    ),
    (
        "Pest control Dubai",
        "Best pest control service in Dubai, cockroach and bed bug treatment, municipality approved. Call 055 987 6543",
    ),
    (
        "Дешевые ссылки для сайта",
        "Продвижение сайтов в топ Яндекса и Google, вечные ссылки, гарантия результата. Пишите в телеграм @seo_top_ru",
    ),
    (
        "Заработок в интернете",
        "Зарабатывай от 5000 рублей в день без вложений! Подробности на сайте dohod-online.ru",
    ),
    (
        "Купить диплом",
        "Купить диплом о высшем образовании с занесением в реестр. Быстро и недорого. diplom-kupit24.com",
    ),
    (
        "Kredit online cepat cair",
        "Pinjaman online cepat cair tanpa jaminan, bunga rendah, proses 5 menit. Hubungi WA 0857 1122 3344",
    ),
    (
        "Obat kuat pria",
        "Jual obat kuat pria herbal asli, tahan lama, aman tanpa efek samping. Order sekarang lewat WhatsApp 0813-9876-5432",
    ),
    (
        "代写论文 包过",
        "专业代写论文，硕士博士毕业论文，保证原创，查重率低于10%。加微信 lunwen668",
    ),
    (
        "高仿手表 批发",
        "瑞士高仿手表，一比一复刻，支持货到付款。网址 www.gaofang-biao.com",
    ),
    (
        "Vay tiền nhanh",
        "Vay tiền online nhanh trong 15 phút, không cần thế chấp, lãi suất thấp. Liên hệ Zalo 0912 345 678",
    ),
    (
        "Nhà cái uy tín",
        "Nhà cái uy tín nhất Việt Nam, tặng 100k khi đăng ký, rút tiền siêu tốc. Truy cập nhacai-vip.com",
    ),
    (
        "Préstamos rápidos sin buró",
        "Préstamos personales rápidos sin revisar buró de crédito, hasta $50,000 pesos. Escríbenos por WhatsApp 55 1234 5678",
    ),
    (
        "Gana dinero desde casa",
        "Gana hasta 3000 dólares al mes trabajando desde casa solo 2 horas al día. Información en ganar-dinero-facil.online",
    ),
    (
        "घर बैठे पैसे कमाएं",
        "घर बैठे रोज़ 5000 रुपये कमाएं, कोई निवेश नहीं। अभी व्हाट्सएप करें 98765 12345",
    ),
    (
        "सस्ता लोन",
        "बिना गारंटी पर्सनल लोन, 10 मिनट में अप्रूवल। कॉल करें +91 70111 22233 या देखें loan-jaldi.in",
    ),
    (
        "Empréstimo consignado",
        "Empréstimo consignado com as menores taxas, liberação no mesmo dia, mesmo negativado. Chame no WhatsApp (11) 98888-7777",
    ),
    (
        "Günstige Kredite ohne Schufa",
        "Kredit ohne Schufa bis 10.000 €, sofortige Auszahlung, auch für Selbstständige. Jetzt beantragen auf kredit-sofort24.de",
    ),
    (
        "Prêt entre particuliers",
        "Je propose des prêts entre particuliers sérieux de 5 000 € à 500 000 € au taux de 2 %. Contactez-moi par email: pretrapide.particulier@gmail.com",
    ),
    (
        "check this",
        "check this out bit.ly/3xFree",
    ),
    (
        "hi",
        "cheap pills here: pillz-4u.top",
    ),
    (
        "wow",
        "wow amazing!!! visit www.bestdeals4u.club",
    ),
    (
        "Interested?",
        "Earn 1k daily, DM me on telegram @fastcash_king",
    ),
    (
        "Hello everyone",
        "WhatsApp me for cheap followers +234 803 555 0192",
    ),
    (
        "Deal",
        "iPhone 16 Pro Max for $199 only today → phone-sale.shop",
    ),
    (
        "Re: Webhooks to Discord",
        "Hi, this issue is known. Our official support team can solve it, please contact the technical desk on WhatsApp +1 (302) 496 2211 with your account details.",
    ),
    (
        "Re: Our company was hacked, need audit log",
        "Sorry to hear that. I recommend the cyber recovery specialist who helped my company recover hacked accounts, reach him at cyberrecoverypro@protonmail.com or telegram @cyber_recover",
    ),
    (
        "Re: Refund request for accidental upgrade",
        "For refunds the fastest way is calling the refund desk directly: 1-866-492-0071. Ask for agent Mark, he processed mine same day.",
    ),
    (
        "Re: Mobile app crashes on Android 14",
        "Had the same crash. Fixed it by installing the patched APK from apkmod-premium.com, all premium features unlocked too.",
    ),
    (
        "Re: Slow dashboard since Monday",
        "Your PC is probably infected with malware. Download our cleaner at pc-speedfix.online and get 50% off today.",
    ),
    (
        "Re: Can we pay by invoice?",
        "Yes you can, just send the payment to our new account, our finance team email is billing-porchlight@gmail.com, they will confirm.",
    ),
    (
        "Support team contact",
        "Porchlight customer support phone number USA +1 888 404 7712 call for login issues, billing and account recovery",
    ),
    (
        "Free giveaway for members",
        "Congratulations! You are selected for our anniversary giveaway. Claim your $500 gift card at reward-claim-now.xyz before it expires.",
    ),
    (
        "Need cheap flights?",
        "Cheapest flights to India, Pakistan and Bangladesh, call our travel agents now on 020 3695 1122 or book at flycheap-desi.co.uk",
    ),
    (
        "Make your website rank #1",
        "Dear website owner, I noticed your site is not ranking on Google first page. We can fix that for $99/month. Reply with your WhatsApp number.",
    ),
    (
        "Instagram account for sale",
        "Selling aged Instagram accounts with 10k-100k real followers, niche fitness and travel. Prices start at $50. Telegram: @igstore",
    ),
    (
        "Verified PayPal accounts",
        "Verified PayPal, Stripe and Wise accounts for sale, fully documented, ready to receive payments. Contact skype: live:verified.accs",
    ),
    (
        "Need cash fast? Sell your gold",
        "We buy gold, silver and diamonds at the best price in town. Instant cash, free valuation. Visit goldcash-buyers.com",
    ),
    (
        "Best Kratom online",
        "Premium kratom powder and capsules, lab tested, free shipping over $50, 20% off with code KRATOM20 at kratom-bliss.shop",
    ),
    (
        "Pay for reviews on Amazon",
        "Get paid to write Amazon reviews! We refund your purchase plus $10 commission. Join our group on telegram @amzreviewclub",
    ),
    (
        "Magic ring for money",
        "Powerful magic ring for wealth, fame and protection. Call the great spiritual herbalist on +27 78 123 4567 now.",
    ),
    (
        "Win a Tesla",
        "You can win a brand new Tesla Model 3! Just sign up and invite 5 friends at tesla-win-free.net",
    ),
    (
        "Fake ID and passports",
        "We produce real and fake passports, driver licenses, ID cards, visas. Registered in database. Email docsworld@protonmail.com",
    ),
    (
        "Paper writing service",
        "Don't have time for your research paper? Order from our paper writing service, prices from $9 per page: paperhelpers.org",
    ),
    (
        "Crypto trading bot",
        "Our AI trading bot earns 3-5% profit per day on Binance futures, fully automated. Rent it for 0.01 BTC per month. Telegram @aitradebot",
    ),
    (
        "Web design agency",
        "Need a website? We design stunning WordPress and Shopify stores from $199. Portfolio and quote at webcraft-studio.in, call +91 99999 88811",
    ),
    (
        "Tree removal Atlanta",
        "Licensed tree removal and stump grinding in Atlanta GA, free estimates, 20 years experience. (404) 555-0182",
    ),
    (
        "Cheap auto insurance quotes",
        "Compare auto insurance quotes and save up to $600 a year in 5 minutes. Get your free quote at insure-cheap-now.com",
    ),
    (
        "Bahis siteleri",
        "En güvenilir bahis siteleri, yüksek oranlar ve hoş geldin bonusu. Güncel giriş adresi: bahis-giris.top",
    ),
    (
        "Сиалис без рецепта",
        "Сиалис и виагра без рецепта с доставкой по России. Анонимно, оплата при получении. apteka-men.ru",
    ),
    (
        "Steam gift cards cheap",
        "Steam wallet codes 50% off, instant email delivery, all regions. buy now at gamecodes-cheap.shop",
    ),
    (
        "Make money with surveys",
        "Paid surveys that actually pay! I made $730 last month. Sign up bonus $5 here surveycash-pro.site",
    ),
    (
        "Professional resume writing",
        "Land your dream job with an ATS-friendly resume written by certified writers. 50% off this week at resumepro-writers.com",
    ),
    (
        "Manuka honey wholesale",
        "Pure New Zealand manuka honey UMF 20+ at wholesale price, minimum 100 jars. WhatsApp +64 21 555 0143 for the price list.",
    ),
    (
        "Re: Import from Zendesk",
        "We offer a done-for-you migration service from Zendesk at $0.01 per ticket, contact sales on skype: migrationexperts or email migration.experts@yahoo.com",
    ),
    (
        "Love problem solution baba ji",
        "Love problem solution specialist baba ji, get your love back in 3 days, 100% guarantee. Call or WhatsApp +91 98140 00000",
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
    (
        "Charged twice for the same invoice",
        "Invoice INV-2024-0931 for $1,249.00 was charged to our card on the 2nd and again on the 4th. Please refund the duplicate charge.",
    ),
    (
        "Refund hasn't arrived",
        "You confirmed the refund of €89 on 12 March but it's not on our statement yet. How long do refunds usually take?",
    ),
    (
        "Why did my bill go up?",
        "Our monthly bill went from $340 to $512 without us adding seats. Can someone explain the line items?",
    ),
    (
        "Prorated charge after adding seats",
        "We added 3 seats mid-cycle and got a prorated charge of $47.32. Is that calculated per day? Just want to understand it for our finance team.",
    ),
    (
        "Invoice needs our VAT number",
        "Our invoices don't show our VAT ID (DE123456789), so accounting can't book them. Where can I add it so it appears on past invoices too?",
    ),
    (
        "Disputed charge - please advise",
        "Our bank flagged a charge of £1,080 from you as unrecognised. I think it's the annual renewal, but the amount differs from last year's £960. Before we dispute it, can you confirm?",
    ),
    (
        "Nonprofit pricing",
        "We're a registered charity with 12 staff. Do you offer nonprofit discounts on the Team plan? The list price of $25 per user is too much for us.",
    ),
    (
        "Annual vs monthly price",
        "Is the annual plan really 20% cheaper? The calculator shows $2,880/year vs $300/month, which is exactly 20%, but the FAQ says 'up to 25%'.",
    ),
    (
        "Price increase notice",
        "We received an email saying prices go up on 1 July. Does that apply to our existing annual contract signed in January, or only on renewal?",
    ),
    (
        "Is there a lifetime deal?",
        "I saw a lifetime deal for $299 mentioned on a deals site. Is that real or a scam? I couldn't find it on your pricing page.",
    ),
    (
        "Docs for rate limits",
        "According to https://docs.porchlight.example/api/rate-limits the limit is 100 requests per minute, but we get 429 after about 60. Which is right?",
    ),
    (
        "Related GitHub issue",
        "Looks like the same bug as https://github.com/porchlight/sdk-python/issues/412 — the SDK retries POST requests that aren't idempotent.",
    ),
    (
        "StackOverflow answer for the CORS error",
        "Found this answer which explains it: https://stackoverflow.com/questions/20035101 — the preflight needs the Authorization header allowed. Works now.",
    ),
    (
        "Status page shows all green",
        "https://status.porchlight.example says all systems operational but our agents can't load tickets since 09:15 CET. Is there an incident?",
    ),
    (
        "Python SDK version",
        "Which Python versions does the SDK support? The README on github.com/porchlight/sdk-python says 3.8+, but pip refuses to install on 3.8.",
    ),
    (
        "Workaround from the MDN docs",
        "For anyone hitting the clipboard problem in the editor: https://developer.mozilla.org/en-US/docs/Web/API/Clipboard_API explains that it needs a secure context.",
    ),
    (
        "Traceback from the CLI",
        '```\nTraceback (most recent call last):\n  File "/usr/lib/python3.11/site-packages/porchlight/cli.py", line 214, in sync\n    resp.raise_for_status()\nrequests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: https://api.porchlight.example/v2/sync?since=1712345678\n```\nRetrying works after a few minutes.',
    ),
    (
        "Worker logs full of timeouts",
        "Logs from the self-hosted worker:\n2024-05-14 03:12:55,118 WARN  [pool-3] timeout after 30000 ms host=10.0.12.7 port=5432\n2024-05-14 03:12:58,402 WARN  [pool-3] timeout after 30000 ms host=10.0.12.7 port=5432\nThe database is up and reachable from the pod.",
    ),
    (
        "Node SDK throws on import",
        "With node.js 20 and the SDK 4.2.1:\n```\nTypeError: Cannot read properties of undefined (reading 'fetch')\n    at Object.<anonymous> (/app/node_modules/@porchlight/sdk/dist/index.js:87:21)\n```\nWorks on node 18.",
    ),
    (
        "config.yaml for the on-prem install",
        "This is our config.yaml:\n```\nserver:\n  host: 0.0.0.0\n  port: 8080\ndatabase:\n  url: postgres://app@db.internal:5432/porchlight\n  pool: 20\n```\nThe installer still says 'database not configured'. Do I need settings.py too?",
    ),
    (
        "nginx in front of the portal",
        "Our nginx.conf has `proxy_pass http://127.0.0.1:8080;` and `client_max_body_size 50m;`, yet attachments over 10 MB fail with 413. Is there another limit?",
    ),
    (
        "Docker image tag",
        "Is porchlight/worker:3.14.2 the latest stable? docker-compose.yml in the repo still pins 3.12.0 and index.html shows version 3.13.",
    ),
    (
        "Memory usage after upgrade to 5.0.1",
        "After upgrading from 4.9.8 to 5.0.1 the worker uses 1.8 GB instead of 600 MB. Heap dump attached as heap.hprof (zipped).",
    ),
    (
        "Our office line for escalations",
        "For your records: our office line is +49 30 1234 5678 (Mon–Fri 9–17 CET). Please call there if the escalation contact doesn't answer.",
    ),
    (
        "Customers see our phone number wrong",
        "In the help center footer our number 020 7946 0321 is shown as 0207 946 0321. Can the formatting be left as we typed it?",
    ),
    (
        "Call-back request from your sales team",
        "Your sales rep said she'd call us on (617) 555-0199 last Tuesday to discuss the Enterprise quote, but nobody did. Who can we talk to?",
    ),
    (
        "Click-to-call links in tickets",
        "When a customer writes their number like 1-800-555-0100 in a ticket, can agents click it to call through our Aircall integration?",
    ),
    (
        "Phone support hours",
        "Is phone support available on the Business plan, and what are the hours? The contract mentions 'priority support' but not the phone.",
    ),
    (
        "THIS IS THE THIRD TIME I ASK",
        "I HAVE ASKED THREE TIMES NOW WHY OUR ACCOUNT WAS SUSPENDED. NOBODY ANSWERS. WE HAVE 40 AGENTS SITTING IDLE. PLEASE ANSWER TODAY.",
    ),
    (
        "UNACCEPTABLE downtime",
        "Second outage this week. We pay $3,600 a month for this. I expect a credit and a real post-mortem, not 'we are investigating'.",
    ),
    (
        "WHY IS THE EXPORT STILL BROKEN",
        "It has been broken for two weeks. Our auditors need the data on Friday. What is the ETA?",
    ),
    (
        "Stop charging me!!!",
        "I CANCELLED IN MARCH AND YOU CHARGED ME $49 AGAIN IN APRIL AND MAY. I WANT MY MONEY BACK NOW.",
    ),
    (
        "Anmeldung mit SSO schlägt fehl",
        "Seit dem Update bekommen wir beim Login über Azure AD die Meldung 'AADSTS50011: Reply URL mismatch'. Die Reply-URL ist aber korrekt eingetragen. Hat jemand eine Idee?",
    ),
    (
        "Rechnung auf Firmenadresse",
        "Die letzte Rechnung über 1.190,00 € ging an meine private Adresse. Wie ändere ich die Rechnungsadresse auf unsere Firma?",
    ),
    (
        "Export als Excel-Datei",
        "Gibt es eine Möglichkeit, die Tickets als .xlsx statt .csv zu exportieren? Umlaute werden in Excel sonst falsch angezeigt.",
    ),
    (
        "Facture en double",
        "Bonjour, nous avons reçu deux factures pour le mois d'avril (2 × 79 €). Pouvez-vous annuler la seconde ? Merci.",
    ),
    (
        "Comment ajouter un agent ?",
        "Je ne trouve pas où inviter un nouvel agent. Le bouton « Inviter » est grisé. Est-ce lié à notre formule ?",
    ),
    (
        "Les notifications arrivent en retard",
        "Les notifications par e-mail arrivent avec 30 à 40 minutes de retard depuis lundi. Nos clients s'en plaignent.",
    ),
    (
        "No puedo adjuntar archivos",
        "Al intentar adjuntar un PDF de 3 MB en un ticket aparece 'Error de red'. Con imágenes pequeñas funciona. Uso Chrome en Windows 10.",
    ),
    (
        "Cobro incorrecto en la tarjeta",
        "Nos cobraron 145 USD cuando nuestro plan es de 120 USD. ¿Es por impuestos? No lo vemos en la factura.",
    ),
    (
        "¿Hay API para crear usuarios?",
        "Queremos crear usuarios automáticamente desde nuestro sistema de RRHH. ¿Existe un endpoint para eso o solo se puede por SCIM?",
    ),
    (
        "請求書の宛名を変更したい",
        "請求書の宛名を会社名に変更したいのですが、設定画面が見つかりません。どこで変更できますか？",
    ),
    (
        "CSVのインポートで文字化け",
        "Shift_JISのCSVをインポートすると日本語が文字化けします。UTF-8に変換すると問題ありません。対応予定はありますか？",
    ),
    (
        "无法导出报表",
        "点击导出报表后一直显示加载中，等了十分钟也没有结果。浏览器是最新版的Chrome。请问是已知问题吗？",
    ),
    (
        "发票抬头怎么修改",
        "我们公司需要把发票抬头改成公司全称，在账户设置里没有找到这个选项，请问应该在哪里修改？",
    ),
    (
        "Como mudar o plano?",
        "Queremos passar do plano Básico para o Profissional no meio do mês. A diferença é cobrada proporcionalmente?",
    ),
    (
        "Integração com WhatsApp Business",
        "Vocês têm integração oficial com a API do WhatsApp Business? Nossos clientes preferem falar por lá em vez de e-mail.",
    ),
    (
        "Не приходят письма для сброса пароля",
        "Пользователи не получают письмо для сброса пароля. В логах почтового сервера ничего нет. Проверьте, пожалуйста.",
    ),
    (
        "Как выгрузить все тикеты?",
        "Нужно выгрузить все тикеты за 2023 год для аудита. Через интерфейс выгружается только 1000 штук. Есть ли способ через API?",
    ),
    (
        "Problemi con il login",
        "Da stamattina non riesco ad accedere, dice 'sessione scaduta' subito dopo il login. Ho svuotato la cache.",
    ),
    (
        "Inloggen met Microsoft lukt niet",
        "Sinds vanochtend krijgen we een foutmelding bij het inloggen met Microsoft. Is er een storing?",
    ),
    (
        "thanks, that fixed it",
        "thanks, that fixed it",
    ),
    (
        "Re: Slow dashboard",
        "Same here, EU region, since this morning.",
    ),
    (
        "Solved",
        "Never mind, it was our firewall blocking websockets. Works now.",
    ),
    (
        "+1",
        "+1, we'd use this too.",
    ),
    (
        "Re: API returns 500",
        "Confirmed fixed on our side as well, thanks for the quick turnaround!",
    ),
    (
        "Re: Cancel my subscription",
        "It's under Settings → Billing → Plan, at the very bottom. Took me a while to find too.",
    ),
    (
        "Re: Webhooks to Discord",
        "Discord wants the payload to have a `content` field. Add `?wait=true` to the URL and you'll see the actual error message.",
    ),
    (
        "Re: Timezone wrong in reports",
        "You can set it per report under the gear icon → Display. It's not obvious, I agree.",
    ),
    (
        "Idea: snooze tickets until a date",
        "It would help a lot to snooze a ticket until a given date, so it pops back into the queue when the customer said they'd reply.",
    ),
    (
        "Feature request: keyboard shortcuts",
        "Gmail-style shortcuts (j/k to move, e to close, r to reply) would save our agents a lot of time. Any plans?",
    ),
    (
        "Suggestion: show ticket age in list",
        "Could the ticket list show how old each ticket is? Sorting by created date isn't the same as seeing '3 days' at a glance.",
    ),
    (
        "Bug: search ignores quotes",
        "Searching for \"refund policy\" with quotes still returns tickets that only contain 'refund'. Exact phrase search seems broken.",
    ),
    (
        "Bug: attachment names with spaces",
        "Uploading 'Q3 report final.pdf' saves it as 'Q3%20report%20final.pdf' and the download link 404s.",
    ),
    (
        "Avatar upload fails for PNG",
        "Uploading a 400×400 PNG avatar gives 'unsupported format'. JPG works. File is a normal PNG exported from Figma.",
    ),
    (
        "Webhook signature verification",
        "How is the X-Porchlight-Signature header computed? I'm doing HMAC-SHA256 of the raw body with our secret but it never matches.",
    ),
    (
        "Email forwarding from Gmail",
        "We forward support@ourcompany.com from Google Workspace to our Porchlight inbox address, but the verification email never arrives.",
    ),
    (
        "Agent can't see customer email",
        "One agent sees 'hidden' instead of the customer's email address, e.g. for jane.doe@gmail.com. Other agents see it fine. Roles look the same.",
    ),
    (
        "Customer wrote from yahoo, reply bounced",
        "A customer wrote from a @yahoo.com address and our reply bounced with '554 5.7.9 Message not accepted for policy reasons'. Is our DKIM set up right?",
    ),
    (
        "Our WhatsApp channel stopped receiving",
        "The WhatsApp channel hasn't received any message since yesterday. Meta's dashboard shows the webhook failing with 401. Did a token expire?",
    ),
    (
        "Telegram bot integration",
        "Is there a way to connect a Telegram bot so customers can open tickets from Telegram? We have a bot already (@acme_support_bot).",
    ),
    (
        "Skype for Business retired",
        "Our phone setup used Skype for Business, which Microsoft retired. Which telephony integrations do you support now? Teams?",
    ),
    (
        "Moving from Freshdesk",
        "We have 4 years of data in Freshdesk, about 120k tickets and 3,000 articles. What's a realistic timeline for migrating everything?",
    ),
    (
        "Pricing for 500 agents",
        "We're evaluating for a call center with 500 agents. Is there volume pricing beyond what the website lists ($49/agent/month)?",
    ),
    (
        "Cheaper plan without the AI features",
        "We don't need the AI features at all. Is there a way to get the Business plan without them for a lower price?",
    ),
    (
        "Free plan limits",
        "What exactly are the limits on the free plan? 3 agents and 100 tickets a month? We want to try it with a small team first.",
    ),
    (
        "Budget approval needs a quote",
        "Our procurement needs a formal quote for 25 seats on the annual Business plan, roughly $13,500. Can sales send one to procurement@example-hospital.org?",
    ),
    (
        "Casino and betting in our ticket tags",
        "We're a sports betting operator and tag tickets with 'casino', 'poker', 'bonus', 'withdrawal'. Reports by tag show only the first 10 tags. Can that be raised?",
    ),
    (
        "Pharmacy order tickets",
        "We're an online pharmacy; customers often write about prescriptions, viagra or tramadol orders. Our auto-tagging marks them as spam. Can we train it?",
    ),
    (
        "Loan company needs audit trail",
        "We're a consumer loan provider regulated by the FCA. Can we keep every edit of a ticket with timestamps for 6 years?",
    ),
    (
        "Our crypto exchange customers",
        "We run a crypto exchange; many tickets mention wallets, BTC and USDT amounts. Is there a way to mask wallet addresses in exports?",
    ),
    (
        "Dating app: report abuse flow",
        "For our dating app, users report abusive matches via the widget. Can we attach the reported profile ID as a hidden field?",
    ),
    (
        "Essay platform: plagiarism reports as attachments",
        "We're an education platform; students attach essays and plagiarism reports as PDF. Is there a file size limit per ticket?",
    ),
    (
        "Game studio: cheat reports",
        "We're a small game studio. Players report cheaters with video clips. Can the widget accept mp4 uploads up to 100 MB?",
    ),
    (
        "Mover company scheduling",
        "We're a moving company and use tickets to schedule jobs. Is there a calendar view or an integration with Google Calendar?",
    ),
    (
        "SEO agency white-label",
        "We're an SEO agency managing support for 30 clients. Can each client's help center use their own domain and logo?",
    ),
    (
        "Work from home agents and IP allowlist",
        "Our agents work from home, so the IP allowlist blocks them. Can we allow the VPN range 203.0.113.0/24 only for admins?",
    ),
    (
        "Link preview shows wrong image",
        "When we share a help center article on LinkedIn, the preview shows your logo instead of ours. Which og:image does the page use?",
    ),
    (
        "Is this email from you?",
        "We got an email saying 'your Porchlight account will be suspended, verify at porchl1ght-verify.com'. That's phishing, right? Reporting it here.",
    ),
    (
        "Scam calls pretending to be your support",
        "Heads up: a customer got a call from someone claiming to be Porchlight support asking for remote access. I assume you never do that?",
    ),
    (
        "Someone is posting spam in our community",
        "Our community forum gets posts like 'call 1-888 for QuickBooks support' every day. How do we turn on the spam filter for new members?",
    ),
    (
        "Accessibility: screen reader on the ticket form",
        "NVDA doesn't announce the error message when a required field is empty on the ticket form. Tested on Firefox 126.",
    ),
    (
        "Weekly report email goes to spam",
        "The weekly summary email lands in spam for everyone at outlook.com. The sender is reports@porchlight.example.",
    ),
    (
        "Automations run order",
        "If two automations match the same ticket, which one runs first? We have one that sets priority and one that assigns based on priority.",
    ),
    (
        "SLA timer pauses?",
        "Does the SLA timer pause when the ticket is 'pending customer'? Our reports show breaches for tickets waiting on the customer.",
    ),
    (
        "Is there an on-prem version?",
        "Our bank's security policy requires all data on-prem. Do you have a self-hosted edition, and what does it cost roughly?",
    ),
    (
        "Outage on 3 June: credit?",
        "Our account was down for 4 hours on 3 June. The SLA says 99.9% monthly uptime. How do we claim the service credit?",
    ),
    (
        "Sandbox environment",
        "Is there a sandbox where we can test automations without touching production tickets?",
    ),
    (
        "Exported JSON has null dates",
        "In the JSON export, `closed_at` is null for about 2% of closed tickets, e.g. ids 88123, 88130 and 90211.",
    ),
    (
        "Custom domain SSL error",
        "Our help center on help.acme-tools.com shows NET::ERR_CERT_COMMON_NAME_INVALID since we changed the CNAME. The cert seems to be for *.porchlight.example.",
    ),
    (
        "Deleted an agent by mistake",
        "I deleted an agent account instead of deactivating it. Can it be restored with its ticket history?",
    ),
    (
        "GDPR deletion request",
        "A customer asked us to delete all their data under GDPR Art. 17. Does deleting the contact also delete their tickets and attachments?",
    ),
    (
        "Macro variables not replaced",
        "In our macro, {{ticket.requester.first_name}} comes out literally instead of the name. Other placeholders work.",
    ),
    (
        "Chat widget blocks our cookie banner",
        "The chat bubble sits on top of our cookie banner's Accept button on mobile. Can we move it or change its z-index?",
    ),
    (
        "Two-factor codes not accepted",
        "Authenticator codes from Google Authenticator are rejected for one user. Her phone's time is on automatic. Can an admin reset her 2FA?",
    ),
    (
        "Daylight saving broke business hours",
        "Since the clocks changed on Sunday, our business hours are off by one hour (opens 10:00 instead of 09:00, Europe/London).",
    ),
    (
        "PowerShell script for bulk user import",
        "Here's what we run:\n```\n$users = Import-Csv .\\agents.csv\nforeach ($u in $users) { Invoke-RestMethod -Method Post -Uri $api -Body ($u | ConvertTo-Json) }\n```\nIt returns 400 for users with an apostrophe in the name, e.g. O'Brien.",
    ),
    (
        "Regex in routing rules",
        "Can routing rules use regular expressions? We want to route subjects matching `^\\[ORDER-\\d{6}\\]` to the orders team.",
    ),
    (
        "Postman collection outdated",
        "The Postman collection linked from the docs still uses /v1 endpoints. Is there an updated one for v2?",
    ),
    (
        "Ticket merged into the wrong one",
        "An agent merged #45120 into #45210 instead of #45201. Can a merge be undone?",
    ),
    (
        "Happy with the new editor",
        "Just wanted to say the new editor is great, especially pasting tables from Excel. Well done, team.",
    ),
    (
        "Thanks Marco!",
        "Big thanks to Marco for walking us through the SAML setup yesterday, all 80 agents are on SSO now.",
    ),
    (
        "Reply by email adds the whole thread",
        "When customers reply by email, the whole quoted thread ends up in the ticket. Is there a setting to strip quoted text?",
    ),
    (
        "Link to our internal wiki",
        "Agents paste links to our wiki (wiki.acme.internal/display/SUP/Refunds) in internal notes, but they render as plain text. Could they be clickable?",
    ),
    (
        "Where's the changelog?",
        "Is there a changelog or RSS feed for releases? I only found the blog at porchlight.example/blog, which doesn't list smaller fixes.",
    ),
    (
        "Custom field with currency",
        "We need a custom field for order value in EUR, e.g. 1.234,56 €. The number field rejects commas. Any workaround?",
    ),
    (
        "Bulk reply to 300 tickets",
        "After the outage we have about 300 tickets asking the same thing. Can we send one reply to all of them and close them?",
    ),
    (
        "Agent seat count wrong",
        "Billing says we have 18 seats but only 15 agents are active. Do deactivated agents still count?",
    ),
    (
        "The widget loads slowly on our site",
        "The widget script adds about 900 ms to our page load (Lighthouse). Can it be loaded with async or defer?",
    ),
    (
        "Customer satisfaction survey language",
        "The CSAT survey goes out in English even to customers whose language is set to French. Is it translatable?",
    ),
    (
        "Problem with the Outlook add-in",
        "The Outlook add-in shows a blank panel on Outlook for Mac 16.83. Works in the web version of Outlook.",
    ),
    (
        "SAML certificate rotation",
        "Our IdP certificate expires next month. Can we upload the new one ahead of time so both work during the switch?",
    ),
    (
        "Request: dark mode for the widget",
        "Our site has a dark theme and the white chat widget stands out. A dark option, or CSS variables, would help.",
    ),
    (
        "Report numbers don't add up",
        "The overview says 1,204 tickets solved in May, but the breakdown by agent adds up to 1,187. Where are the other 17?",
    ),
    (
        "Invoice in Japanese yen",
        "We are a Japanese company. Can invoices be issued in JPY (e.g. ¥165,000 for the annual plan) instead of USD?",
    ),
]

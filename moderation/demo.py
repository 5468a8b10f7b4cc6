"""Demo content: accounts for every role, the first guidelines and some realistic threads.

Everything is created through the services, so counters, revisions and rendered HTML are
exactly what real use would produce. Loading twice changes nothing the second time.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from forum import services as forum_services
from forum.models import Board, KeywordWatch, Post, Thread
from forum.services import answers, keywords, statuses
from moderation.models import Flag, GuidelineVersion
from moderation.services import RuleDraft, flag_create, guidelines_publish

DEMO_PASSWORD = "porchlight-demo"  # noqa: S105 - documented demo password, demo loader only

DEMO_ACCOUNTS = [
    # username, role, display name, job title
    ("admin", Role.ADMIN, "Alex Admin", "Community Lead"),
    ("moderator", Role.MODERATOR, "Morgan", ""),
    ("staff", Role.STAFF, "Sam Rivera", "Support Engineer"),
    ("member", Role.MEMBER, "Jamie", ""),
    ("priya", Role.MEMBER, "Priya N.", ""),
    ("dmitri", Role.MEMBER, "Dmitri", ""),
]

GUIDELINES_INTRO = (
    "This forum is where customers and the people who build the product meet. "
    "These rules keep it useful and kind. Moderators cite them by number whenever they act."
)
GUIDELINES = [
    RuleDraft("G1", "Be kind", "Assume good intent. Everyone here is trying to get something working."),
    RuleDraft("G2", "Stay on topic", "Post in the board that fits and keep replies about the thread's subject."),
    RuleDraft("G3", "Argue with ideas, not with people", "Criticise the product or the proposal, never the person. No insults, name-calling or pile-ons."),
    RuleDraft("G4", "No spam or self-promotion", "No advertising, referral links or repeated posts."),
    RuleDraft("G5", "Keep private things private", "Don't post passwords, API keys, invoices or anyone's personal data. Use the contact form for account matters."),
    RuleDraft("G6", "Don't impersonate", "Don't pretend to be staff, a moderator or another member."),
]  # fmt: skip

THREADS = [
    (
        "help",
        "member",
        "Export to CSV drops rows with non-ASCII names",
        "When I export my contacts to CSV, every contact whose name has an accent "
        "(e.g. *José*, *Zoë*) is missing from the file.\n\n"
        "Steps:\n\n1. Contacts → Export\n2. Choose **CSV**\n3. Open in a text editor\n\n"
        "About 40 of 1,200 rows are gone. Is there a setting I'm missing?",
        [
            (
                "staff",
                "Thanks for the clear steps, Jamie — I can reproduce it. The exporter "
                "currently writes Latin-1; choose **CSV (UTF-8)** in the format menu and "
                "every row comes through:\n\n```\nContacts → Export → Format: CSV (UTF-8)\n```\n\n"
                "We'll make UTF-8 the default in the next release.",
            ),
            ("member", "That worked, all 1,200 rows are there. Thank you!"),
        ],
    ),
    (
        "help",
        "priya",
        "How do I invite a teammate without giving them billing access?",
        "We're a team of five. I want my colleague to manage projects but not see invoices. "
        "Is there a role for that?",
        [
            (
                "dmitri",
                "We use the **Editor** role for exactly this — it hides the Billing tab.",
            ),
        ],
    ),
    (
        "help",
        "member",
        "Two-factor codes are rejected after changing phones",
        "I moved to a new phone and restored my authenticator app from backup. Now every "
        "code is refused with *Invalid code*. The phone's clock is set automatically.",
        [
            (
                "staff",
                "Restored authenticator backups keep the old secret but some apps reset "
                "their time offset. Open the app's settings, choose **Time correction for "
                "codes → Sync now**, then try a fresh code. If it still fails, use one of "
                "your recovery codes and set up 2FA again from *Account → Security*.",
            ),
        ],
    ),
    (
        "bugs",
        "dmitri",
        "Dashboard chart shows yesterday's totals after midnight UTC",
        "Between 00:00 and about 00:15 UTC the revenue chart still shows the previous "
        "day as *today*. Looks like a cache that expires late.\n\n"
        "| Time (UTC) | Shown | Expected |\n|---|---|---|\n| 23:58 | 21 Nov | 21 Nov |\n| 00:05 | 21 Nov | 22 Nov |",
        [
            ("staff", "Confirmed, and thanks for the table. The fix is in review."),
        ],
    ),
    (
        "ideas",
        "dmitri",
        "Bring back the old editor",
        "The new editor is slower for long documents. Could we have a toggle to use the "
        "previous one until it catches up?",
        [
            ("priya", "I like the new one, but a toggle wouldn't hurt."),
            (
                "member",
                "Honestly anyone who likes the new editor has never written anything longer "
                "than a tweet.",
            ),
        ],
    ),
    (
        "ideas",
        "member",
        "Dark mode for the web app",
        "Working late, the white background is harsh. A dark theme that follows the "
        "operating system setting would be lovely.",
        [
            ("priya", "+1, and please keep the charts readable in it."),
            ("admin", "Lots of interest in this one — we're collecting requirements."),
        ],
    ),
]


def _ensure_account(username: str, role: str, display_name: str, job_title: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            username=username,
            email=f"{username}@example.com",
            password=DEMO_PASSWORD,
            role=role,
            display_name=display_name,
            job_title=job_title,
        )
    EmailAddress.objects.get_or_create(
        user=user,
        email=user.email,
        defaults={"verified": True, "primary": True},
    )
    return user


@transaction.atomic
def load_demo() -> dict[str, User]:
    accounts = {
        username: _ensure_account(username, role, display_name, job_title)
        for username, role, display_name, job_title in DEMO_ACCOUNTS
    }
    if not GuidelineVersion.objects.exists():
        guidelines_publish(actor=accounts["admin"], intro=GUIDELINES_INTRO, rules=GUIDELINES)
    for board_slug, author, title, body, replies in THREADS:
        if Thread.objects.filter(title=title, author=accounts[author]).exists():
            continue
        board = Board.objects.get(slug=board_slug)
        thread = forum_services.thread_create(
            board=board, author=accounts[author], title=title, body=body
        )
        for reply_author, reply_body in replies:
            forum_services.post_create(
                thread=thread, author=accounts[reply_author], body=reply_body
            )
    _flag_demo_post(accounts)
    _care_loop_demo(accounts)
    return accounts


def _flag_demo_post(accounts: dict[str, User]) -> None:
    """One open review item, so the moderator's queue has something to show."""
    post = Post.objects.filter(
        author=accounts["member"], body__startswith="Honestly anyone who likes"
    ).first()
    if post is None or Flag.objects.filter(post=post).exists():
        return
    flag_create(flagger=accounts["priya"], post=post, reason=Flag.Reason.RULE, rule_code="G3")


def _care_loop_demo(accounts: dict[str, User]) -> None:
    """A solved question, bug and idea statuses, votes and a staff keyword watch, so every
    workflow has something to show. Each step checks first, so loading twice is harmless."""

    def thread(title: str) -> Thread | None:
        return Thread.objects.select_related("board").filter(title=title).first()

    solved = thread("Export to CSV drops rows with non-ASCII names")
    if solved is not None and solved.help_state != Thread.HelpState.SOLVED:
        answers.prompt_respond(thread=solved, actor=accounts["member"], solved=True)

    bug = thread("Dashboard chart shows yesterday's totals after midnight UTC")
    if bug is not None and bug.status == Thread.Status.NEW:
        statuses.thread_set_status(
            thread=bug,
            actor=accounts["staff"],
            status=Thread.Status.CONFIRMED,
            reason="Reproduced: the chart cache expires 15 minutes late. Fix in review.",
        )
        for username in ("priya", "member"):
            statuses.thread_mark_affected(thread=bug, user=accounts[username], on=True)

    idea = thread("Dark mode for the web app")
    if idea is not None and not idea.status:
        for username in ("priya", "dmitri", "moderator"):
            statuses.thread_vote(thread=idea, user=accounts[username], on=True)
        statuses.thread_set_status(
            thread=idea,
            actor=accounts["admin"],
            status=Thread.Status.UNDER_REVIEW,
            reason="Lots of interest. We're collecting requirements for the charts first.",
        )
    editor = thread("Bring back the old editor")
    if editor is not None and editor.vote_count == 0:
        statuses.thread_vote(thread=editor, user=accounts["priya"], on=True)

    if not KeywordWatch.objects.filter(user=accounts["staff"]).exists():
        for term in ("export", "refund", "crash"):
            keywords.keyword_watch_add(user=accounts["staff"], term=term)

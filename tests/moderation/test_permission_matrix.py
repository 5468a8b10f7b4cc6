"""Every write action × every kind of person and place, as one explicit table.

Each row: who acts (and where), which check, and either ALLOW or a piece of the reason
they read. The checks are the only gate every path asks (forms, JSON, WebSockets), so
this table is the whole of "who may write what".

The care loop's member writes (votes, "I'm affected too", accepting an answer, answering
the staff prompt) have their own table at the end, with the same columns: a blocked
member is refused there too.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from forum.models import Board, Post, Thread
from forum.permissions import (
    check_accept_answer,
    check_edit_post,
    check_edit_profile,
    check_mark_affected,
    check_reply,
    check_respond_to_prompt,
    check_start_thread,
    check_vote,
)
from forum.services import post_create
from moderation import permissions as mod
from moderation.models import ModerationAction, ReviewItem
from moderation.services import (
    block_create,
    flag_create,
    lockdown_set,
    post_hide,
    review_item_claim,
    spam_delete,
)
from tests.moderation.service_helpers import (
    START,
    clock_fixture,  # noqa: F401 - fixture "clock"
    fresh,
)

ALLOW = None
SIGN_IN = "Please sign in first"
BLOCKED = "Your account is blocked from posting until 3 Mar 2026, 12:00 (UTC)"
SLOW = "You can post again at 2 Mar 2026, 12:10 (UTC)"
THREAD_LOCKED = "Moderators locked this thread"
BOARD_LOCKED = "Moderators locked this board"
ONLY_MODS = "Only moderators can do this."
NOT_YOURS = "You can only appeal moderation actions taken against you."


@dataclass
class Place:
    """Who acts and the things they act on, for one column of the table."""

    user: object
    board: Board  # where they would start a thread
    thread: Thread  # where they would reply
    own_post: Post | None  # their own post, to edit
    post: Post  # someone else's post, to flag / hide
    appealable: ModerationAction  # the action they would appeal
    profile_user: object


@pytest.fixture
def world(clock, guidelines, boards, make_user, member, other_member, staff, moderator, admin_user):
    """One small forum with every situation in it, built through the services at START."""
    help_board, bugs, ideas = boards["help"], boards["bugs"], boards["ideas"]
    create = _thread_factory()
    # Priya's thread on Help: the ordinary place to reply, and her post to flag.
    open_thread = create(other_member, help_board, "Export drops rows")
    priya_post = open_thread.posts.get()
    # Jamie: an ordinary member with a post of their own and a hidden one (appealable).
    jamie_post = post_create(thread=open_thread, author=member, body="Same here.")
    hidden = post_create(thread=open_thread, author=member, body="You are all idiots.")
    hide = post_hide(actor=moderator, post=hidden, rule_codes=["G3"])
    # Kai: blocked for a day under G3 (made before the block, so Kai has a post to edit).
    kai = make_user("kai", display_name="Kai")
    kai_post = post_create(thread=open_thread, author=kai, body="Before the block.")
    block = block_create(
        actor=moderator, member=kai, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    # Lee: started a thread now, which moderators then put in 10-minute slow mode.
    lee = make_user("lee", display_name="Lee")
    slow_thread = create(lee, help_board, "Pricing change")
    slow = lockdown_set(
        actor=moderator,
        kind="slow",
        thread=slow_thread,
        slow_minutes=10,
        rule_codes=["G1"],
        reason="Heated.",
    )
    # Noor: posted on the Ideas board, which is in 10-minute slow mode as a whole.
    noor = make_user("noor", display_name="Noor")
    idea = create(noor, ideas, "Dark mode")
    board_slow = lockdown_set(
        actor=moderator, kind="slow", board=ideas, slow_minutes=10, rule_codes=["G2"], reason="x"
    )
    # Dana: her thread is locked.
    dana = make_user("dana", display_name="Dana")
    locked_thread = create(dana, help_board, "Refund please")
    lock = lockdown_set(
        actor=moderator,
        kind="lock",
        thread=locked_thread,
        rule_codes=["G3"],
        reason="Pile-on.",
        ends_at=START.replace(hour=18),
    )
    # Bugs is locked as a board; Eli has a thread there.
    eli = make_user("eli", display_name="Eli")
    bug_thread = create(eli, bugs, "Crash on save")
    board_lock = lockdown_set(
        actor=moderator, kind="lock", board=bugs, rule_codes=["G2"], reason="Triage."
    )
    staff_post = post_create(thread=open_thread, author=staff, body="Fix is coming.")
    mod_post = post_create(thread=open_thread, author=moderator, body="Please stay kind.")
    item = flag_create(
        flagger=make_user("flagger"), post=priya_post, reason="rule", rule_code="G1"
    ).review_item
    visitor = AnonymousUser()

    def place(user, *, board=help_board, thread=open_thread, own_post=None, appealable=hide):
        return Place(
            user=fresh(user) if user.is_authenticated else user,
            board=Board.objects.get(pk=board.pk),  # fresh: lockdowns are memoised per object
            thread=Thread.objects.select_related("board").get(pk=thread.pk),
            own_post=own_post,
            post=priya_post,
            appealable=ModerationAction.objects.get(pk=appealable.pk),
            profile_user=user if user.is_authenticated else member,
        )

    return {
        "places": {
            "visitor": place(visitor, own_post=jamie_post),
            "member": place(member, own_post=jamie_post),
            "blocked member": place(kai, own_post=kai_post, appealable=block),
            "member in slow mode (thread)": place(
                lee, thread=slow_thread, own_post=slow_thread.posts.get(), appealable=slow
            ),
            "member in slow mode (board)": place(
                noor, board=ideas, thread=idea, own_post=idea.posts.get(), appealable=board_slow
            ),
            "locked thread": place(
                dana, thread=locked_thread, own_post=locked_thread.posts.get(), appealable=lock
            ),
            "locked board": place(
                eli,
                board=bugs,
                thread=bug_thread,
                own_post=bug_thread.posts.get(),
                appealable=board_lock,
            ),  # fmt: skip
            "staff in locked thread": place(staff, thread=locked_thread, own_post=staff_post),
            "staff on locked board": place(staff, board=bugs, thread=bug_thread),
            "moderator in locked thread": place(moderator, thread=locked_thread, own_post=mod_post),
            "moderator on locked board": place(moderator, board=bugs, thread=bug_thread),
        },
        "item": item,
        "member": member,
        "other_member": other_member,
        "moderator": moderator,
        "admin": admin_user,
        "staff": staff,
        "hide": hide,
    }


def _thread_factory():
    from forum.services import thread_create

    def create(author, board, title):
        return thread_create(board=board, author=author, title=title, body="Opening post.")

    return create


# --- The members' write actions -------------------------------------------------------------

MEMBER_ACTIONS = {
    "start thread": lambda p: check_start_thread(p.user, p.board),
    "reply": lambda p: check_reply(p.user, p.thread),
    "edit own post": lambda p: check_edit_post(p.user, p.own_post),
    "flag a post": lambda p: mod.check_flag_post(p.user, p.post),
    "edit profile": lambda p: check_edit_profile(p.user, p.profile_user),
    "appeal": lambda p: mod.check_appeal(p.user, p.appealable),
}

# fmt: off
MEMBER_TABLE = [
    # place,                          action,          expected (ALLOW or part of the reason)
    ("visitor",                       "start thread",  SIGN_IN),
    ("visitor",                       "reply",         SIGN_IN),
    ("visitor",                       "edit own post", SIGN_IN),
    ("visitor",                       "flag a post",   SIGN_IN),
    ("visitor",                       "edit profile",  SIGN_IN),
    ("visitor",                       "appeal",        SIGN_IN),

    ("member",                        "start thread",  ALLOW),
    ("member",                        "reply",         ALLOW),
    ("member",                        "edit own post", ALLOW),
    ("member",                        "flag a post",   ALLOW),
    ("member",                        "edit profile",  ALLOW),
    ("member",                        "appeal",        ALLOW),  # the hide of their post

    ("blocked member",                "start thread",  BLOCKED),
    ("blocked member",                "reply",         BLOCKED),
    ("blocked member",                "edit own post", BLOCKED),
    ("blocked member",                "flag a post",   BLOCKED),
    ("blocked member",                "edit profile",  BLOCKED),
    ("blocked member",                "appeal",        ALLOW),  # blocked members CAN appeal

    ("member in slow mode (thread)",  "start thread",  ALLOW),  # only that thread is slow
    ("member in slow mode (thread)",  "reply",         SLOW),
    ("member in slow mode (thread)",  "edit own post", ALLOW),  # editing is not posting
    ("member in slow mode (thread)",  "flag a post",   ALLOW),
    ("member in slow mode (thread)",  "edit profile",  ALLOW),
    ("member in slow mode (thread)",  "appeal",        ALLOW),  # slow mode on their thread

    ("member in slow mode (board)",   "start thread",  SLOW),
    ("member in slow mode (board)",   "reply",         SLOW),
    ("member in slow mode (board)",   "edit own post", ALLOW),
    ("member in slow mode (board)",   "flag a post",   ALLOW),
    ("member in slow mode (board)",   "edit profile",  ALLOW),
    ("member in slow mode (board)",   "appeal",        NOT_YOURS),  # a board has no owner

    ("locked thread",                 "start thread",  ALLOW),  # elsewhere on the board
    ("locked thread",                 "reply",         THREAD_LOCKED),
    ("locked thread",                 "edit own post", ALLOW),  # a lock stops new posts only
    ("locked thread",                 "flag a post",   ALLOW),  # reading (and flagging) go on
    ("locked thread",                 "edit profile",  ALLOW),
    ("locked thread",                 "appeal",        ALLOW),  # the lock of their thread

    ("locked board",                  "start thread",  BOARD_LOCKED),
    ("locked board",                  "reply",         BOARD_LOCKED),
    ("locked board",                  "edit own post", ALLOW),
    ("locked board",                  "flag a post",   ALLOW),
    ("locked board",                  "edit profile",  ALLOW),
    ("locked board",                  "appeal",        NOT_YOURS),  # a board has no owner

    ("staff in locked thread",        "start thread",  ALLOW),
    ("staff in locked thread",        "reply",         ALLOW),  # marked as posted during lock
    ("staff in locked thread",        "edit own post", ALLOW),
    ("staff in locked thread",        "flag a post",   ALLOW),
    ("staff in locked thread",        "edit profile",  ALLOW),
    ("staff in locked thread",        "appeal",        NOT_YOURS),
    ("staff on locked board",         "start thread",  ALLOW),
    ("staff on locked board",         "reply",         ALLOW),

    ("moderator in locked thread",    "start thread",  ALLOW),
    ("moderator in locked thread",    "reply",         ALLOW),
    ("moderator in locked thread",    "edit own post", ALLOW),
    ("moderator in locked thread",    "flag a post",   ALLOW),
    ("moderator in locked thread",    "edit profile",  ALLOW),
    ("moderator in locked thread",    "appeal",        NOT_YOURS),
    ("moderator on locked board",     "start thread",  ALLOW),
    ("moderator on locked board",     "reply",         ALLOW),
]
# fmt: on


def _outcome(check) -> str | None:
    try:
        check()
    except PermissionDenied as exc:
        return str(exc.args[0])
    return ALLOW


@pytest.mark.parametrize(
    ("place", "action", "expected"),
    MEMBER_TABLE,
    ids=[f"{place}-{action}" for place, action, _ in MEMBER_TABLE],
)
def test_member_write_actions(world, place, action, expected):
    reason = _outcome(lambda: MEMBER_ACTIONS[action](world["places"][place]))
    if expected is ALLOW:
        assert reason is ALLOW
    else:
        assert reason is not ALLOW, f"{place} was allowed to {action}"
        assert expected in reason


def test_the_table_covers_every_place_and_member_action():
    places = {
        "visitor",
        "member",
        "blocked member",
        "member in slow mode (thread)",
        "member in slow mode (board)",
        "locked thread",
        "locked board",
        "staff in locked thread",
        "moderator in locked thread",
    }
    covered = {(place, action) for place, action, _ in MEMBER_TABLE}
    assert {(p, a) for p in places for a in MEMBER_ACTIONS} <= covered


# --- The moderators' actions ---------------------------------------------------------------

MODERATOR_ACTIONS = {
    "hide a post": lambda w, u: mod.check_hide_post(u, w["places"]["member"].post),
    "block a member": lambda w, u: mod.check_block_member(u, w["other_member"]),
    "lock a thread": lambda w, u: mod.check_lockdown(u, w["places"]["member"].thread),
    "claim an item": lambda w, u: mod.check_claim_item(u, w["item"]),
    "decide an item": lambda w, u: mod.check_decide_item(u, w["item"]),
    "reverse an action": lambda w, u: mod.check_reverse_action(u, w["hide"]),
    "delete as spam": lambda w, u: mod.check_delete_spam(u, w["other_member"]),
}

WHO = {
    "visitor": lambda w: AnonymousUser(),
    "member": lambda w: fresh(w["member"]),
    "blocked member": lambda w: fresh(w["places"]["blocked member"].user),
    "member in slow mode": lambda w: fresh(w["places"]["member in slow mode (thread)"].user),
    "member of locked thread": lambda w: fresh(w["places"]["locked thread"].user),
    "staff": lambda w: fresh(w["staff"]),
    "moderator": lambda w: fresh(w["moderator"]),
    "admin": lambda w: fresh(w["admin"]),
}

MODERATOR_TABLE = [
    (who, action, SIGN_IN if who == "visitor" else ONLY_MODS)
    for who in ("visitor", "member", "blocked member", "member in slow mode",
                "member of locked thread", "staff")
    for action in MODERATOR_ACTIONS
] + [
    (who, action, ALLOW) for who in ("moderator", "admin") for action in MODERATOR_ACTIONS
]  # fmt: skip


@pytest.mark.parametrize(
    ("who", "action", "expected"),
    MODERATOR_TABLE,
    ids=[f"{who}-{action}" for who, action, _ in MODERATOR_TABLE],
)
def test_moderator_actions(world, who, action, expected):
    reason = _outcome(lambda: MODERATOR_ACTIONS[action](world, WHO[who](world)))
    if expected is ALLOW:
        assert reason is ALLOW
    else:
        assert reason is not ALLOW and expected in reason


# --- The refusals between moderators --------------------------------------------------------

SPECIAL_CASES = [
    ("blocking oneself", "You can't block yourself."),
    ("blocking a moderator", "Moderators and admins can't be blocked"),
    ("deleting staff as spam", "Staff accounts can't be deleted as spam."),
    ("reversing a spam deletion as a moderator", "Only an admin can reverse a spam deletion."),
    ("reversing what has no reversal", "can't be reversed from the log"),
    ("reversing twice", "This action has already been reversed."),
    ("claiming an escalated item", "only admins can take it now"),
    ("deciding an item another holds", "Riley is handling this item."),
    ("deciding a decided item", "This item has already been decided."),
]


@pytest.mark.parametrize(("case", "words"), SPECIAL_CASES, ids=[c for c, _ in SPECIAL_CASES])
def test_refusals_between_moderators(world, make_user, case, words):
    from moderation.services import action_reverse, review_item_decide, review_item_escalate

    morgan, admin = fresh(world["moderator"]), fresh(world["admin"])
    riley = make_user("riley", role=Role.MODERATOR, display_name="Riley")
    item = world["item"]
    if case == "blocking oneself":
        check = lambda: mod.check_block_member(morgan, morgan)  # noqa: E731
    elif case == "blocking a moderator":
        check = lambda: mod.check_block_member(morgan, riley)  # noqa: E731
    elif case == "deleting staff as spam":
        check = lambda: mod.check_delete_spam(admin, world["staff"])  # noqa: E731
    elif case == "reversing a spam deletion as a moderator":
        spam = spam_delete(actor=admin, member=make_user("spammy"), rule_codes=["G4"])
        check = lambda: mod.check_reverse_action(morgan, spam)  # noqa: E731
    elif case == "reversing what has no reversal":
        escalation = review_item_escalate(actor=morgan, item=item)
        check = lambda: mod.check_reverse_action(admin, escalation)  # noqa: E731
    elif case == "reversing twice":
        action_reverse(actor=morgan, action=world["hide"])
        hide = ModerationAction.objects.get(pk=world["hide"].pk)
        check = lambda: mod.check_reverse_action(morgan, hide)  # noqa: E731
    elif case == "claiming an escalated item":
        review_item_escalate(actor=morgan, item=item)
        check = lambda: mod.check_claim_item(riley, ReviewItem.objects.get(pk=item.pk))  # noqa: E731
    elif case == "deciding an item another holds":
        review_item_claim(actor=riley, item=item)
        check = lambda: mod.check_decide_item(morgan, ReviewItem.objects.get(pk=item.pk))  # noqa: E731
    else:
        review_item_decide(actor=morgan, item=item, decision="approve")
        check = lambda: mod.check_decide_item(riley, ReviewItem.objects.get(pk=item.pk))  # noqa: E731
    reason = _outcome(check)
    assert reason is not ALLOW and words in reason


# --- The reasons read like sentences ---------------------------------------------------------


def test_the_block_reason_names_the_rule_the_end_and_the_appeal(world):
    kai = world["places"]["blocked member"]
    reason = _outcome(lambda: check_reply(kai.user, kai.thread))
    assert reason == (
        "Your account is blocked from posting until 3 Mar 2026, 12:00 (UTC), under rule G3 "
        "(Argue with ideas, not with people). You can still read, sign in, export your data "
        "and delete your account. If you think this is a mistake, you can appeal at "
        f"/moderation/appeals/new/{kai.appealable.pk}/."
    )


def test_the_lock_reason_says_moderators_locked_it_why_and_until_when(world):
    dana = world["places"]["locked thread"]
    reason = _outcome(lambda: check_reply(dana.user, dana.thread))
    assert reason == (
        "Moderators locked this thread: reading continues, new posts are paused until "
        "2 Mar 2026, 18:00 (UTC), under rule G3 (Argue with ideas, not with people). "
        "Why: Pile-on."
    )
    assert "Morgan" not in reason  # the public never learns which moderator


def test_the_slow_mode_reason_says_when_to_post_again(world):
    lee = world["places"]["member in slow mode (thread)"]
    reason = _outcome(lambda: check_reply(lee.user, lee.thread))
    assert reason == (
        "Moderators put this thread in slow mode: one post per member every 10 minutes, "
        "under rule G1 (Be kind). Why: Heated. You can post again at 2 Mar 2026, 12:10 (UTC) "
        "— your text is kept."
    )


def test_a_member_who_has_not_posted_lately_is_not_slowed(world, clock):
    lee = world["places"]["member in slow mode (thread)"]
    # Another member who never posted in the slow thread may reply at once…
    check_reply(fresh(world["member"]), lee.thread)
    # …and Lee may again once the ten minutes are up.
    clock.advance(minutes=10)
    check_reply(fresh(lee.user), Thread.objects.get(pk=lee.thread.pk))


def test_a_blocked_members_appeal_is_refused_once_made(world):
    from moderation.services import appeal_create

    kai = world["places"]["blocked member"]
    appeal_create(member=kai.user, action=kai.appealable, text="I was quoting, not insulting.")
    reason = _outcome(
        lambda: mod.check_appeal(kai.user, ModerationAction.objects.get(pk=kai.appealable.pk))
    )
    assert reason == "You have already appealed this action; one appeal per action."
    block_words = _outcome(lambda: check_reply(fresh(kai.user), kai.thread))
    assert block_words.endswith("Your appeal is with the moderators.")


# --- The care loop's member writes (issue 5) ------------------------------------------------

CARE_ACTIONS = {
    "vote on an idea": lambda p, w: check_vote(p.user, w["idea"]),
    "say affected by a bug": lambda p, w: check_mark_affected(p.user, w["bug"]),
    "accept an answer on own question": lambda p, w: check_accept_answer(
        p.user, w["question"], w["answer"]
    ),
    "answer the staff prompt": lambda p, w: check_respond_to_prompt(p.user, w["question"]),
}

# fmt: off
CARE_TABLE = [
    ("visitor",        "vote on an idea",                  SIGN_IN),
    ("visitor",        "say affected by a bug",            SIGN_IN),
    ("visitor",        "accept an answer on own question", SIGN_IN),
    ("visitor",        "answer the staff prompt",          SIGN_IN),
    ("member",         "vote on an idea",                  ALLOW),
    ("member",         "say affected by a bug",            ALLOW),
    ("member",         "accept an answer on own question", ALLOW),
    ("member",         "answer the staff prompt",          ALLOW),
    ("blocked member", "vote on an idea",                  BLOCKED),
    ("blocked member", "say affected by a bug",            BLOCKED),
    ("blocked member", "accept an answer on own question", BLOCKED),
    ("blocked member", "answer the staff prompt",          BLOCKED),
]
# fmt: on


@pytest.fixture
def care_world(world, boards, other_member, staff):
    """Priya's idea and bug; for each acting member, a Help question of their own that
    staff answered (so "own question" holds for whoever acts)."""
    create = _thread_factory()
    idea = create(other_member, boards["ideas"], "Dark mode")
    bug = create(other_member, boards["bugs"], "Chart shows yesterday")
    questions = {}
    for name in ("member", "blocked member"):
        asker = world["places"][name].user
        question = Thread.objects.get(pk=create(asker, boards["help"], f"How do I {name}?").pk)
        answer = post_create(thread=question, author=staff, body="Like this.")
        questions[name] = (Thread.objects.select_related("board").get(pk=question.pk), answer)
    return {"idea": idea, "bug": bug, "questions": questions}


@pytest.mark.parametrize(
    ("place", "action", "expected"),
    CARE_TABLE,
    ids=[f"{place}-{action}" for place, action, _ in CARE_TABLE],
)
def test_care_loop_write_actions(world, care_world, place, action, expected):
    question, answer = care_world["questions"].get(place, care_world["questions"]["member"])
    things = {**care_world, "question": question, "answer": answer}
    reason = _outcome(lambda: CARE_ACTIONS[action](world["places"][place], things))
    if expected is ALLOW:
        assert reason is ALLOW
    else:
        assert reason is not ALLOW, f"{place} was allowed to {action}"
        assert expected in reason

"""The review queue through its pages: who may see it, what a row says, filters, claiming,
deciding (once, and only once), escalating, appeals, bad input, and what the list costs."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from forum.models import Post
from forum.services import post_create
from moderation import services
from moderation.models import Block, Flag, MemberMessage, ModerationAction, ReviewItem
from moderation.selectors import active_block

QUEUE = reverse("moderation:queue")
RUDE = "Only an idiot would export to CSV. Learn to read."


def item_url(item, verb=""):
    name = f"moderation:queue-item-{verb}" if verb else "moderation:queue-item"
    return reverse(name, kwargs={"item_id": item.pk})


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def second_moderator(make_user):
    return make_user("riley", role=Role.MODERATOR, display_name="Riley")


@pytest.fixture
def rude_post(guidelines, thread, other_member):
    """Priya's rude reply in Jamie's thread."""
    return post_create(thread=thread, author=other_member, body=RUDE)


@pytest.fixture
def item(rude_post, member):
    flag = services.flag_create(flagger=member, post=rude_post, reason="rule", rule_code="G3")
    return flag.review_item


def decide(client, item, **data):
    return client.post(item_url(item, "decide"), data)


# --- Who may see it --------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, item):
    for url in (QUEUE, item_url(item)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(item_url(item, "claim"))
    assert response.status_code == 302 and "login" in response.url
    assert response.url.endswith(f"?next=/moderation/queue/{item.pk}/")


@pytest.mark.parametrize("who", ["member", "staff"])
def test_members_and_staff_are_refused_the_queue_and_change_nothing(request, client, item, who):
    client.force_login(request.getfixturevalue(who))
    for url in (QUEUE, item_url(item)):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only moderators can do this." in html_of(response)
    for verb, data in (
        ("claim", {}),
        ("release", {}),
        ("escalate", {}),
        ("decide", {"decision": "hide", "rules": ["G3"]}),
    ):
        assert client.post(item_url(item, verb), data).status_code == 403
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN and item.claimed_by is None
    assert not ModerationAction.objects.exists()
    assert not Post.objects.get(pk=item.post_id).is_hidden


def test_a_missing_item_is_404_for_moderators_and_403_for_members(client, member, moderator, db):
    client.force_login(moderator)
    assert client.get("/moderation/queue/999999/").status_code == 404
    assert client.post("/moderation/queue/999999/claim/").status_code == 404
    client.force_login(member)
    # Refused before the lookup: a member learns nothing about which items exist.
    assert client.get("/moderation/queue/999999/").status_code == 403


def test_writes_are_post_only(client, moderator, item):
    client.force_login(moderator)
    for verb in ("claim", "release", "decide", "escalate"):
        assert client.get(item_url(item, verb)).status_code == 405


# --- The list ----------------------------------------------------------------------------------


def test_queue_lists_open_items_oldest_first_with_what_a_moderator_needs(
    client, moderator, make_user, make_thread, item, rude_post, other_member
):
    # A second flag on the same post joins the same item, with its own reason.
    flagger = make_user("dmitri")
    services.flag_create(flagger=flagger, post=rude_post, reason="other", text="Personal attack.")
    newer_post = post_create(
        thread=make_thread(other_member), author=flagger, body="Buy cheap pills"
    )
    newer = services.flag_create(flagger=other_member, post=newer_post, reason="spam").review_item
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Review queue</h1>" in html
    assert html.index(f'id="item-{item.pk}"') < html.index(f'id="item-{newer.pk}"')
    row = html[html.index(f'id="item-{item.pk}"') : html.index(f'id="item-{newer.pk}"')]
    assert "Flagged post" in row
    assert "Only an idiot would export to CSV" in row  # the excerpt
    assert "Export drops rows" in row and "Help" in row  # thread and board
    assert "Priya" in row  # the member
    assert "<strong>2</strong>" in row and ">G3<" in row and ">Something else<" in row
    assert "No one" in row  # nobody holds it
    assert "<strong>2</strong> open" in html


def test_filters_by_kind_status_holder_and_board(
    client, moderator, second_moderator, make_user, make_thread, item, boards, other_member
):
    bugs_thread = make_thread(other_member, board=boards["bugs"], title="Crash on save")
    bugs_post = post_create(thread=bugs_thread, author=other_member, body="You all are clowns")
    bugs_item = services.flag_create(
        flagger=make_user("dmitri"), post=bugs_post, reason="rule", rule_code="G1"
    ).review_item
    services.review_item_claim(actor=second_moderator, item=bugs_item)
    block = services.block_create(
        actor=moderator, member=other_member, duration="1d", rule_codes=["G3"], reason="Insults"
    )
    appeal_item = services.appeal_create(
        member=other_member, action=block, text="I was quoting someone else, not insulting."
    ).review_item
    client.force_login(moderator)

    def listed(**params):
        html = html_of(client.get(QUEUE, params))
        return {i.pk for i in (item, bugs_item, appeal_item) if f'id="item-{i.pk}"' in html}

    assert listed() == {item.pk, bugs_item.pk, appeal_item.pk}
    assert listed(kind="appeal") == {appeal_item.pk}
    assert listed(kind="flagged_post") == {item.pk, bugs_item.pk}
    assert listed(board="bugs") == {bugs_item.pk}
    assert listed(held="unclaimed") == {item.pk, appeal_item.pk}
    assert listed(held="others") == {bugs_item.pk}
    assert listed(held="me") == set()
    services.review_item_escalate(actor=moderator, item=item)
    assert listed(status="escalated") == {item.pk}
    assert listed(status="open") == {bugs_item.pk, appeal_item.pk}
    # A bad value is reported next to its field; the list stays the open items.
    response = client.get(QUEUE, {"board": "nope"})
    assert response.status_code == 200
    assert "field--error" in html_of(response)


def test_decided_items_leave_the_open_list_but_stay_findable(client, moderator, item):
    client.force_login(moderator)
    response = decide(client, item, decision="approve")
    assert response.status_code == 302
    open_list = html_of(client.get(QUEUE))
    assert f'id="item-{item.pk}"' not in open_list
    assert "Nothing waits for review" in open_list
    decided = html_of(client.get(QUEUE, {"decided": "on"}))
    assert f'id="item-{item.pk}"' in decided
    assert "Approved / dismissed" in decided and "by Morgan" in decided
    # And the item's own page still says what happened.
    page = html_of(client.get(item_url(item)))
    assert "Approved / dismissed" in page and "Record decision" not in page


def _make_items(n, *, start, make_user, make_thread, author, moderator):
    """n review items of every shape: flagged (two flags, one claimed), and an appeal."""
    for i in range(start, start + n):
        flagger, second = make_user(f"flagger{i}"), make_user(f"second{i}")
        thread = make_thread(author, title=f"Thread number {i}")
        post = post_create(thread=thread, author=author, body=f"Rude reply number {i}")
        item = services.flag_create(
            flagger=flagger, post=post, reason="rule", rule_code="G3"
        ).review_item
        services.flag_create(flagger=second, post=post, reason="other", text="Not okay at all.")
        if i % 3 == 0:
            services.review_item_claim(actor=moderator, item=item)
        if i % 5 == 0:
            hide = services.post_hide(actor=moderator, post=post, rule_codes=["G3"])
            services.appeal_create(member=author, action=hide, text="Please look again at this.")


def test_queue_query_count_is_pinned_and_does_not_grow_with_items(
    client, moderator, make_user, make_thread, other_member, guidelines
):
    client.force_login(moderator)
    kwargs = {
        "make_user": make_user,
        "make_thread": make_thread,
        "author": other_member,
        "moderator": moderator,
    }
    _make_items(3, start=1, **kwargs)
    with CaptureQueriesContext(connection) as few:
        response = client.get(QUEUE)
    assert response.status_code == 200
    _make_items(12, start=4, **kwargs)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    html = html_of(response)
    assert html.count('class="queue-row') == 15 + 3  # 15 flagged posts and 3 appeals
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # session, user, count, page, flags, counts, boards (filter), queue badge, messages, block,
    # notifications bell
    assert len(many) <= 12, [q["sql"] for q in many.captured_queries]


def test_queue_query_count_with_filters_is_pinned(
    client,
    moderator,
    make_user,
    make_thread,
    other_member,
    guidelines,
    django_assert_max_num_queries,
):
    _make_items(
        6,
        start=1,
        make_user=make_user,
        make_thread=make_thread,
        author=other_member,
        moderator=moderator,
    )
    client.force_login(moderator)
    # The ten of the unfiltered page, plus the board the filter names.
    with django_assert_max_num_queries(13):
        client.get(QUEUE, {"kind": "flagged_post", "board": "help", "held": "unclaimed"})


# --- One item ------------------------------------------------------------------------------


def test_item_page_shows_the_post_even_hidden_its_flags_history_and_the_form(
    client, moderator, member, item, rude_post
):
    services.flag_create(
        flagger=moderator, post=rude_post, reason="other", text="Second report, same insult."
    )
    services.post_hide(actor=moderator, post=rude_post, rule_codes=["G3"])
    client.force_login(moderator)
    html = html_of(client.get(item_url(item)))
    assert RUDE.split(".")[0] in html  # full content although hidden
    assert "Hidden from readers by moderators" in html
    assert "Breaks G3 — Argue with ideas, not with people" in html
    assert "Second report, same insult." in html and "Jamie" in html
    assert reverse("moderation:member-case", kwargs={"member_id": rude_post.author_id}) in html
    assert "Hid a post (G3) by Morgan" in html  # recent history
    assert "No one holds this item yet." in html and ">Claim</button>" in html
    assert 'name="decision"' in html and 'value="block"' in html and 'name="rules"' in html
    assert "Escalate to admins" in html


def test_claim_shows_the_holder_to_others_and_refuses_their_claim(
    client, moderator, second_moderator, item
):
    client.force_login(moderator)
    response = client.post(item_url(item, "claim"), follow=True)
    assert "You hold this item now" in html_of(response)
    assert "You hold this item" in html_of(response) and ">Release</button>" in html_of(response)
    item.refresh_from_db()
    assert item.claimed_by == moderator

    client.force_login(second_moderator)
    html = html_of(client.get(item_url(item)))
    assert "<strong>Morgan</strong> holds this item" in html and ">Claim</button>" not in html
    assert "Morgan is handling this item." in html  # instead of the decision form
    assert "Morgan" in html_of(client.get(QUEUE))
    response = client.post(item_url(item, "claim"), follow=True)
    assert "Morgan is handling this item" in html_of(response)
    response = decide(client, item, decision="hide", rules=["G3"])
    assert response.status_code == 403
    assert "Morgan is handling this item." in html_of(response)
    item.refresh_from_db()
    assert item.claimed_by == moderator and item.status == ReviewItem.Status.OPEN

    client.force_login(moderator)
    response = client.post(item_url(item, "release"), follow=True)
    assert "Released" in html_of(response)
    item.refresh_from_db()
    assert item.claimed_by is None


def test_deciding_hide_hides_the_post_logs_once_and_tells_the_flagger(
    client, moderator, member, item, rude_post
):
    client.force_login(moderator)
    response = decide(client, item, decision="hide", rules=["G3"], note="Please argue the point.")
    assert response.status_code == 302 and response.url == QUEUE
    rude_post.refresh_from_db()
    assert rude_post.is_hidden and rude_post.hidden_rule_code == "G3"
    item.refresh_from_db()
    assert (item.status, item.decision, item.decided_by) == ("decided", "hide", moderator)
    assert item.rules == ["G3"] and item.note == "Please argue the point."
    assert ModerationAction.objects.filter(kind="post_hide").count() == 1
    told = MemberMessage.objects.get(recipient=member)
    assert "hid it" in told.body and "Morgan" not in told.body
    page = html_of(client.get(QUEUE))
    assert "The post is hidden under rule G3 (Argue with ideas, not with people)" in page


def test_deciding_block_blocks_the_author_for_the_chosen_duration(
    client, moderator, other_member, item
):
    client.force_login(moderator)
    before = timezone.now()
    response = decide(
        client, item, decision="block", rules=["G3"], duration="1d", note="Insults again."
    )
    assert response.status_code == 302
    block = active_block(other_member.pk)
    assert block is not None and block.rules == ["G3"] and block.reason == "Insults again."
    assert before + timedelta(days=1) <= block.ends_at <= timezone.now() + timedelta(days=1)
    assert ModerationAction.objects.filter(kind="block").count() == 1
    message = html_of(client.get(QUEUE))
    assert "Priya is blocked from posting until" in message


def test_a_second_moderator_deciding_is_refused_clearly_and_nothing_is_applied_twice(
    client, moderator, second_moderator, item, other_member
):
    client.force_login(moderator)
    response = decide(client, item, decision="block", rules=["G3"], duration="1d", note="Insults")
    assert response.status_code == 302
    client.force_login(second_moderator)
    response = decide(
        client, item, decision="block", rules=["G3"], duration="3d", note="Insults, again"
    )
    assert response.status_code == 403
    html = html_of(response)
    assert "This item has already been decided." in html
    assert "Author blocked</strong> by Morgan" in html  # what was decided, and by whom
    assert Block.objects.filter(member=other_member).count() == 1
    assert ModerationAction.objects.count() == 1
    item.refresh_from_db()
    assert item.decided_by == moderator


def test_a_decision_racing_past_the_check_is_refused_by_the_service(
    client, moderator, second_moderator, item, other_member, monkeypatch
):
    """Both moderators loaded the page and passed the check; the first commit wins. The
    view's check is bypassed to stand in for that instant: the locked row refuses."""
    from moderation.views import queue as queue_views

    monkeypatch.setattr(
        queue_views, "check_review_decision", lambda user, item, decision, **kw: None
    )
    services.review_item_decide(
        actor=moderator, item=item, decision="hide", rule_codes=["G3"], note=""
    )
    client.force_login(second_moderator)
    response = decide(
        client, item, decision="block", rules=["G3"], duration="3d", note="Insults, again"
    )
    assert response.status_code == 409
    html = html_of(response)
    assert "This item was already decided by Morgan (post hidden); nothing more was done." in html
    assert not Block.objects.filter(member=other_member).exists()
    assert ModerationAction.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_deciding_at_the_same_moment_apply_exactly_one_decision(
    moderator, second_moderator, item, other_member
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only real on PostgreSQL; SQLite serialises writers")
    start = threading.Barrier(2)
    results = {}

    def decide_as(user, data):
        client = Client()
        client.force_login(user)
        try:
            start.wait(timeout=10)
            results[user.username] = client.post(item_url(item, "decide"), data)
        finally:
            connection.close()

    workers = [
        threading.Thread(
            target=decide_as,
            args=(moderator, {"decision": "hide", "rules": ["G3"]}),
        ),
        threading.Thread(
            target=decide_as,
            args=(
                second_moderator,
                {"decision": "block", "rules": ["G3"], "duration": "1d", "note": "Insults"},
            ),
        ),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    statuses = sorted(response.status_code for response in results.values())
    assert statuses[0] == 302 and statuses[1] in (403, 409), statuses
    refused = next(r for r in results.values() if r.status_code != 302)
    assert "already" in html_of(refused) and "decided" in html_of(refused)
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DECIDED
    hidden = Post.objects.get(pk=item.post_id).is_hidden
    blocked = Block.objects.filter(member=other_member).exists()
    assert hidden != blocked  # one decision took effect, never both
    assert ModerationAction.objects.filter(kind__in=["post_hide", "block"]).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "hide"}, "rules", "Cite at least one guideline rule"),
        ({"decision": "spam"}, "rules", "Cite at least one guideline rule"),
        ({"decision": "ban-forever", "rules": ["G3"]}, "decision", "That is not a decision here"),
        ({}, "decision", "Choose a decision."),
        ({"decision": "block", "rules": ["G3"]}, "duration", "Choose how long the block lasts."),
        (
            {"decision": "block", "rules": ["G3"], "duration": "2y"},
            "duration",
            "Choose one of the durations listed",
        ),
        ({"decision": "hide", "rules": ["G99"]}, "rules", "There is no rule G99"),
        ({"decision": "uphold", "rules": ["G3"]}, "decision", "That is not a decision here"),
    ],
)
def test_bad_decisions_are_explained_beside_the_field_and_change_nothing(
    client, moderator, item, rude_post, data, field, message
):
    client.force_login(moderator)
    response = decide(client, item, note="kept text", **data)
    assert response.status_code == 400
    html = html_of(response)
    error_block = html[html.index(f'id="id_{field}_error"') :]
    assert message in error_block[: error_block.index("</ul>")]
    assert "kept text" in html
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN
    assert not ModerationAction.objects.exists() and not Block.objects.exists()
    assert not Post.objects.get(pk=rude_post.pk).is_hidden


def test_a_block_needs_a_reason_for_the_member(client, moderator, item):
    client.force_login(moderator)
    response = decide(client, item, decision="block", rules=["G3"], duration="1d", note="  ")
    assert response.status_code == 400
    html = html_of(response)
    error_block = html[html.index('id="id_note_error"') :]
    assert "Write why you are blocking them" in error_block[: error_block.index("</ul>")]
    assert not Block.objects.exists() and not ModerationAction.objects.exists()


def test_deciding_a_post_already_hidden_is_a_clear_error_with_no_partial_state(
    client, moderator, item, rude_post
):
    services.post_hide(actor=moderator, post=rude_post, rule_codes=["G3"])
    client.force_login(moderator)
    response = decide(client, item, decision="hide", rules=["G1"])
    assert response.status_code == 400
    assert "That post is already hidden." in html_of(response)
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.OPEN
    assert ModerationAction.objects.count() == 1


def test_blocking_a_moderator_through_the_queue_is_refused(
    client, moderator, second_moderator, member, thread, guidelines
):
    post = post_create(thread=thread, author=second_moderator, body="Moderator's own reply")
    item = services.flag_create(flagger=member, post=post, reason="spam").review_item
    client.force_login(moderator)
    response = decide(client, item, decision="block", rules=["G3"], note="Nope")
    assert response.status_code == 403
    assert "Moderators and admins can&#x27;t be blocked" in html_of(response)
    assert not Block.objects.exists()


# --- Escalation and appeals --------------------------------------------------------------------


def test_escalating_hands_the_item_to_admins(client, moderator, second_moderator, admin_user, item):
    client.force_login(moderator)
    response = client.post(item_url(item, "escalate"), {"escalate-note": "Legal threat?"})
    assert response.status_code == 302 and response.url == QUEUE
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.ESCALATED
    assert ModerationAction.objects.get(kind="item_escalate").note == "Legal threat?"
    assert f'id="item-{item.pk}"' in html_of(client.get(QUEUE, {"status": "escalated"}))
    # Moderators can no longer take it; an admin can decide it.
    client.force_login(second_moderator)
    assert client.post(item_url(item, "claim")).status_code == 403
    assert "only admins can take it now" in html_of(client.get(item_url(item)))
    client.force_login(admin_user)
    assert decide(client, item, decision="approve").status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DECIDED


def test_an_appeal_shows_the_action_and_is_decided_by_another_moderator(
    client, moderator, second_moderator, other_member, guidelines
):
    block = services.block_create(
        actor=moderator, member=other_member, duration="7d", rule_codes=["G3"], reason="Insults"
    )
    appeal = services.appeal_create(
        member=other_member, action=block, text="I was quoting the error message, honestly."
    )
    item = appeal.review_item
    client.force_login(moderator)
    html = html_of(client.get(item_url(item)))
    assert "I was quoting the error message, honestly." in html
    assert "Blocked a member" in html and "rule G3 (Argue with ideas, not with people)" in html
    assert "another moderator must decide" in html and "Record decision" not in html
    response = decide(client, item, decision="reverse")
    assert response.status_code == 403
    assert active_block(other_member.pk) is not None

    client.force_login(second_moderator)
    html = html_of(client.get(item_url(item)))
    assert 'value="uphold"' in html and 'value="reverse"' in html and 'value="hide"' not in html
    assert 'name="rules"' not in html
    response = decide(client, item, decision="reverse", note="Fair point.")
    assert response.status_code == 302
    assert active_block(other_member.pk) is None
    appeal.refresh_from_db()
    assert appeal.status == "reversed"
    assert "Appeal granted" in html_of(client.get(QUEUE))


def test_flag_kinds_render_in_the_list(client, moderator, item, rude_post, make_user):
    services.flag_create(flagger=make_user("zed"), post=rude_post, reason="spam")
    client.force_login(moderator)
    html = html_of(client.get(QUEUE))
    assert ">Spam<" in html
    assert Flag.objects.filter(review_item=item).count() == 2

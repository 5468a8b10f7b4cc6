"""Held posts end to end: a member's thread, reply or edit that spam screening holds is
saved but public nowhere — board, front page, thread URL, search, feeds, notifications,
live fragments — until a moderator approves it (published as if new, the filter learns it
is fine) or deletes it as spam (the filter learns it is spam). Its author sees it marked
"held for review" with the reason; a blocked phrase refuses the post with the text kept; a
flagged phrase publishes and queues it; staff are never held.

Everything goes through real HTTP requests and the real screening (local filter, no
Akismet key)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.models import Notification, Post, Thread, Watch
from forum.services import post_create, thread_create, watching
from moderation.models import ModerationAction, ReviewItem, SpamTokenCount, WatchedWord
from moderation.spam.watched import watched_words_forget

SPAM_TITLE = "BUY CHEAP WATCHES viagra casino"
SPAM_BODY = (
    "Luxury replica watches, viagra and casino bonus: [our shop](https://watch-deals.example) "
    "and [more deals](https://watch-deals.example/more)"
)
# A milder one (the filter is not yet sure), so learning shows in its score.
SOFT_TITLE = "Cheap watches here"
SOFT_BODY = "Great prices on luxury watches, visit [our shop](https://watch-deals.example) today"
TRACES = ("WATCHES", "watch-deals.example", "viagra")
HELD_WORDS = "Held for review — a moderator will look at it soon"


def post_thread(client, user, *, title=SPAM_TITLE, body=SPAM_BODY, board="help"):
    client.force_login(user)
    return client.post(
        f"/b/{board}/new/",
        {"title": title, "body": body},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="SpamBot/1.0",
    )


def post_reply(client, user, thread, body):
    client.force_login(user)
    return client.post(f"/t/{thread.pk}/reply/", {"body": body}, REMOTE_ADDR="203.0.113.9")


def public_pages(client, thread) -> dict[str, tuple[int, str]]:
    seen = {}
    for url in (
        "/",
        "/b/help/",
        f"/t/{thread.pk}/",
        "/search/?q=watches",
        "/b/help/feed/rss/",
        "/search/feed/rss/?q=watches",
        f"/t/{thread.pk}/live/posts/?after=0",
    ):
        response = client.get(url)
        seen[url] = (response.status_code, response.content.decode())
    return seen


def assert_public_nowhere(client, thread, *, thread_hidden=True) -> None:
    for url, (status, html) in public_pages(client, thread).items():
        if url.startswith(f"/t/{thread.pk}/") and thread_hidden:
            assert status == 404, url
            continue
        assert status == 200, url
        for trace in TRACES:
            assert trace not in html, (url, trace)


@pytest.fixture
def spammer(make_user):
    return make_user("watchseller", display_name="Watch Seller")


@pytest.fixture
def held_thread(client, spammer, help_board, other_member, guidelines):
    watching.watch_set(user=other_member, board=help_board, level=Watch.Level.WATCHING)
    response = post_thread(client, spammer)
    thread = Thread.objects.get(title=SPAM_TITLE)
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/"
    client.logout()
    return thread


def test_a_spam_thread_by_a_new_account_is_held_and_public_nowhere(
    client, held_thread, spammer, other_member
):
    post = held_thread.posts.get()
    assert post.held_at is not None and post.is_hidden
    assert held_thread.is_hidden
    assert post.screening["action"] == "hold" and post.screening["score"] >= 0.6
    assert held_thread.board.thread_count == 0 and held_thread.board.post_count == 0
    held_thread.board.refresh_from_db()
    assert (held_thread.board.thread_count, held_thread.board.post_count) == (0, 0)
    spammer.refresh_from_db()
    assert spammer.post_count == 0  # held posts don't make an account "established"
    assert not Notification.objects.exists()  # the board's watcher hears nothing
    assert_public_nowhere(client, held_thread)
    client.force_login(other_member)
    assert_public_nowhere(client, held_thread)
    assert client.get(f"/p/{post.pk}/").status_code == 404


def test_the_author_sees_the_held_thread_marked_with_the_reason(client, held_thread, spammer):
    client.force_login(spammer)
    response = client.get(f"/t/{held_thread.pk}/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert HELD_WORDS in html
    post = held_thread.posts.get()
    assert post.held_reason and post.held_reason in html.replace("&#x27;", "'")
    assert "Only you and moderators can see it." in html


def test_after_posting_the_author_is_told_the_post_is_held(client, spammer, help_board):
    response = post_thread(client, spammer)
    page = client.get(response["Location"]).content.decode()
    assert "Your post is held for review" in page


def test_the_moderator_sees_the_held_post_in_the_queue_with_score_and_reasons(
    client, held_thread, moderator
):
    item = ReviewItem.objects.get()
    post = held_thread.posts.get()
    assert (item.kind, item.status, item.post_id) == ("held_post", "open", post.pk)
    client.force_login(moderator)
    listing = client.get("/moderation/queue/").content.decode()
    assert "Held post" in listing and f"{post.screening['score']:.2f}" in listing
    detail = client.get(f"/moderation/queue/{item.pk}/").content.decode()
    assert "Why it was held" in detail
    for reason in post.screening["reasons"]:
        assert reason.split(",")[0].replace("'", "&#x27;") in detail
    assert "Approve — publish it now" in detail and "Delete as spam" in detail
    assert "Hide the post from readers" not in detail


def decide(client, moderator, item, decision, rules=("G4",)):
    client.force_login(moderator)
    return client.post(
        f"/moderation/queue/{item.pk}/decide/", {"decision": decision, "rules": list(rules)}
    )


def test_approving_publishes_it_as_if_new_and_teaches_the_filter_it_is_fine(
    client, django_capture_on_commit_callbacks, held_thread, moderator, other_member, spammer
):
    item = ReviewItem.objects.get()
    ham_before = SpamTokenCount.objects.filter(token="#messages").values_list("ham", flat=True)
    ham_before = ham_before.first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, moderator, item, "approve", rules=())
    assert response.status_code == 302
    held_thread.refresh_from_db()
    post = held_thread.posts.get()
    assert post.held_at is None and not post.is_hidden and not held_thread.is_hidden
    held_thread.board.refresh_from_db()
    assert (held_thread.board.thread_count, held_thread.board.post_count) == (1, 1)
    spammer.refresh_from_db()
    assert spammer.post_count == 1
    # The board's watcher is notified once, now — not before.
    assert list(Notification.objects.values_list("recipient_id", "post_id")) == [
        (other_member.pk, post.pk)
    ]
    assert SpamTokenCount.objects.get(token="#messages").ham == ham_before + 1
    log = ModerationAction.objects.get()
    assert (log.kind, log.post_id) == (ModerationAction.Kind.HELD_APPROVE, post.pk)
    assert log.get_kind_display() == "Approved a held post"
    client.logout()
    assert client.get(f"/t/{held_thread.pk}/").status_code == 200
    assert SPAM_TITLE in client.get("/b/help/").content.decode()
    # Decided once: a second decision is refused and nothing is applied twice.
    again = decide(client, moderator, item, "approve", rules=())
    assert again.status_code in (403, 409)
    assert Notification.objects.count() == 1 and ModerationAction.objects.count() == 1


def test_delete_as_spam_removes_every_trace_and_the_next_similar_post_scores_higher(
    client, held_thread, moderator, spammer, other_member, make_user
):
    first = held_thread.posts.get()
    soft_first = post_thread(client, spammer, title=SOFT_TITLE, body=SOFT_BODY)
    assert soft_first.status_code == 302
    soft_first_post = Post.objects.get(thread__title=SOFT_TITLE)
    item = ReviewItem.objects.get(post=first)
    assert decide(client, moderator, item, "spam").status_code == 302
    first.refresh_from_db()
    soft_first_post.refresh_from_db()
    for post in (first, soft_first_post):
        assert post.is_hidden and post.held_at is None and post.hidden_rule_code == "G4"
    # One deletion settles every held post of the account, with one log row.
    assert not ReviewItem.objects.exclude(status="decided").exists()
    assert ModerationAction.objects.get().kind == "spam_delete"
    assert spammer.blocks.filter(kind="ban").exists()
    assert SpamTokenCount.objects.get(token="#messages").spam >= 2
    client.logout()
    assert_public_nowhere(client, held_thread)
    client.force_login(spammer)
    assert HELD_WORDS not in client.get(f"/t/{held_thread.pk}/").content.decode()

    copycat = make_user("copycat")
    post_thread(client, copycat, title=SOFT_TITLE, body=SOFT_BODY)
    second = Post.objects.filter(author=copycat).get()
    assert second.held_at is not None
    assert second.screening["score"] > soft_first_post.screening["score"]


def test_a_held_reply_is_absent_for_others_and_no_watcher_is_told(
    client, thread, member, spammer, other_member, moderator
):
    watching.watch_set(user=other_member, thread=thread, level=Watch.Level.WATCHING)
    response = post_reply(client, spammer, thread, SPAM_BODY)
    reply = Post.objects.get(author=spammer)
    assert reply.held_at is not None and response.status_code == 302
    assert response["Location"].endswith(f"#post-{reply.pk}")
    thread.refresh_from_db()
    assert thread.shown_reply_count == 0 and thread.last_post_id != reply.pk
    assert not Notification.objects.exists()
    for reader in (None, member, other_member):
        client.logout()
        if reader:
            client.force_login(reader)
        html = client.get(f"/t/{thread.pk}/").content.decode()
        assert f"post-{reply.pk}" not in html and "watch-deals" not in html
        live = client.get(f"/t/{thread.pk}/live/posts/?after=0").content.decode()
        assert "watch-deals" not in live
        assert client.get(f"/p/{reply.pk}/").status_code == 404
    client.force_login(spammer)
    assert HELD_WORDS in client.get(f"/t/{thread.pk}/").content.decode()
    client.force_login(moderator)
    assert "watch-deals" in client.get(f"/t/{thread.pk}/").content.decode()


def test_a_blocked_phrase_refuses_the_post_with_the_text_kept(client, member, help_board):
    WatchedWord.objects.create(phrase="casino bonus", action=WatchedWord.Action.BLOCK)
    watched_words_forget()
    body = "Where do I claim the casino bonus from the promo?"
    response = post_thread(client, member, title="Promo question", body=body)
    html = response.content.decode()
    assert response.status_code == 400
    assert "casino bonus" in html and body in html  # the error names it; the text is kept
    # The error sits beside the body field (its own error list, named by the field).
    error_list = html.split('id="id_body_error"', 1)[1].split("</ul>", 1)[0]
    assert "casino bonus" in error_list
    assert not Thread.objects.exists()


def test_a_flagged_phrase_publishes_and_queues_the_post(client, member, help_board):
    WatchedWord.objects.create(phrase="refund", action=WatchedWord.Action.FLAG)
    watched_words_forget()
    response = post_thread(
        client, member, title="Asking for a refund", body="I was billed twice; refund please."
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.held_at is None and not post.is_hidden
    item = ReviewItem.objects.get()
    assert item.kind == "flagged_post" and item.post_id == post.pk
    assert "refund" in post.screening["reasons"][0]
    client.logout()
    assert "Asking for a refund" in client.get("/b/help/").content.decode()


def test_staff_are_never_held(client, staff, help_board):
    assert post_thread(client, staff).status_code == 302
    post = Post.objects.get()
    assert post.held_at is None and not post.is_hidden
    assert not ReviewItem.objects.exists()


def test_an_edit_adding_spam_links_holds_the_whole_post(
    client, member, make_user, other_member, help_board
):
    newcomer = make_user("newcomer")
    thread = thread_create(
        board=help_board, author=member, title="Export drops rows", body="Rows vanish."
    )
    reply = post_create(thread=thread, author=newcomer, body="Same here, since Monday.")
    client.force_login(newcomer)
    response = client.post(f"/p/{reply.pk}/edit/", {"body": SPAM_BODY})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.held_at is not None and reply.is_hidden and reply.screening["on"] == "edit"
    assert ReviewItem.objects.get().kind == "held_post"
    client.force_login(other_member)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert "Same here" not in html and "watch-deals" not in html


def test_the_thread_page_costs_visitors_the_same_queries_with_a_held_reply(
    client, thread, spammer, other_member
):
    post_create(thread=thread, author=other_member, body="Same for me.")

    def queries() -> int:
        client.logout()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/t/{thread.pk}/").status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    post_reply(client, spammer, thread, SPAM_BODY)
    assert Post.objects.get(author=spammer).held_at is not None
    assert queries() == before


def test_a_held_post_is_published_only_through_the_queue(held_thread, moderator):
    from django.core.exceptions import ValidationError

    from moderation.services import post_restore

    post = held_thread.posts.get()
    with pytest.raises(ValidationError, match="held for review"):
        post_restore(actor=moderator, post=post)
    post.refresh_from_db()
    assert post.is_hidden and post.held_at is not None


@pytest.fixture
def broadcasts(monkeypatch):
    """The live events sent after commit (nothing leaves the machine)."""
    sent = []
    monkeypatch.setattr(
        "forum.realtime.send_event_now", lambda group, event: sent.append((group, event))
    )
    return sent


def test_open_pages_hear_of_a_held_reply_only_once_it_is_approved(
    client, django_capture_on_commit_callbacks, broadcasts, thread, spammer, moderator
):
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(client, spammer, thread, SPAM_BODY)
    reply = Post.objects.get(author=spammer)
    created = [e for _, e in broadcasts if e["type"] == "forum.post_created"]
    assert created == []
    item = ReviewItem.objects.get(post=reply)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, moderator, item, "approve", rules=()).status_code == 302
    created = [e for _, e in broadcasts if e["type"] == "forum.post_created"]
    assert [e["post_id"] for e in created] == [reply.pk]


def test_reversing_the_spam_deletion_forgets_what_the_filter_learned(
    client, held_thread, moderator, admin_user
):
    from moderation.services import action_reverse

    def spam_messages() -> int:
        row = SpamTokenCount.objects.filter(token="#messages").first()
        return row.spam if row else 0

    before = spam_messages()
    item = ReviewItem.objects.get()
    assert decide(client, moderator, item, "spam").status_code == 302
    assert spam_messages() == before + 1
    action_reverse(actor=admin_user, action=ModerationAction.objects.get(kind="spam_delete"))
    assert spam_messages() == before
    post = held_thread.posts.get()
    assert not post.is_hidden and post.held_at is None  # an admin judged it not spam


def spam_score_of(post) -> float:
    from moderation.spam.scoring import spam_score

    return spam_score(
        title=SPAM_TITLE,
        body=SPAM_BODY,
        author_age_days=0,
        author_posts=0,
        use_akismet=False,
        exclude_post_id=post.pk,
    ).score


def test_reversing_an_approval_holds_the_post_again_and_forgets_the_ham_training(
    client, django_capture_on_commit_callbacks, held_thread, moderator, other_member, spammer
):
    post = held_thread.posts.get()
    first_held_at = post.held_at
    score_before = spam_score_of(post)
    item = ReviewItem.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, moderator, item, "approve", rules=()).status_code == 302
    approval = ModerationAction.objects.get()
    assert approval.kind == "held_approve"
    assert spam_score_of(post) < score_before  # learned as ham
    assert Notification.objects.count() == 1

    # The log offers the reversal, with a confirm page that says what it does.
    log_page = client.get("/moderation/log/").content.decode()
    assert "Approved a held post" in log_page
    assert f"/moderation/log/{approval.pk}/reverse/" in log_page
    confirm = client.get(f"/moderation/log/{approval.pk}/reverse/").content.decode()
    assert "held for review" in confirm and "not taken back" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/moderation/log/{approval.pk}/reverse/", {"note": "Too hasty."})
    assert response.status_code == 302

    reversal = ModerationAction.objects.exclude(pk=approval.pk).get()
    assert (reversal.kind, reversal.reverses_id, reversal.post_id) == (
        "held_unapprove",
        approval.pk,
        post.pk,
    )
    post.refresh_from_db()
    held_thread.refresh_from_db()
    assert post.is_hidden and post.held_at == first_held_at and held_thread.is_hidden
    held_thread.board.refresh_from_db()
    assert (held_thread.board.thread_count, held_thread.board.post_count) == (0, 0)
    spammer.refresh_from_db()
    assert spammer.post_count == 0
    assert spam_score_of(post) == pytest.approx(score_before)
    # Back in the queue as an open held-post item; the decided one keeps its history.
    reopened = ReviewItem.objects.get(status="open")
    assert (reopened.kind, reopened.post_id) == ("held_post", post.pk)
    assert ReviewItem.objects.get(pk=item.pk).status == "decided"
    # Public nowhere again, for visitors and other members; the author sees it held.
    client.logout()
    assert_public_nowhere(client, held_thread)
    client.force_login(other_member)
    assert_public_nowhere(client, held_thread)
    client.force_login(spammer)
    page = client.get(f"/t/{held_thread.pk}/", follow=True).content.decode()
    assert HELD_WORDS in page
    # The notification already sent is not taken back (the in-app list hides the post).
    assert Notification.objects.count() == 1

    # A second reversal changes nothing and writes nothing.
    from moderation.services import action_reverse

    assert action_reverse(actor=moderator, action=approval) is False
    assert ModerationAction.objects.count() == 2
    assert ReviewItem.objects.filter(status="open").count() == 1
    assert spam_score_of(post) == pytest.approx(score_before)

    # The moderator can decide it again from the queue: approve publishes it once more.
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, moderator, reopened, "approve", rules=()).status_code == 302
    post.refresh_from_db()
    assert not post.is_hidden and post.held_at is None


def test_an_approval_of_a_post_hidden_since_has_nothing_left_to_undo(
    client, held_thread, moderator
):
    from moderation.services import action_reverse, post_hide

    item = ReviewItem.objects.get()
    assert decide(client, moderator, item, "approve", rules=()).status_code == 302
    approval = ModerationAction.objects.get()
    post = held_thread.posts.get()
    post_hide(actor=moderator, post=post, rule_codes=["G4"])
    assert action_reverse(actor=moderator, action=approval) is False
    post.refresh_from_db()
    assert post.held_at is None and post.hidden_rule_code == "G4"
    assert not ReviewItem.objects.filter(status="open").exists()


def test_the_author_cannot_appeal_an_approval(client, held_thread, moderator, spammer):
    item = ReviewItem.objects.get()
    assert decide(client, moderator, item, "approve", rules=()).status_code == 302
    approval = ModerationAction.objects.get()
    client.force_login(spammer)
    assert client.get(f"/moderation/appeals/new/{approval.pk}/").status_code == 404

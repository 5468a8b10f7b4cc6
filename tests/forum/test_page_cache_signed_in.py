"""The signed-in thread page shares its rendered post list among readers of one kind
(member, staff, moderator) under the thread's version, and adds each reader's own actions,
unread marker, watch level and reply box around it: a warm page reads neither posts nor
events, and no reader sees another's actions, hidden posts or held posts."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import profile_update
from forum import pagecache
from forum.forms import PostForm
from forum.models import Post
from forum.services import answers, post_create, post_edit
from forum.services.boards import thread_set_pinned
from forum.services.notices import notice_create, notice_dismiss, notice_end
from forum.services.statuses import thread_set_status, thread_vote
from moderation.models import Lockdown
from moderation.services import lockdown_lift, lockdown_set, post_hide, post_restore, spam_delete
from moderation.services.held import held_post_approve
from tests.moderation.test_held_posts import SPAM_BODY, post_reply

WARM_SIGNED_IN_THREAD_QUERIES = 3


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def capture_commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def reader(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, thread) -> str:
    response = client.get(f"/t/{thread.pk}/?page=1")
    assert response.status_code == 200
    return response.content.decode()


def edit_url(post) -> str:
    return reverse("forum:post-edit", kwargs={"post_id": post.pk})


def reads_posts_or_events(captured) -> bool:
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    # The member's own state joins posts and events to their notifications, reading neither.
    return '"body_html"' in sql or 'FROM "forum_threadevent"' in sql


@pytest.mark.parametrize("replies", [2, 20])
def test_a_warm_signed_in_page_costs_flat_queries_reads_no_posts_and_writes_nothing(
    thread, member, other_member, capture_commits, replies, django_assert_num_queries
):
    with capture_commits():
        for number in range(replies):
            post_create(thread=thread, author=other_member, body=f"Reply number {number}.")
    client = reader(member)
    page(client, thread)  # marks everything read and stores the shared list
    with django_assert_num_queries(WARM_SIGNED_IN_THREAD_QUERIES) as captured:
        html = page(client, thread)
    statements = {query["sql"].lstrip().split()[0].upper() for query in captured}
    assert not {"INSERT", "UPDATE", "DELETE"} & statements
    assert not reads_posts_or_events(captured)
    assert f"Reply number {replies - 2}." in html  # the last one on page 1 at 20


# A cold page (its post list not stored) reads the thread and its board, the posts,
# their event lines and the lockdowns (all kept under the same versions) too.
COLD_SIGNED_IN_THREAD_QUERIES = WARM_SIGNED_IN_THREAD_QUERIES + 4
# A first visit also creates the read marker: one upsert, no transaction around it.
FIRST_VISIT_THREAD_QUERIES = COLD_SIGNED_IN_THREAD_QUERIES + 1
# Notifications about the posts shown are marked read (the bell's count follows without
# counting again when that was all of them about the thread).
FIRST_VISIT_WITH_NOTIFICATIONS_QUERIES = FIRST_VISIT_THREAD_QUERIES + 1


def retire_stored_lists(thread):
    """Retire the thread's kept copies; the site-wide ones (the notices) stay, stored by
    a visitor's page if no page stored them yet."""
    Client().get(f"/t/{thread.pk}/")
    pagecache.scopes_changed([pagecache.thread_scope(thread.pk)])


def writes(captured) -> list[str]:
    return [
        query["sql"]
        for query in captured
        if query["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


@pytest.mark.parametrize(("replies", "elsewhere"), [(2, 0), (20, 6)])
def test_a_cold_signed_in_page_costs_flat_queries_first_visit_included(
    thread,
    other_member,
    make_user,
    make_thread,
    capture_commits,
    replies,
    elsewhere,
    django_assert_num_queries,
):
    with capture_commits():
        for number in range(replies):
            post_create(thread=thread, author=other_member, body=f"Reply number {number}.")
        for number in range(elsewhere):  # more data elsewhere changes nothing here
            other = make_thread(other_member, title=f"Elsewhere {number}")
            post_create(thread=other, author=make_user(), body="Me too.")
    client = reader(make_user("casey"))
    retire_stored_lists(thread)
    with django_assert_num_queries(FIRST_VISIT_THREAD_QUERIES) as captured:
        html = page(client, thread)
    assert len(writes(captured)) == 1  # the read marker, created
    assert f"Reply number {min(replies, 19) - 1}." in html
    retire_stored_lists(thread)
    with django_assert_num_queries(COLD_SIGNED_IN_THREAD_QUERIES) as captured:
        page(client, thread)
    assert writes(captured) == []


def test_reading_new_replies_reads_their_notifications_and_the_bell_shows_it(
    thread, member, other_member, capture_commits, django_assert_num_queries
):
    with capture_commits():  # the asker hears of every reply to their question
        for number in range(3):
            post_create(thread=thread, author=other_member, body=f"Reply number {number}.")
    client = reader(member)
    retire_stored_lists(thread)
    with django_assert_num_queries(FIRST_VISIT_WITH_NOTIFICATIONS_QUERIES) as captured:
        html = page(client, thread)
    assert len(writes(captured)) == 2  # the marker raised, the notifications read
    assert FIRST_VISIT_WITH_NOTIFICATIONS_QUERIES <= 10
    assert "bell--unread" not in html


def bell_count(html: str) -> int:
    found = re.search(r"data-bell-unread>(\d+) unread<", html)
    return int(found[1]) if found else 0


def test_the_bell_counts_what_is_left_unread_after_a_page_is_read(
    thread, member, other_member, make_thread, capture_commits, settings
):
    settings.FORUM_POSTS_PER_PAGE = 3
    with capture_commits():
        elsewhere = make_thread(member, title="Another question")
        post_create(thread=elsewhere, author=other_member, body="Over here.")
        for number in range(5):  # positions 2–6: two on page 1, three on page 2
            post_create(thread=thread, author=other_member, body=f"Reply number {number}.")
    client = reader(member)
    assert bell_count(page(client, thread)) == 1 + 3  # elsewhere, and page 2's
    html = client.get(f"/t/{thread.pk}/?page=2").content.decode()
    assert bell_count(html) == 1


def test_two_members_on_one_stored_list_see_only_their_own_edit_links(
    thread, member, other_member, capture_commits
):
    with capture_commits():
        reply = post_create(thread=thread, author=other_member, body="My own answer.")
    question = thread.posts.get(position=1)
    first = page(reader(member), thread)
    with CaptureQueriesContext(connection) as captured:
        second = page(reader(other_member), thread)
    assert not reads_posts_or_events(captured)
    assert edit_url(question) in first and edit_url(reply) not in first
    assert edit_url(reply) in second and edit_url(question) not in second
    # Each flags the other's post, never their own.
    flag = reverse("moderation:post-flag", kwargs={"post_id": reply.pk})
    assert flag in first and flag not in second


def test_the_asker_sees_accept_buttons_and_other_members_do_not(
    thread, member, other_member, make_user, capture_commits
):
    with capture_commits():
        post_create(thread=thread, author=other_member, body="Try the nightly build.")
    accept = reverse("forum:thread-accept", kwargs={"thread_id": thread.pk})
    bystander = page(reader(make_user("casey")), thread)
    asker = page(reader(member), thread)
    assert accept in asker
    assert accept not in bystander
    assert accept not in page(reader(other_member), thread)


def test_a_moderator_sees_hidden_posts_and_a_member_does_not(
    thread, member, other_member, moderator, guidelines, capture_commits
):
    with capture_commits():
        reply = post_create(thread=thread, author=other_member, body="Rude words about badgers.")
    with capture_commits():
        post_hide(actor=moderator, post=reply, rule_codes=["G1"])
        # A later visible reply: every reader's page runs to the same last position.
        post_create(thread=thread, author=member, body="Please keep it civil.")
    for _ in range(2):  # cold, then from the stored lists
        assert "badgers" not in page(reader(member), thread)
        moderator_page = page(reader(moderator), thread)
        assert "badgers" in moderator_page
        assert reverse("moderation:post-restore", kwargs={"post_id": reply.pk}) in moderator_page
    # The author of a hidden post still reads it, with the note saying who else can.
    own = page(reader(other_member), thread)
    assert "badgers" in own and "Only you, the author" not in own


def test_a_member_sees_their_own_held_post_and_no_one_else_does(
    client, thread, member, make_user, moderator
):
    spammer = make_user("watchseller", display_name="Watch Seller")
    post_reply(client, spammer, thread, SPAM_BODY)
    held = Post.objects.get(author=spammer)
    assert held.held_at is not None
    post_create(thread=thread, author=member, body="Anyone else seeing this?")
    # The members' list, stored first, lacks the held reply: its author gets their own.
    assert "watch-deals" not in page(reader(member), thread)
    own = page(reader(spammer), thread)
    assert "watch-deals" in own and "Held for review" in own
    assert "watch-deals" not in page(reader(make_user("casey")), thread)
    assert "watch-deals" in page(reader(moderator), thread)


def reply(thread, other_member, **_):
    post_create(thread=thread, author=other_member, body="Orange marmalade fixed it.")


def edit(thread, member, **_):
    post_edit(post=thread.posts.get(position=1), editor=member, body="Rewritten, lemon curd.")


def hide(thread, moderator, target, **_):
    post_hide(actor=moderator, post=target, rule_codes=["G1"])


def restore(thread, moderator, target, **_):
    post_hide(actor=moderator, post=target, rule_codes=["G1"])
    post_restore(actor=moderator, post=Post.objects.get(pk=target.pk))


def accept(thread, member, target, **_):
    answers.answer_accept(thread=thread, post=target, actor=member)


def rename(thread, other_member, **_):
    profile_update(user=other_member, display_name="Captain Quill", bio="")


def spam(thread, moderator, spammer, **_):
    spam_delete(actor=moderator, member=spammer)


def pin(thread, staff, **_):
    thread_set_pinned(thread=thread, pinned=True)


def official(thread, staff, **_):
    staff_reply = post_create(thread=thread, author=staff, body="Official word from support.")
    answers.post_set_official(post=staff_reply, actor=staff, official=True)


@pytest.mark.parametrize("write", [reply, edit, hide, restore, accept, rename, spam, official, pin])
def test_every_write_that_changes_the_thread_changes_the_signed_in_page(
    write, thread, member, other_member, moderator, staff, make_user, guidelines, capture_commits
):
    spammer = make_user("spamface")
    with capture_commits():
        target = post_create(thread=thread, author=other_member, body="Try the nightly build.")
        post_create(thread=thread, author=spammer, body="Cheap sunglasses here.")
    client = reader(make_user("casey"))
    before = page(client, thread)
    with capture_commits():
        write(
            thread=thread,
            member=member,
            other_member=other_member,
            moderator=moderator,
            target=target,
            spammer=spammer,
            staff=staff,
        )
    after = page(client, thread)
    if write is restore:
        # Hidden then restored: the page is as before, yet it was rendered afresh.
        assert strip(after) == strip(before)
    else:
        assert strip(after) != strip(before)
    expected = {
        reply: "Orange marmalade",
        edit: "lemon curd",
        accept: "Accepted answer",
        rename: "Captain Quill",
        official: "Official answer",
        pin: "tag--pinned",
    }
    if write in expected:
        assert expected[write] in after
    if write is reply:
        assert "3 replies" in after and "2 replies" in before
    if write is hide:
        assert "nightly build" not in after
        assert "1 reply<" in after
    if write is spam:
        assert "Cheap sunglasses" not in after


def test_a_status_change_shows_its_event_line_to_signed_in_readers(
    make_thread, member, staff, other_member, boards, capture_commits
):
    idea = make_thread(member, board=boards["ideas"], title="Dark mode please")
    client = reader(other_member)
    before = page(client, idea)
    with capture_commits():
        thread_set_status(
            thread=idea, actor=staff, status="planned", reason="Next quarter, after the redesign."
        )
    after = page(client, idea)
    assert "Next quarter, after the redesign." in after
    assert "Next quarter" not in before


def test_a_vote_shows_on_the_next_signed_in_page_though_the_thread_row_is_kept(
    make_thread, member, other_member, make_user, boards, capture_commits
):
    idea = make_thread(member, board=boards["ideas"], title="Dark mode please")
    client = reader(make_user("casey"))
    assert "<strong>0</strong> votes" in page(client, idea)
    with capture_commits():
        thread_vote(thread=idea, user=other_member, on=True)
    assert "<strong>1</strong> vote<" in page(client, idea)


def test_an_approved_held_reply_shows_to_signed_in_readers(
    client, thread, member, make_user, moderator, capture_commits
):
    spammer = make_user("watchseller", display_name="Watch Seller")
    post_reply(client, spammer, thread, SPAM_BODY)
    held = Post.objects.get(author=spammer)
    assert "watch-deals" not in page(reader(member), thread)
    with capture_commits():
        held_post_approve(actor=moderator, post=held, note="Fine after all.")
    assert "watch-deals" in page(reader(member), thread)


def strip(html: str) -> str:
    """The page without what differs per response: CSRF tokens and CSP nonces."""
    html = re.sub(r'name="(csrfmiddlewaretoken|submission_key)" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.mark.parametrize("viewer", ["member", "staff", "moderator"])
def test_with_the_cache_off_the_page_is_the_same(
    viewer, request, thread, other_member, moderator, guidelines, settings, capture_commits
):
    with capture_commits():
        shown = post_create(thread=thread, author=other_member, body="Try the nightly build.")
        hidden = post_create(thread=thread, author=other_member, body="Rude words.")
        post_hide(actor=moderator, post=hidden, rule_codes=["G1"])
        post_edit(post=shown, editor=other_member, body="Try the nightly build, twice.")
    client = reader(request.getfixturevalue(viewer))
    page(client, thread)  # marks everything read
    warm = page(client, thread)
    settings.PAGE_CACHE_ENABLED = False
    assert strip(page(client, thread)) == strip(warm)


def test_the_stored_list_holds_no_authors_password_hash_or_email(thread, member, other_member):
    other_member.email = "priya@example.com"
    other_member.save()
    post_create(thread=thread, author=other_member, body="Try the nightly build.")
    page(reader(member), thread)
    versions = pagecache.versions((pagecache.SITE, pagecache.thread_scope(thread.pk)))
    key = pagecache.page_key("post-list", f"{thread.pk}/1/20/2/member/None", versions)
    stored = pagecache.page_get(key)
    assert [post.position for post in stored] == [1, 2]
    for post in stored:
        assert post.author.password == "" and post.author.email == ""
        assert post.author.public_name in ("Jamie", "Priya")


def test_lockdowns_kept_with_the_page_show_and_go_when_set_lifted_or_run_out(
    thread, member, moderator, guidelines, capture_commits, clock
):
    client = reader(member)
    assert "Post reply" in page(client, thread)  # stores the thread's lockdowns: none
    with capture_commits():
        lockdown_set(
            actor=moderator, kind="lock", rule_codes=["G1"], reason="Cooling off.", thread=thread
        )
    locked = page(client, thread)
    assert "Cooling off." in locked and "Post reply" not in locked
    with capture_commits():
        lockdown_lift(actor=moderator, lockdown=Lockdown.objects.get(thread=thread))
    assert "Cooling off." not in page(client, thread)
    with capture_commits():
        lockdown_set(
            actor=moderator,
            kind="lock",
            rule_codes=["G1"],
            reason="Board-wide pause.",
            board=thread.board,
            ends_at=clock.now + timedelta(hours=1),
        )
    assert "Board-wide pause." in page(client, thread)
    assert "Board-wide pause." in page(client, thread)  # from the kept copy
    clock.advance(hours=1, seconds=1)
    reopened = page(client, thread)  # the same kept copy, read at a later time
    assert "Board-wide pause." not in reopened and "Post reply" in reopened


def test_a_thread_hidden_after_its_row_was_kept_is_gone_for_members_alone(
    thread, member, other_member, moderator, make_user, guidelines, capture_commits
):
    bystander = reader(make_user("casey"))
    for client in (bystander, reader(member), reader(moderator)):
        page(client, thread)  # the thread's row is kept
    with capture_commits():
        post_hide(actor=moderator, post=thread.posts.get(position=1), rule_codes=["G1"])
    assert bystander.get(f"/t/{thread.pk}/?page=1").status_code == 404
    assert page(reader(member), thread)  # its author
    assert page(reader(moderator), thread)
    assert bystander.get(f"/t/{thread.pk}/?page=1").status_code == 404  # from the kept row
    assert bystander.get("/t/987654/?page=1").status_code == 404


def test_the_kept_thread_row_carries_each_members_own_hidden_post(
    thread, member, other_member, moderator, guidelines, capture_commits
):
    with capture_commits():
        own = post_create(thread=thread, author=other_member, body="Rude words about badgers.")
        post_hide(actor=moderator, post=own, rule_codes=["G1"])
    page(reader(member), thread)  # keeps the row and the members' shared list
    mine = page(reader(other_member), thread)
    assert "Rude words about badgers." in mine
    assert "Rude words about badgers." not in page(reader(member), thread)


def test_notices_kept_for_every_page_show_and_go_for_signed_in_readers(
    thread, member, other_member, admin_user, capture_commits, clock
):
    client = reader(member)
    page(client, thread)  # keeps the notices in force: none
    with capture_commits():
        notice = notice_create(actor=admin_user, message="Tea in the lobby at four.", level="info")
        notice_create(
            actor=admin_user,
            message="Upgrade tonight.",
            level="info",
            starts_at=clock.now + timedelta(hours=1),
        )
    assert "Tea in the lobby" in page(client, thread)
    assert "Upgrade tonight" not in page(client, thread)
    clock.advance(hours=1, seconds=1)
    assert "Upgrade tonight" in page(client, thread)  # the kept copy, read later
    with capture_commits():
        notice_dismiss(notice=notice, user=member)
    # One kept list, each member's own dismissals.
    assert "Tea in the lobby" not in page(client, thread)
    assert "Tea in the lobby" in page(reader(other_member), thread)
    with capture_commits():
        notice_end(notice=notice, actor=admin_user)
    assert "Tea in the lobby" not in page(reader(other_member), thread)


def test_the_reply_box_writes_its_fields_as_the_field_template_would(thread, member):
    def squeeze(html: str) -> str:
        html = re.sub(r'name="submission_key" value="[^"]+"', "", html)
        return re.sub(r">\s+<", "><", " ".join(html.split()))

    form = PostForm()
    expected = "".join(render_to_string("includes/field.html", {"field": field}) for field in form)
    shown = page(reader(member), thread)
    fields = shown[shown.index('<div class="field">', shown.index('id="reply"')) :]
    fields = fields[: fields.index('<button type="submit"')]
    assert squeeze(fields) == squeeze(expected)

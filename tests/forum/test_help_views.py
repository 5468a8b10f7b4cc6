"""The Help workflow in the pages: the state, the accepted answer under the question, the
asker's prompt, the accept / official buttons for the people allowed to use them, the
refusals for everyone else, and the staff's unanswered queue with its response times."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Post, Thread, ThreadEvent
from forum.services import answers, board_create, post_create

State = Thread.HelpState
PROMPT = "Did this fix everything? Is there anything else we can help with?"
UNANSWERED = "/staff/unanswered/"
UNANSWERED_PAGE_QUERIES = 10  # see test_the_unanswered_page_query_count_is_pinned_and_flat


def _reload(thread: Thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def _html(client, thread) -> str:
    """The thread page as this reader sees it (members land on their first unread post)."""
    response = client.get(thread.get_absolute_url(), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _accept_url(thread):
    return reverse("forum:thread-accept", kwargs={"thread_id": thread.pk})


def _unaccept_url(thread):
    return reverse("forum:thread-unaccept", kwargs={"thread_id": thread.pk})


def _prompt_url(thread):
    return reverse("forum:thread-prompt", kwargs={"thread_id": thread.pk})


def _official_url(post):
    return reverse("forum:post-official", kwargs={"post_id": post.pk})


@pytest.fixture
def answered(thread, staff):
    """Jamie's question with Sam's reply."""
    return thread, post_create(thread=thread, author=staff, body="Clear the **cache**.")


# --- The thread page --------------------------------------------------------------------


def test_the_thread_page_shows_the_state(client, thread, staff):
    page = _html(client, thread)
    assert "Awaiting staff" in page
    post_create(thread=thread, author=staff, body="Looking.")
    page = _html(client, thread)
    assert "Awaiting the asker" in page


def test_threads_outside_help_show_no_help_state(client, make_thread, boards, member):
    idea = make_thread(member, board=boards["ideas"])
    page = _html(client, idea)
    assert 'id="help-state"' not in page
    assert "Accept as answer" not in page


def test_the_asker_sees_the_prompt_after_a_staff_reply_and_no_one_else(
    client, answered, member, other_member, staff
):
    thread, _ = answered
    client.force_login(member)
    page = _html(client, thread)
    assert PROMPT in page
    assert 'name="answer" value="yes"' in page and 'name="answer" value="no"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    for reader in (other_member, staff):
        client.force_login(reader)
        assert PROMPT not in _html(client, thread)
    client.logout()
    assert PROMPT not in _html(client, thread)


def test_no_prompt_before_staff_reply_or_after_the_asker_replied(client, thread, member, staff):
    client.force_login(member)
    assert PROMPT not in _html(client, thread)
    post_create(thread=thread, author=staff, body="Try this.")
    post_create(thread=thread, author=member, body="Did not help.")
    assert PROMPT not in _html(client, thread)


def test_yes_solved_shows_solved_and_quotes_the_answer_under_the_question(client, answered, member):
    thread, reply = answered
    client.force_login(member)
    response = client.post(_prompt_url(thread), {"answer": "yes"})
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert _reload(thread).help_state == State.SOLVED
    page = _html(client, thread)
    assert "The question is marked solved" in page
    assert PROMPT not in page
    help_block = page.split('id="help-state"', 1)[1].split("</section>", 1)[0]
    assert "Solved" in help_block
    assert "Accepted answer" in help_block
    assert "Clear the <strong>cache</strong>." in help_block
    assert "Sam" in help_block
    assert reverse("forum:post-permalink", kwargs={"post_id": reply.pk}) in help_block
    # The answer itself is marked in the thread.
    assert page.count("tag--accepted") == 1


def test_not_yet_returns_the_question_to_staff(client, answered, member, staff):
    thread, _ = answered
    client.force_login(member)
    response = client.post(_prompt_url(thread), {"answer": "no"}, follow=True)
    assert "back with our support team" in response.content.decode()
    thread = _reload(thread)
    assert thread.help_state == State.AWAITING_STAFF
    assert thread.reopened_at is not None
    client.force_login(staff)
    assert thread.title in client.get(UNANSWERED).content.decode()


def test_a_bad_prompt_answer_changes_nothing_and_says_what_to_do(client, answered, member):
    thread, _ = answered
    client.force_login(member)
    response = client.post(_prompt_url(thread), {"answer": "maybe"}, follow=True)
    assert "Choose “Yes, solved” or “Not yet”" in response.content.decode()
    assert _reload(thread).help_state == State.AWAITING_ASKER
    assert not ThreadEvent.objects.exists()


def test_only_the_asker_answers_the_prompt(client, answered, other_member, staff):
    thread, _ = answered
    for someone in (other_member, staff):
        client.force_login(someone)
        response = client.post(_prompt_url(thread), {"answer": "yes"})
        assert response.status_code == 403
        assert "Only the person who asked" in response.content.decode()
    assert _reload(thread).help_state == State.AWAITING_ASKER


# --- Accepting an answer ----------------------------------------------------------------


def test_the_asker_accepts_a_reply_then_changes_and_unaccepts_it(
    client, answered, member, other_member
):
    thread, staff_reply = answered
    peer_reply = post_create(thread=thread, author=other_member, body="Or reinstall.")
    client.force_login(member)
    page = _html(client, thread)
    assert page.count("Accept as answer") == 2  # both replies, not the question

    response = client.post(_accept_url(thread), {"post_id": staff_reply.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{staff_reply.pk}")
    assert _reload(thread).accepted_post_id == staff_reply.pk

    client.post(_accept_url(thread), {"post_id": peer_reply.pk})
    thread = _reload(thread)
    assert (thread.accepted_post_id, thread.help_state) == (peer_reply.pk, State.SOLVED)
    page = _html(client, thread)
    assert "Unaccept answer" in page
    assert page.count("Accept as answer") == 1

    response = client.post(_unaccept_url(thread), follow=True)
    assert "no longer marked solved" in response.content.decode()
    thread = _reload(thread)
    assert thread.accepted_post_id is None
    assert thread.help_state != State.SOLVED


def test_staff_can_accept_an_answer_on_someone_elses_question(client, answered, staff):
    thread, reply = answered
    client.force_login(staff)
    client.post(_accept_url(thread), {"post_id": reply.pk})
    assert _reload(thread).accepted_post_id == reply.pk


def test_a_member_cannot_accept_an_answer_on_someone_elses_thread(client, answered, other_member):
    thread, reply = answered
    client.force_login(other_member)
    page = _html(client, thread)
    assert "Accept as answer" not in page
    response = client.post(_accept_url(thread), {"post_id": reply.pk})
    assert response.status_code == 403
    assert "Only the person who asked, or staff" in response.content.decode()
    response = client.post(_unaccept_url(thread))
    assert response.status_code == 403
    assert _reload(thread).accepted_post_id is None


def test_the_question_itself_cannot_be_accepted(client, thread, member):
    client.force_login(member)
    opening = Post.objects.get(thread=thread, position=1)
    response = client.post(_accept_url(thread), {"post_id": opening.pk})
    assert response.status_code == 403
    assert "Choose one of the replies" in response.content.decode()


def test_a_post_from_another_thread_or_a_bad_id_is_not_found(
    client, answered, make_thread, member, staff
):
    thread, _ = answered
    elsewhere = post_create(thread=make_thread(member, title="Other"), author=staff, body="Hi")
    client.force_login(member)
    for post_id in (elsewhere.pk, 999999, "abc", ""):
        response = client.post(_accept_url(thread), {"post_id": post_id})
        assert response.status_code == 404
    assert _reload(thread).accepted_post_id is None


def test_accepting_in_a_bug_thread_is_refused(client, make_thread, boards, member, staff):
    bug = make_thread(member, board=boards["bugs"])
    reply = post_create(thread=bug, author=staff, body="Confirmed.")
    client.force_login(member)
    response = client.post(_accept_url(bug), {"post_id": reply.pk})
    assert response.status_code == 403
    assert "Only questions on the Help board" in response.content.decode()


def test_visitors_are_asked_to_sign_in_and_brought_back_to_the_thread(client, answered):
    thread, reply = answered
    for url, data in (
        (_accept_url(thread), {"post_id": reply.pk}),
        (_unaccept_url(thread), {}),
        (_prompt_url(thread), {"answer": "yes"}),
        (_official_url(reply), {"official": "1"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert response["Location"].endswith(f"?next={thread.get_absolute_url()}")
    thread = _reload(thread)
    assert thread.help_state == State.AWAITING_ASKER
    assert not Post.objects.filter(is_official_answer=True).exists()


def test_the_write_urls_take_only_post(client, answered, member):
    thread, reply = answered
    client.force_login(member)
    for url in (_accept_url(thread), _unaccept_url(thread), _prompt_url(thread)):
        assert client.get(url).status_code == 405
    assert client.get(_official_url(reply)).status_code == 405


# --- Official answers -------------------------------------------------------------------


def test_staff_mark_and_unmark_an_official_answer(client, answered, staff):
    thread, reply = answered
    client.force_login(staff)
    page = _html(client, thread)
    assert page.count("Mark official") == 1  # only the staff reply
    response = client.post(_official_url(reply), {"official": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{reply.pk}")
    assert Post.objects.get(pk=reply.pk).is_official_answer
    page = _html(client, thread)
    assert "Official answer" in page and "Unmark official" in page
    assert re.search(r'class="post post--staff[^"]*"', page)
    client.post(_official_url(reply), {"official": "0"})
    assert not Post.objects.get(pk=reply.pk).is_official_answer


def test_staff_mark_official_answers_outside_help_too(client, make_thread, boards, member, staff):
    bug = make_thread(member, board=boards["bugs"])
    reply = post_create(thread=bug, author=staff, body="Known issue.")
    client.force_login(staff)
    assert "Mark official" in _html(client, bug)
    client.post(_official_url(reply), {"official": "1"})
    html = _html(client, bug)
    assert "tag--official" in html and "Unmark official" in html
    assert "Accept as answer" not in html


def test_a_bad_official_value_changes_nothing(client, answered, staff):
    thread, reply = answered
    client.force_login(staff)
    response = client.post(_official_url(reply), {"official": "yes please"}, follow=True)
    assert "Mark official" in response.content.decode()
    assert not Post.objects.get(pk=reply.pk).is_official_answer


def test_a_member_cannot_mark_an_official_answer(client, answered, member):
    thread, reply = answered
    client.force_login(member)
    assert "Mark official" not in _html(client, thread)
    response = client.post(_official_url(reply), {"official": "1"})
    assert response.status_code == 403
    assert "Only staff can mark an official answer" in response.content.decode()
    assert not Post.objects.get(pk=reply.pk).is_official_answer


def test_a_members_reply_cannot_be_official(client, thread, other_member, staff):
    reply = post_create(thread=thread, author=other_member, body="My take.")
    client.force_login(staff)
    response = client.post(_official_url(reply), {"official": "1"})
    assert response.status_code == 403
    assert "written by staff" in response.content.decode()


# --- The unanswered queue ---------------------------------------------------------------


def test_the_unanswered_page_is_for_staff_only(client, member, moderator, admin_user, staff):
    response = client.get(UNANSWERED)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/unanswered/")
    for refused in (member, moderator):
        client.force_login(refused)
        response = client.get(UNANSWERED)
        assert response.status_code == 403
        assert "This page is for staff only." in response.content.decode()
    for allowed in (staff, admin_user):
        client.force_login(allowed)
        assert client.get(UNANSWERED).status_code == 200


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    found = [(html.find(f">{title}</a>"), title) for title in titles]
    return [title for position, title in sorted(found) if position >= 0]


def test_unanswered_lists_waiting_questions_oldest_first_with_their_age(
    client, make_thread, member, other_member, staff, clock
):
    oldest = make_thread(member, title="Oldest question")
    clock.advance(days=1)
    answered = make_thread(member, title="Answered question")
    post_create(thread=answered, author=staff, body="Here you go.")
    clock.advance(days=1)
    reopened = make_thread(other_member, title="Reopened question")
    post_create(thread=reopened, author=staff, body="Try this.")
    clock.advance(days=1)
    newest = make_thread(other_member, title="Newest question")
    clock.advance(hours=2)
    answers.prompt_respond(thread=reopened, actor=other_member, solved=False)  # waits from now
    clock.advance(hours=1)

    client.force_login(staff)
    html = client.get(UNANSWERED).content.decode()
    titles = [oldest.title, answered.title, reopened.title, newest.title]
    assert _titles_in_order(html, titles) == [oldest.title, newest.title, reopened.title]
    assert "Asker said “Not yet”" in html
    assert ">3\xa0days</time>" in html  # the oldest
    assert ">1\xa0hour</time>" in html  # the reopened one
    assert ">Help</a>" in html  # each row names its board


def test_solved_questions_leave_the_queue(client, make_thread, member, staff):
    question = make_thread(member, title="Solved on its own")
    client.force_login(staff)
    assert question.title in client.get(UNANSWERED).content.decode()
    answers.prompt_respond(thread=question, actor=member, solved=True)
    assert question.title not in client.get(UNANSWERED).content.decode()


def test_questions_on_every_help_board_are_listed_and_no_others(
    client, make_thread, boards, member, staff
):
    second_help = board_create(slug="help-billing", name="Billing help", kind="help")
    make_thread(member, board=second_help, title="Invoice question")
    make_thread(member, board=boards["bugs"], title="A bug report")
    client.force_login(staff)
    html = client.get(UNANSWERED).content.decode()
    assert "Invoice question" in html and ">Billing help</a>" in html
    assert "A bug report" not in html


def test_medians_to_first_staff_reply_per_board_and_window(
    client, make_thread, boards, member, staff, clock
):
    """Waits of 1 h, 3 h (older than 7 days) and 2 h, 4 h (this week): the 30-day median
    is 2 h 30 min over four, the 7-day one 3 h over two. Unreplied and older threads
    don't count; a board with no replies shows a dash."""
    board_create(slug="help-billing", name="Billing help", kind="help")

    def asked(days_ago: int, wait_hours: int | None):
        start = clock.now
        clock.advance(days=-days_ago)
        question = make_thread(member, title=f"Asked {days_ago} days ago")
        if wait_hours is not None:
            clock.advance(hours=wait_hours)
            post_create(thread=question, author=staff, body="Answer.")
        clock.set(start)

    asked(40, 1)  # outside both windows
    asked(20, 1)
    asked(10, 3)
    asked(5, 2)
    asked(2, 4)
    asked(1, None)  # still waiting: not counted

    client.force_login(staff)
    html = client.get(UNANSWERED).content.decode()
    table = html.split('class="data-table response-table"', 1)[1].split("</table>", 1)[0]
    help_row = table.split(">Help</a>", 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-window="7">3\xa0hours <span class="meta">\(2 questions\)', help_row)
    assert re.search(
        r'data-window="30">2\xa0hours, 30\xa0minutes <span class="meta">\(4 questions\)', help_row
    )
    billing_row = table.split(">Billing help</a>", 1)[1].split("</tr>", 1)[0]
    assert billing_row.count(">—</td>") == 2
    assert "median time from a question being asked to the first staff reply" in html


def test_the_unanswered_page_query_count_is_pinned_and_flat(
    client, make_thread, make_user, staff, clock
):
    askers = [make_user() for _ in range(3)]

    def fill(n):
        for i in range(n):
            question = make_thread(askers[i % 3], title=f"Question {i} {clock.now.timestamp()}")
            if i % 2:
                post_create(thread=question, author=staff, body="Answered.")
            clock.advance(minutes=1)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(UNANSWERED)
        assert response.status_code == 200
        sql = [query["sql"] for query in ctx.captured_queries]
        own = [q for q in sql if re.search(r'FROM "forum_(thread|board)"', q)]
        return len(sql), len(own)

    client.force_login(staff)
    fill(2)
    few = count()
    fill(30)
    many = count()
    # The page's own reads: the count and the page of waiting threads (with board, asker
    # and last poster), the Help boards, the replied threads of the last 30 days, the
    # team for the "Assigned to" filter, the boards' sparklines (the temperature's hour
    # rows, not counted in ``own``). The rest is every signed-in page's: user, block
    # with unread messages, unread notifications, notices (the session comes from the
    # cache).
    assert few == many == (UNANSWERED_PAGE_QUERIES, 4)


def test_the_thread_page_adds_at_most_one_query_for_an_accepted_answer_off_the_page(
    client, thread, member, staff, settings
):
    reply = post_create(thread=thread, author=staff, body="The answer.")
    for i in range(settings.FORUM_POSTS_PER_PAGE + 2):
        post_create(thread=thread, author=member, body=f"Follow-up {i}")

    def count(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before_first, before_last = (
        count(thread.get_absolute_url()),
        count(thread.get_absolute_url() + "?page=2"),
    )
    answers.answer_accept(thread=thread, post=reply, actor=member)
    # On page 1 the answer is one of the page's posts; on page 2 it is fetched once.
    assert count(thread.get_absolute_url()) == before_first
    assert count(thread.get_absolute_url() + "?page=2") == before_last + 1
    page_two = client.get(thread.get_absolute_url() + "?page=2").content.decode()
    assert "The answer." in page_two


def test_a_hidden_accepted_answer_is_not_quoted_to_readers(client, answered, member):
    thread, reply = answered
    answers.answer_accept(thread=thread, post=reply, actor=member)
    Post.objects.filter(pk=reply.pk).update(is_hidden=True, hidden_rule_code="G2")
    html = _html(client, thread)
    assert "Moderators hid this reply." in html
    assert "<strong>cache</strong>" not in html


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_the_prompt_answers_are_idempotent(client, answered, member, answer):
    thread, _ = answered
    client.force_login(member)
    client.post(_prompt_url(thread), {"answer": answer})
    response = client.post(_prompt_url(thread), {"answer": answer}, follow=True)
    assert response.status_code == 200
    assert ThreadEvent.objects.filter(thread=thread).count() == 1


def test_the_board_list_label_for_each_state():
    assert [label for _, label in Thread.HelpState.choices[1:]] == [
        "Awaiting staff",
        "Awaiting the asker",
        "Solved",
    ]


def test_a_staff_question_in_help_is_listed_until_another_staff_member_replies(
    client, make_thread, staff, make_user
):
    question = make_thread(staff, title="Internal question")
    colleague = make_user("lee", role="staff", job_title="Engineer")
    client.force_login(colleague)
    assert "Internal question" in client.get(UNANSWERED).content.decode()
    post_create(thread=question, author=colleague, body="Answered.")
    assert "Internal question" not in client.get(UNANSWERED).content.decode()


def test_waiting_since_for_threads_started_long_ago(make_thread, member, clock):
    from forum.selectors.answers import unanswered_threads

    question = make_thread(member)
    clock.advance(days=400)
    row = unanswered_threads().get(pk=question.pk)
    assert clock.now - row.waiting_since == timedelta(days=400)

"""The unanswered queue filtered by who looks after a question, and each question's time
left (or how overdue it is) against its board's target time to a first staff reply, which
admins set in Django admin in hours."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from forum.models import Board
from forum.services import post_create
from forum.services.assignment import thread_assign

UNANSWERED = "/staff/unanswered/"
# The page's own reads (count and page of waiting threads with board, asker, last poster
# and assignee; the Help boards; the replied threads of the last 30 days), the team for
# the filter, the boards' sparklines (the temperature's hour rows), and every signed-in
# page's four.
QUEUE_QUERIES = 10


@pytest.fixture
def colleague(make_user):
    return make_user("quincey", role=Role.STAFF, job_title="Billing", display_name="Quincey")


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(html: str) -> dict[str, str]:
    """Each waiting question's title → its table row."""
    found = {}
    for row in re.findall(r'<tr id="unanswered-\d+".*?</tr>', html, flags=re.S):
        title = re.search(r'class="thread-row__title"[^>]*>([^<]+)</a>', row).group(1)
        found[title] = row
    return found


@pytest.fixture
def queue(make_thread, make_user, staff, colleague):
    asker = make_user("asker")
    mine = make_thread(asker, title="Mine")
    theirs = make_thread(asker, title="Theirs")
    nobodys = make_thread(asker, title="Nobodys")
    thread_assign(thread=mine, assignee=staff, actor=staff)
    thread_assign(thread=theirs, assignee=colleague, actor=staff)
    return {"mine": mine, "theirs": theirs, "nobodys": nobodys}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Mine", "Theirs", "Nobodys"}),
        ("?assignee=mine", {"Mine"}),
        ("?assignee=none", {"Nobodys"}),
        ("colleague", {"Theirs"}),
    ],
)
def test_the_queue_filters_by_assignee_and_unassigned(queue, staff, colleague, query, expected):
    if query == "colleague":
        query = f"?assignee={colleague.pk}"
    html = as_user(staff).get(UNANSWERED + query).content.decode()
    assert set(rows(html)) == expected


def test_the_queue_shows_who_looks_after_each_question(queue, staff):
    found = rows(as_user(staff).get(UNANSWERED).content.decode())
    assert 'data-label="Assigned to">You<' in found["Mine"]
    assert 'data-label="Assigned to">Quincey<' in found["Theirs"]
    assert "Nobody" in found["Nobodys"]


def test_an_unknown_assignee_says_what_to_do_and_keeps_the_full_list(queue, staff, member):
    response = as_user(staff).get(f"{UNANSWERED}?assignee={member.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not someone on the staff team; choose one from the list" in html
    assert set(rows(html)) == {"Mine", "Theirs", "Nobodys"}


def test_a_filter_that_matches_nothing_says_so(make_thread, member, staff):
    make_thread(member, title="Lonely")
    html = as_user(staff).get(f"{UNANSWERED}?assignee=mine").content.decode()
    assert "No waiting question matches this filter." in html


def test_time_left_and_overdue_against_the_boards_target(
    make_thread, make_user, help_board, staff, clock
):
    Board.objects.filter(pk=help_board.pk).update(first_reply_target=timedelta(hours=4))
    asker = make_user("asker")
    make_thread(asker, title="Old question")
    clock.advance(hours=5)
    make_thread(asker, title="Fresh question")
    clock.advance(hours=1)
    found = rows(as_user(staff).get(UNANSWERED).content.decode())
    assert "overdue by 2\xa0hours" in found["Old question"]
    assert "queue-target--overdue" in found["Old question"]
    assert "3\xa0hours left" in found["Fresh question"]
    assert "queue-target--left" in found["Fresh question"]


def test_a_not_yet_counts_from_when_the_asker_said_it(
    make_thread, make_user, help_board, staff, clock
):
    from forum.services import answers

    Board.objects.filter(pk=help_board.pk).update(first_reply_target=timedelta(hours=4))
    asker = make_user("asker")
    question = make_thread(asker, title="Reopened")
    post_create(thread=question, author=staff, body="Try this.")
    clock.advance(hours=10)
    answers.prompt_respond(thread=question, actor=asker, solved=False)
    clock.advance(hours=1)
    found = rows(as_user(staff).get(UNANSWERED).content.decode())
    assert "3\xa0hours left" in found["Reopened"]


def test_boards_without_a_target_show_a_dash(make_thread, member, staff):
    make_thread(member, title="No target")
    row = rows(as_user(staff).get(UNANSWERED).content.decode())["No target"]
    assert 'title="This board has no target time">—<' in row
    assert "left" not in row and "overdue" not in row


def test_the_filtered_queue_query_count_is_pinned_and_flat(
    make_thread, make_user, staff, colleague, help_board
):
    Board.objects.filter(pk=help_board.pk).update(first_reply_target=timedelta(hours=4))
    askers = [make_user() for _ in range(3)]
    client = as_user(staff)

    def fill(n):
        for i in range(n):
            question = make_thread(askers[i % 3], title=f"Question {i}")
            if i % 3:  # a third stay unassigned
                thread_assign(thread=question, assignee=(staff, colleague)[i % 2], actor=staff)

    def count(query) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(UNANSWERED + query).status_code == 200
        return len(ctx.captured_queries)

    queries = ["", "?assignee=mine", "?assignee=none", f"?assignee={colleague.pk}"]
    fill(3)
    few = [count(query) for query in queries]
    fill(20)
    assert [count(query) for query in queries] == few == [QUEUE_QUERIES] * 4


# --- Admins set the target -----------------------------------------------------------------


def test_admins_set_a_boards_target_in_hours_in_django_admin(client, help_board, make_user):
    admin = make_user("root", role=Role.ADMIN, job_title="Ops")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(admin)
    url = f"/admin/forum/board/{help_board.pk}/change/"
    form = {
        "name": help_board.name,
        "slug": help_board.slug,
        "description": help_board.description,
        "kind": help_board.kind,
        "position": help_board.position,
        "first_reply_target": "1.5",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    help_board.refresh_from_db()
    assert help_board.first_reply_target == timedelta(hours=1, minutes=30)
    assert 'value="1.5"' in client.get(url).content.decode()
    response = client.post(url, {**form, "first_reply_target": "200"})
    assert response.status_code == 200
    assert "Enter at most 168 hours (a week), or leave it empty." in response.content.decode()
    client.post(url, {**form, "first_reply_target": ""})
    help_board.refresh_from_db()
    assert help_board.first_reply_target is None

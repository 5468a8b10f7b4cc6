"""Staff move a thread between boards and merge a duplicate into another thread; both
keep their links, keep every counter exact, show an event line, replace every stored
page, and can be undone exactly."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import (
    Board,
    Post,
    ReadMarker,
    Thread,
    ThreadEvent,
    ThreadMerge,
    ThreadMove,
    Watch,
)
from forum.services import post_create
from forum.services.merging import thread_merge, thread_merge_reverse
from forum.services.moving import thread_move, thread_move_reverse
from moderation.services import post_hide


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def capture_commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def visit(url) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def board_counts(board) -> tuple:
    board = fresh(board)
    return board.thread_count, board.post_count, board.last_post_id


def direct_counts(board) -> tuple:
    """What the board's counters must say, counted from the rows."""
    threads = Thread.objects.filter(board=board, is_hidden=False)
    posts = Post.objects.filter(thread__board=board, thread__is_hidden=False, is_hidden=False)
    latest = threads.order_by("-last_activity_at", "-pk").first()
    return threads.count(), posts.count(), latest.last_post_id if latest else None


def positions(thread) -> list[tuple[int, int]]:
    return list(
        Post.objects.filter(thread=thread).order_by("position").values_list("pk", "position")
    )


@pytest.fixture
def question(make_thread, member, staff):
    """A Help question staff already answered (awaiting the asker)."""
    thread = make_thread(member, title="Sync stops after an hour")
    post_create(thread=thread, author=staff, body="Which version are you on?")
    return fresh(thread)


# --- Moving ---------------------------------------------------------------------------


def test_moving_a_help_question_to_bugs_makes_it_a_new_bug_and_fixes_both_boards(
    question, boards, staff, member, make_thread
):
    help_board, bugs = boards["help"], boards["bugs"]
    make_thread(member, board=bugs, title="Older bug report")
    assert question.help_state == Thread.HelpState.AWAITING_ASKER
    move = thread_move(thread=question, to_board=bugs, actor=staff)
    moved = fresh(question)
    assert (moved.board, moved.status, moved.help_state) == (bugs, "new", "")
    assert positions(moved) == positions(question)  # every post kept, in place
    assert (move.from_board, move.to_board, move.from_help_state, move.to_status) == (
        help_board,
        bugs,
        "awaiting_asker",
        "new",
    )
    assert board_counts(help_board) == direct_counts(help_board) == (0, 0, None)
    assert board_counts(bugs) == direct_counts(bugs)
    assert board_counts(bugs)[:2] == (2, 3)
    event = ThreadEvent.objects.get(thread=moved, kind=ThreadEvent.Kind.MOVED)
    assert (event.actor, event.after_position) == (staff, 2)


def test_the_moved_thread_shows_new_on_bugs_and_its_event_line(question, boards, staff):
    thread_move(thread=question, to_board=boards["bugs"], actor=staff)
    page = visit(f"/t/{question.pk}/")
    assert "moved this thread from <strong>Help</strong> to <strong>Bugs</strong>" in page
    assert "Sync stops after an hour" in visit("/b/bugs/")
    assert "status-pill--new" in visit("/b/bugs/")


def test_moving_back_restores_board_states_and_counters_with_its_own_line(question, boards, staff):
    help_board, bugs = boards["help"], boards["bugs"]
    before = (board_counts(help_board), board_counts(bugs))
    move = thread_move(thread=question, to_board=bugs, actor=staff)
    assert thread_move_reverse(move=move, actor=staff) is True
    back = fresh(question)
    assert (back.board, back.status, back.help_state) == (help_board, "", "awaiting_asker")
    assert (board_counts(help_board), board_counts(bugs)) == before
    move = fresh(move)
    assert move.reversed_at is not None and move.reversed_by == staff
    lines = list(ThreadEvent.objects.filter(thread=back).values_list("kind", "from_value"))
    assert lines == [("moved", "move"), ("moved", "back")]
    assert "moved this thread back from <strong>Bugs</strong> to <strong>Help</strong>" in visit(
        f"/t/{question.pk}/"
    )
    assert thread_move_reverse(move=move, actor=staff) is False


def test_only_the_latest_move_can_be_undone(question, boards, staff):
    first = thread_move(thread=question, to_board=boards["bugs"], actor=staff)
    thread_move(thread=question, to_board=boards["ideas"], actor=staff)
    assert fresh(question).status == ""  # an idea starts without a status
    with pytest.raises(ValidationError):
        thread_move_reverse(move=first, actor=staff)


def test_moving_to_help_computes_the_state_from_the_posts(make_thread, member, staff, boards):
    bug = make_thread(member, board=boards["bugs"], title="Crash on save")
    thread_move(thread=bug, to_board=boards["help"], actor=staff)
    assert fresh(bug).help_state == Thread.HelpState.AWAITING_STAFF
    with pytest.raises(ValidationError) as refused:
        thread_move(thread=bug, to_board=boards["help"], actor=staff)
    assert "already on Help" in str(refused.value)


def test_a_moved_thread_with_a_hidden_reply_counts_only_visible_posts(
    question, boards, staff, moderator, other_member, guidelines
):
    reply = post_create(thread=question, author=other_member, body="Spam spam spam.")
    post_hide(post=reply, actor=moderator, rule_codes=["G1"])
    bugs = boards["bugs"]
    thread_move(thread=question, to_board=bugs, actor=staff)
    assert board_counts(bugs) == direct_counts(bugs)
    assert board_counts(boards["help"]) == direct_counts(boards["help"])


def test_visitors_stored_pages_of_both_boards_and_the_thread_are_replaced(
    question, boards, staff, capture_commits
):
    urls = (f"/t/{question.pk}/", "/b/help/", "/b/bugs/", "/")
    before = {url: visit(url) for url in urls}
    assert "Sync stops after an hour" in before["/b/help/"]
    with capture_commits():
        thread_move(thread=question, to_board=boards["bugs"], actor=staff)
    assert "Sync stops after an hour" not in visit("/b/help/")
    assert "Sync stops after an hour" in visit("/b/bugs/")
    assert "moved this thread" in visit(urls[0])
    assert visit("/") != before["/"]


# --- Merging --------------------------------------------------------------------------


@pytest.fixture
def pair(make_thread, member, other_member, staff):
    target = make_thread(member, title="Export drops rows")
    post_create(thread=target, author=staff, body="Looking into it.")
    source = make_thread(other_member, title="CSV export missing lines")
    post_create(thread=source, author=member, body="Same here since Tuesday.")
    post_create(thread=source, author=staff, body="Tracked in the other thread.")
    return fresh(source), fresh(target)


def test_merge_appends_the_posts_in_order_and_the_opening_post_becomes_a_reply(
    pair, staff, help_board
):
    source, target = pair
    source_posts = positions(source)
    target_posts = positions(target)
    merge = thread_merge(source=source, target=target, actor=staff)
    assert positions(target) == target_posts + [(pk, 2 + pos) for pk, pos in source_posts]
    assert merge.moved_posts == [[pk, pos] for pk, pos in source_posts]
    merged_target, shell = fresh(target), fresh(source)
    assert (merged_target.reply_count, merged_target.last_post_id) == (4, source_posts[-1][0])
    assert (shell.merged_into, shell.is_hidden, shell.last_post_id) == (target, True, None)
    assert board_counts(help_board) == direct_counts(help_board) == (1, 5, source_posts[-1][0])
    event = ThreadEvent.objects.get(thread=target, kind=ThreadEvent.Kind.MERGED)
    assert (event.reason, event.after_position) == ("CSV export missing lines", 2)


def test_a_merged_threads_address_and_its_post_permalinks_lead_to_the_target(pair, staff, member):
    source, target = pair
    opening = Post.objects.get(thread=source, position=1)
    thread_merge(source=source, target=target, actor=staff)
    for client in (Client(), as_user(member), as_user(staff)):
        response = client.get(f"/t/{source.pk}/")
        assert (response.status_code, response["Location"]) == (302, f"/t/{target.pk}/")
        response = client.get(f"/p/{opening.pk}/")
        assert response.status_code == 302
        assert response["Location"].startswith(f"/t/{target.pk}/")
        assert response["Location"].endswith(f"#post-{opening.pk}")
    page = visit(f"/t/{target.pk}/")
    assert "merged “CSV export missing lines” into this thread" in page
    assert "Same here since Tuesday." in page
    assert "CSV export missing lines" not in visit("/b/help/")


def test_split_back_restores_positions_counters_and_address_exactly(
    pair, staff, help_board, other_member
):
    source, target = pair
    source_posts, target_posts = positions(source), positions(target)
    counts = board_counts(help_board)
    merge = thread_merge(source=source, target=target, actor=staff)
    later = post_create(thread=target, author=other_member, body="Any news?")
    assert fresh(later).position == 6
    assert thread_merge_reverse(merge=merge, actor=staff) is True
    assert positions(source) == source_posts
    assert positions(target) == target_posts + [(later.pk, 3)]  # the gap is closed
    shell = fresh(source)
    assert (shell.merged_into, shell.is_hidden, shell.reply_count) == (None, False, 2)
    assert fresh(target).reply_count == 2
    assert board_counts(help_board) == direct_counts(help_board)
    assert board_counts(help_board)[:2] == (counts[0], counts[1] + 1)
    assert Client().get(f"/t/{source.pk}/").status_code == 200
    assert fresh(merge).reversed_by == staff
    assert set(
        ThreadEvent.objects.filter(kind="unmerged").values_list("thread_id", "to_value")
    ) == {
        (target.pk, "target"),
        (source.pk, "source"),
    }
    assert thread_merge_reverse(merge=merge, actor=staff) is False


def test_watchers_of_the_duplicate_watch_the_target_and_read_places_stay_inside(
    pair, staff, make_user
):
    source, target = pair
    fan = make_user("fan")
    Watch.objects.create(user=fan, thread=source, level="watching", updated_at=source.created_at)
    merge = thread_merge(source=source, target=target, actor=staff)
    assert Watch.objects.filter(user=fan, thread=target, level="watching").exists()
    ReadMarker.objects.create(user=fan, thread=target, position=5, updated_at=target.created_at)
    thread_merge_reverse(merge=merge, actor=staff)
    assert ReadMarker.objects.get(user=fan, thread=target).position == 2


def test_a_thread_cant_be_merged_into_itself_or_into_a_merged_one(pair, staff, make_thread, member):
    source, target = pair
    with pytest.raises(ValidationError) as refused:
        thread_merge(source=target, target=target, actor=staff)
    assert "can't be merged into itself" in str(refused.value)
    third = make_thread(member, title="Third report")
    thread_merge(source=source, target=target, actor=staff)
    with pytest.raises(ValidationError):
        thread_merge(source=third, target=fresh(source), actor=staff)


def test_splitting_waits_for_a_later_merge_of_the_target_to_be_split(
    pair, staff, make_thread, member
):
    source, target = pair
    first = thread_merge(source=source, target=target, actor=staff)
    final = make_thread(member, title="The one that stays")
    second = thread_merge(source=fresh(target), target=final, actor=staff)
    with pytest.raises(ValidationError):
        thread_merge_reverse(merge=first, actor=staff)
    thread_merge_reverse(merge=second, actor=staff)
    thread_merge_reverse(merge=first, actor=staff)
    assert [pos for _, pos in positions(source)] == [1, 2, 3]
    assert [pos for _, pos in positions(target)] == [1, 2]
    assert [pos for _, pos in positions(final)] == [1]


def test_merge_and_split_replace_visitors_stored_pages(pair, staff, capture_commits):
    source, target = pair
    urls = (f"/t/{source.pk}/", f"/t/{target.pk}/", "/b/help/")
    before = {url: visit(url) for url in urls}
    with capture_commits():
        merge = thread_merge(source=source, target=target, actor=staff)
    assert Client().get(urls[0]).status_code == 302
    assert "Same here since Tuesday." in visit(urls[1])
    assert visit(urls[2]) != before[urls[2]]
    with capture_commits():
        thread_merge_reverse(merge=merge, actor=staff)
    assert "Same here since Tuesday." in visit(urls[0])
    assert "Same here since Tuesday." not in visit(urls[1])
    assert "back out" in visit(urls[1])


def test_search_finds_the_merged_posts_in_the_target(pair, staff):
    source, target = pair
    thread_merge(source=source, target=target, actor=staff)
    page = visit("/search/?q=tuesday")
    assert (
        f"/t/{target.pk}/" in page or f"/p/{Post.objects.get(body__contains='Tuesday').pk}/" in page
    )


# --- Pages, checks, errors ------------------------------------------------------------


def move_url(thread) -> str:
    return reverse("forum:thread-move", kwargs={"thread_id": thread.pk})


def merge_url(thread) -> str:
    return reverse("forum:thread-merge", kwargs={"thread_id": thread.pk})


def test_members_can_neither_move_nor_merge_nor_undo(question, pair, member, staff, boards):
    client = as_user(member)
    response = client.get(move_url(question))
    assert response.status_code == 403
    assert "Only staff can move a thread" in response.content.decode()
    response = client.post(move_url(question), {"board": boards["bugs"].pk})
    assert response.status_code == 403
    source, target = pair
    response = client.post(merge_url(source), {"target": str(target.pk)})
    assert response.status_code == 403
    assert "Only staff can merge threads" in response.content.decode()
    merge = thread_merge(source=source, target=target, actor=staff)
    split = reverse(
        "forum:thread-merge-reverse", kwargs={"thread_id": target.pk, "merge_id": merge.pk}
    )
    response = client.post(split)
    assert response.status_code == 403
    assert "Only staff can undo a move or a merge" in response.content.decode()
    assert fresh(question).board == boards["help"]
    assert fresh(merge).reversed_at is None
    assert "Move or merge" not in client.get(f"/t/{target.pk}/").content.decode()


def test_staff_move_through_the_page_and_move_back(question, staff, boards):
    client = as_user(staff)
    page = client.get(f"/t/{question.pk}/").content.decode()
    assert move_url(question) in page
    response = client.post(move_url(question), {"board": boards["bugs"].pk})
    assert (response.status_code, response["Location"]) == (302, f"/t/{question.pk}/")
    move = ThreadMove.objects.get(thread=question)
    page = client.get(move_url(question)).content.decode()
    assert "Move back to Help" in page
    undo = reverse(
        "forum:thread-move-reverse", kwargs={"thread_id": question.pk, "move_id": move.pk}
    )
    assert client.post(undo).status_code == 302
    assert fresh(question).board == boards["help"]


def test_merge_form_errors_are_beside_the_field_and_keep_the_text(pair, staff, make_user):
    source, target = pair
    client = as_user(staff)
    cases = {
        "nonsense": "Give a thread number such as 123",
        "999999": "That thread doesn&#x27;t exist or you can&#x27;t see it",
        f"/t/{source.pk}/": "A thread can&#x27;t be merged into itself",
    }
    for typed, error in cases.items():
        response = client.post(merge_url(source), {"target": typed})
        page = response.content.decode()
        assert response.status_code == 400, typed
        assert error in page, typed
        assert f'value="{typed}"' in page
    assert not ThreadMerge.objects.exists()
    response = client.post(merge_url(source), {"target": f"https://example.com/t/{target.pk}/"})
    assert (response.status_code, response["Location"]) == (302, f"/t/{target.pk}/")


def test_a_hidden_thread_is_not_a_merge_target_for_staff_who_cant_see_it(
    pair, staff, moderator, guidelines
):
    source, target = pair
    post_hide(post=Post.objects.get(thread=target, position=1), actor=moderator, rule_codes=["G1"])
    response = as_user(staff).post(merge_url(source), {"target": str(target.pk)})
    assert "That thread doesn&#x27;t exist or you can&#x27;t see it" in response.content.decode()


# The page's own reads (the thread, its latest move, the merges into it, the boards to
# choose from) and every signed-in page's (user, block, notifications, notices; the
# notices may come from the cache).
MOVE_PAGE_QUERIES = 8


def queries_of(client, url) -> int:
    client.get(url)  # warm: the cache of what every page shows
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_move_page_reads_the_same_few_queries_however_much_was_moved_and_merged(
    pair, staff, boards, make_thread, member
):
    source, target = pair
    client = as_user(staff)
    quiet = queries_of(client, move_url(target))
    assert quiet <= MOVE_PAGE_QUERIES
    thread_merge(source=source, target=target, actor=staff)
    thread_move(thread=target, to_board=boards["bugs"], actor=staff)
    thread_merge(source=make_thread(member, title="Third report"), target=target, actor=staff)
    assert queries_of(client, move_url(target)) == quiet
    page = client.get(move_url(target)).content.decode()
    assert page.count("Split back</button>") == 2
    assert "Move back to Help" in page


def test_board_kinds_are_the_three_plus_discussion():
    # The move's initial states cover every kind a board can have.
    assert set(Board.Kind.values) == {"help", "bugs", "ideas", "discussion"}


def test_a_reply_written_while_its_thread_was_merged_is_refused_with_its_text_kept(pair, staff):
    source, target = pair
    stale = fresh(source)  # the copy a reply form loaded before the merge
    thread_merge(source=source, target=target, actor=staff)
    with pytest.raises(ValidationError) as refused:
        post_create(thread=stale, author=staff, body="Answering the duplicate.")
    assert f"merged this thread into thread #{target.pk}" in str(refused.value)
    assert not Post.objects.filter(thread=source).exists()


def test_a_members_kept_thread_row_and_the_board_feeds_follow_a_move(
    question, boards, staff, member, capture_commits
):
    client = as_user(member)
    url = f"/t/{question.pk}/?page=1"
    assert 'href="/b/help/"' in client.get(url).content.decode()  # the row is kept now
    assert "Sync stops after an hour" in visit("/b/help/feed/rss/")
    with capture_commits():
        thread_move(thread=question, to_board=boards["bugs"], actor=staff)
    page = client.get(url).content.decode()
    assert 'href="/b/bugs/"' in page and 'href="/b/help/"' not in page.split("</nav>")[1]
    assert "Sync stops after an hour" in visit("/b/bugs/feed/rss/")
    assert "Sync stops after an hour" not in visit("/b/help/feed/rss/")

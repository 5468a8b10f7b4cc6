"""Sitewide notices in the pages: admins manage them, everyone else is refused; notices
render at the top of the pages their audience covers; bad input is refused next to its
field with nothing saved."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.models import Notice, NoticeDismissal, Post, Thread
from forum.services import notice_create, post_create

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
REFUSAL = "Only site administrators can create, change or end sitewide notices."


def _local(when, zone=UTC) -> str:
    """What a datetime-local input sends for ``when`` in ``zone``."""
    return timezone.localtime(when, zone).strftime("%Y-%m-%dT%H:%M")


def _form(**overrides) -> dict:
    data = {
        "message": "Search is slow today; we are on it.",
        "level": "info",
        "thread": "",
        "new_thread_title": "",
        "new_thread_board": "",
        "starts_at": "",
        "ends_at": "",
        "audience": "everyone",
        "board": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _counts() -> tuple[int, int, int]:
    return Notice.objects.count(), Thread.objects.count(), Post.objects.count()


def _field_errors(html: str, field: str) -> str:
    """The error list printed next to one field (empty if none)."""
    match = re.search(rf'<ul class="field__errors" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def _notice_block(html: str) -> str:
    match = re.search(
        r'<div class="notices" id="sitewide-notices".*?</div>\s*\n\s*<main', html, re.S
    )
    assert match, "the notices block is on the page"
    return match.group(0)


def _shown_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-notice-id="(\d+)"', _notice_block(html))]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def make_notice(admin_user, thread):
    def make(message="Heads up.", level="info", **kwargs):
        if level != "info":
            kwargs.setdefault("thread", thread)
        return notice_create(actor=admin_user, message=message, level=level, **kwargs)

    return make


# --- Who may manage notices --------------------------------------------------------------


def _management_urls(notice) -> list[str]:
    return [
        "/notices/",
        "/notices/new/",
        f"/notices/{notice.pk}/edit/",
        f"/notices/{notice.pk}/end/",
        f"/notices/{notice.pk}/delete/",
    ]


def test_visitors_are_sent_to_sign_in(client, make_notice):
    notice = make_notice()
    for url in _management_urls(notice):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next=")
    assert Notice.objects.get().ends_at is None


@pytest.mark.parametrize("who", ["member", "staff", "moderator"])
def test_members_staff_and_moderators_are_refused_with_the_reason(
    client, request, make_notice, who
):
    notice = make_notice()
    client.force_login(request.getfixturevalue(who))
    for url in _management_urls(notice):
        for method in (client.get, client.post):
            response = method(url, _form(level="outage"))
            assert response.status_code == 403, url
            assert REFUSAL in response.content.decode()
    notice.refresh_from_db()
    assert notice.ends_at is None and Notice.objects.count() == 1


@pytest.mark.parametrize("who", ["member", "staff", "moderator"])
def test_non_admins_get_the_same_refusal_for_a_missing_notice(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/notices/999/edit/").status_code == 403


def test_check_manage_notices_admits_admins_only(member, staff, moderator, admin_user):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from forum.permissions import can, check_manage_notices

    assert can(check_manage_notices, admin_user)
    with pytest.raises(PermissionDenied, match="sign in"):
        check_manage_notices(AnonymousUser())
    for user in (member, staff, moderator):
        with pytest.raises(PermissionDenied, match=REFUSAL):
            check_manage_notices(user)


def test_only_admins_see_the_notices_link(client, member, admin_user):
    client.force_login(member)
    assert 'href="/notices/"' not in client.get("/").content.decode()
    client.force_login(admin_user)
    assert 'href="/notices/"' in client.get("/").content.decode()


# --- The form ---------------------------------------------------------------------------


def test_form_shows_every_choice_in_the_admins_time_zone(admin_client, admin_user):
    admin_user.time_zone = "Europe/Paris"
    admin_user.save(update_fields=["time_zone"])
    response = admin_client.get("/notices/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "maxlength" not in html
    assert "Up to 1,000 characters" in html
    for level in ("info", "warning", "outage"):
        assert f'name="level" value="{level}"' in html
    assert "Members can dismiss it." in html and "stays until it ends" in html
    for audience in ("everyone", "members", "staff", "board"):
        assert f'name="audience" value="{audience}"' in html
    assert 'name="create_thread"' in html and '<select name="new_thread_board"' in html
    assert html.count('type="datetime-local"') == 2
    assert "In your time zone (Europe/Paris). Leave empty to start now" in html


def test_admin_creates_an_info_notice_that_starts_now(admin_client, admin_user, clock):
    response = admin_client.post("/notices/new/", _form())
    assert response.status_code == 302 and response["Location"] == "/notices/"
    notice = Notice.objects.get()
    assert notice.level == "info" and notice.starts_at == clock.now
    assert notice.thread is None and notice.created_by == admin_user
    page = admin_client.get("/notices/").content.decode()
    assert "It is showing now to everyone, visitors included." in page
    assert f'href="/notices/{notice.pk}/edit/"' in page


@pytest.mark.parametrize(
    "reference", ["{pk}", "#{pk}", "/t/{pk}/", "http://testserver/t/{pk}/?page=2#post-3"]
)
def test_admin_links_an_outage_to_a_thread_by_number_or_link(
    admin_client, thread, member, reference
):
    post_create(thread=thread, author=member, body="Me too.")
    response = admin_client.post(
        "/notices/new/", _form(level="outage", thread=reference.format(pk=thread.pk))
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.thread == thread and notice.severity == 3
    html = admin_client.get("/").content.decode()
    assert f'href="/t/{thread.pk}/"' in _notice_block(html)
    assert "1 reply" in _notice_block(html)


def test_admin_creates_the_thread_with_the_notice(admin_client, admin_user, help_board):
    response = admin_client.post(
        "/notices/new/",
        _form(
            level="warning",
            message="Email delivery is delayed.",
            create_thread="on",
            new_thread_title="Email delays",
            new_thread_board=help_board.pk,
        ),
    )
    assert response.status_code == 302
    notice = Notice.objects.select_related("thread").get()
    assert notice.thread.title == "Email delays" and notice.thread.board == help_board
    assert notice.thread.posts.get().body == "Email delivery is delayed."


def test_new_thread_fields_are_ignored_unless_ticked(admin_client, help_board):
    response = admin_client.post(
        "/notices/new/", _form(new_thread_title="Not wanted", new_thread_board=help_board.pk)
    )
    assert response.status_code == 302
    assert Notice.objects.get().thread is None and not Thread.objects.exists()


def test_a_scheduled_notice_is_read_in_the_admins_zone(admin_client, admin_user, clock):
    admin_user.time_zone = "Europe/Paris"
    admin_user.save(update_fields=["time_zone"])
    start = (clock.now + timedelta(days=1)).replace(second=0, microsecond=0)
    end = start + timedelta(hours=2)
    response = admin_client.post(
        "/notices/new/", _form(starts_at=_local(start, PARIS), ends_at=_local(end, PARIS))
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.starts_at == start and notice.ends_at == end
    page = admin_client.get("/notices/").content.decode()
    assert "It is scheduled: everyone, visitors included will see it from" in page
    assert "(Europe/Paris)" in page


def test_board_audience_notice(admin_client, help_board):
    response = admin_client.post("/notices/new/", _form(audience="board", board=help_board.pk))
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.audience == "board" and notice.board == help_board


def test_admin_edits_a_notice_with_its_values_shown_in_their_zone(
    admin_client, admin_user, make_notice, thread, clock
):
    admin_user.time_zone = "Europe/Paris"
    admin_user.save(update_fields=["time_zone"])
    notice = make_notice("Slow search.", starts_at=clock.now.replace(second=0, microsecond=0))
    html = admin_client.get(f"/notices/{notice.pk}/edit/").content.decode()
    assert "Slow search." in html
    assert f'value="{_local(notice.starts_at, PARIS)}"' in html
    assert "Leave empty to keep the current start." in html
    assert 'name="create_thread"' in html
    response = admin_client.post(
        f"/notices/{notice.pk}/edit/",
        _form(
            message="Search is down.",
            level="outage",
            thread=str(thread.pk),
            starts_at=_local(notice.starts_at, PARIS),
        ),
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.message == "Search is down." and notice.level == "outage"
    assert notice.thread == thread and notice.starts_at == clock.now.replace(
        second=0, microsecond=0
    )
    assert "Notice changed." in admin_client.get("/notices/").content.decode()


def test_editing_can_create_the_discussion_thread(admin_client, make_notice, help_board):
    notice = make_notice("Search is slow.")
    response = admin_client.post(
        f"/notices/{notice.pk}/edit/",
        _form(
            message="Search is down.",
            level="outage",
            create_thread="on",
            new_thread_title="Search is down",
            new_thread_board=str(help_board.pk),
        ),
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.level == "outage" and notice.thread.title == "Search is down"


def test_admin_ends_a_notice_after_confirming(admin_client, make_notice, clock):
    notice = make_notice("Slow search.")
    page = admin_client.get(f"/notices/{notice.pk}/end/")
    assert page.status_code == 200 and "End notice" in page.content.decode()
    notice.refresh_from_db()
    assert notice.ends_at is None  # the GET changed nothing
    clock.advance(minutes=3)
    response = admin_client.post(f"/notices/{notice.pk}/end/")
    assert response.status_code == 302 and response["Location"] == "/notices/"
    notice.refresh_from_db()
    assert notice.ends_at == clock.now
    again = admin_client.post(f"/notices/{notice.pk}/end/", follow=True)
    assert "had already ended, so nothing changed" in again.content.decode()


def test_admin_deletes_a_notice_after_confirming(admin_client, make_notice):
    notice = make_notice("Oops, wrong text.")
    assert admin_client.get(f"/notices/{notice.pk}/delete/").status_code == 200
    assert Notice.objects.exists()
    response = admin_client.post(f"/notices/{notice.pk}/delete/", follow=True)
    assert "Notice deleted" in response.content.decode()
    assert not Notice.objects.exists()


def test_missing_notices_are_404_for_admins(admin_client):
    for url in ("/notices/999/edit/", "/notices/999/end/", "/notices/999/delete/"):
        assert admin_client.get(url).status_code == 404
        assert admin_client.post(url).status_code == 404


def test_the_list_groups_current_scheduled_and_past(admin_client, make_notice, thread, clock):
    current = make_notice("Happening now.", level="outage")
    post_create(thread=thread, author=current.created_by, body="Update: still down.")
    make_notice("Coming soon.", starts_at=clock.now + timedelta(days=1))
    make_notice(
        "Long gone.",
        starts_at=clock.now - timedelta(days=2),
        ends_at=clock.now - timedelta(days=1),
    )
    html = admin_client.get("/notices/").content.decode()
    assert html.index("Happening now.") < html.index("Coming soon.") < html.index("Long gone.")
    assert "In force now" in html and "Scheduled" in html and "Past" in html
    assert "1 reply" in html and thread.title in html
    assert f'href="/notices/{current.pk}/end/"' in html


# --- Bad input: each error next to its field, nothing saved ------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"level": "outage"}, "thread", "Warnings and outages need a discussion thread"),
        ({"level": "warning"}, "thread", "Warnings and outages need a discussion thread"),
        ({"thread": "99999"}, "thread", "There is no thread 99999 here"),
        ({"thread": "/t/99999/"}, "thread", "There is no thread 99999 here"),
        ({"thread": "https://testserver/t/99999/"}, "thread", "There is no thread 99999 here"),
        ({"thread": "https://elsewhere.example/t/1/"}, "thread", "points to another site"),
        ({"thread": "the export thread"}, "thread", "Write the thread&#x27;s number"),
        ({"message": "y" * 1001}, "message", "at most 1,000 characters; this one has 1,001"),
        ({"message": ""}, "message", "Write the notice"),
        ({"audience": "board"}, "board", "Choose the board whose pages show the notice."),
        ({"starts_at": "tomorrow-ish"}, "starts_at", "Enter a date and time"),
        (
            {"create_thread": "on", "new_thread_title": "ab", "new_thread_board": "HELP"},
            "new_thread_title",
            "at least 3 characters",
        ),
        (
            {"create_thread": "on", "new_thread_title": "", "new_thread_board": "HELP"},
            "new_thread_title",
            "Give the new thread a title.",
        ),
        (
            {"create_thread": "on", "new_thread_title": "Email delays"},
            "new_thread_board",
            "Choose the board where the thread is started.",
        ),
        (
            {
                "create_thread": "on",
                "thread": "THREAD",
                "new_thread_title": "Email delays",
                "new_thread_board": "HELP",
            },  # fmt: skip
            "thread",
            "keep one",
        ),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(
    admin_client, help_board, thread, overrides, field, words
):
    replace = {"HELP": str(help_board.pk), "THREAD": str(thread.pk)}
    overrides = {key: replace.get(value, value) for key, value in overrides.items()}
    data = _form(**overrides)
    before = _counts()
    response = admin_client.post("/notices/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in _field_errors(html, field), _field_errors(html, field)
    assert "Nothing you typed has been lost." in html
    if data["message"]:
        assert data["message"] in html  # everything typed is kept
    assert _counts() == before


def test_end_before_start_is_refused_next_to_the_end(admin_client, clock):
    start = clock.now + timedelta(hours=3)
    data = _form(starts_at=_local(start), ends_at=_local(start - timedelta(hours=1)))
    response = admin_client.post("/notices/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end time must be after the start time." in _field_errors(html, "ends_at")
    assert f'value="{data["starts_at"]}"' in html and f'value="{data["ends_at"]}"' in html
    assert not Notice.objects.exists()


def test_a_bad_end_time_with_create_thread_ticked_creates_neither(admin_client, help_board, clock):
    start = clock.now + timedelta(hours=3)
    data = _form(
        level="outage",
        create_thread="on",
        new_thread_title="Database maintenance",
        new_thread_board=str(help_board.pk),
        starts_at=_local(start),
        ends_at=_local(start - timedelta(minutes=30)),
    )
    before = _counts()
    response = admin_client.post("/notices/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end time must be after the start time." in _field_errors(html, "ends_at")
    assert 'value="Database maintenance"' in html
    assert re.search(r'<input type="checkbox" name="create_thread"[^>]*checked', html)
    assert _counts() == before


def test_every_problem_is_shown_at_once(admin_client, clock):
    start = clock.now + timedelta(hours=3)
    data = _form(
        message="z" * 1001,
        level="outage",
        create_thread="on",
        new_thread_title="ab",
        starts_at=_local(start),
        ends_at=_local(start - timedelta(hours=1)),
        audience="board",
    )
    before = _counts()
    response = admin_client.post("/notices/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "this one has 1,001" in _field_errors(html, "message")
    assert "at least 3 characters" in _field_errors(html, "new_thread_title")
    assert "Choose the board where the thread" in _field_errors(html, "new_thread_board")
    assert "The end time must be after the start time." in _field_errors(html, "ends_at")
    assert "Choose the board whose pages" in _field_errors(html, "board")
    assert _field_errors(html, "thread") == ""  # creating one counts as having one
    assert "Please fix the 5 problems marked below." in html
    assert _counts() == before


def test_a_bad_edit_leaves_the_notice_unchanged(admin_client, make_notice):
    notice = make_notice("Slow search.")
    response = admin_client.post(
        f"/notices/{notice.pk}/edit/", _form(message="Search is down.", level="outage")
    )
    assert response.status_code == 400
    assert "need a discussion thread" in _field_errors(response.content.decode(), "thread")
    notice.refresh_from_db()
    assert notice.level == "info" and notice.message == "Slow search."


# --- Notices on the pages -------------------------------------------------------------------


def test_an_active_notice_is_at_the_top_of_every_page_for_visitors(client, make_notice, thread):
    notice = make_notice("We are **upgrading** tonight.")
    for url in ("/", "/b/help/", thread.get_absolute_url(), "/help/", "/guidelines/"):
        html = client.get(url).content.decode()
        assert _shown_ids(html) == [notice.pk], url
        assert html.index('id="sitewide-notices"') < html.index('<main id="main"')
        assert "We are <strong>upgrading</strong> tonight." in _notice_block(html)


def test_several_notices_most_severe_first_then_newest(client, make_notice, thread, clock):
    post_create(thread=thread, author=thread.author, body="Still broken for me.")
    post_create(thread=thread, author=thread.author, body="And me.")
    old_info = make_notice("Old news.")
    clock.advance(minutes=1)
    warning = make_notice("Slow uploads.", level="warning")
    clock.advance(minutes=1)
    new_info = make_notice("New badges.")
    clock.advance(minutes=1)
    outage = make_notice("Search is down.", level="outage")
    html = client.get("/").content.decode()
    assert _shown_ids(html) == [outage.pk, warning.pk, new_info.pk, old_info.pk]
    block = _notice_block(html)
    assert 'class="notice notice--outage"' in block and 'class="notice notice--warning"' in block
    assert block.count(f'href="/t/{thread.pk}/"') == 2
    assert "Discussion · 2 replies" in block


def test_board_notices_show_only_on_that_boards_pages(
    client, make_notice, boards, make_thread, member
):
    help_board = boards["help"]
    other = next(board for slug, board in boards.items() if slug != "help")
    in_help = make_thread(member, board=help_board)
    elsewhere = make_thread(member, board=other, title="Another board's thread")
    notice = make_notice("Help board is moving.", audience="board", board=help_board)
    assert _shown_ids(client.get("/b/help/").content.decode()) == [notice.pk]
    assert _shown_ids(client.get(in_help.get_absolute_url()).content.decode()) == [notice.pk]
    for url in ("/", f"/b/{other.slug}/", elsewhere.get_absolute_url(), "/help/"):
        assert _shown_ids(client.get(url).content.decode()) == [], url


def test_a_scheduled_notice_appears_at_its_start_and_disappears_at_its_end(
    client, make_notice, clock
):
    start, end = clock.now + timedelta(hours=1), clock.now + timedelta(hours=2)
    notice = make_notice("Maintenance window.", starts_at=start, ends_at=end)
    assert _shown_ids(client.get("/").content.decode()) == []
    clock.set(start)
    html = client.get("/").content.decode()
    assert _shown_ids(html) == [notice.pk]
    assert f'data-next-change="{end.isoformat()}"' in html
    clock.set(end - timedelta(seconds=1))
    assert _shown_ids(client.get("/").content.decode()) == [notice.pk]
    clock.set(end)
    assert _shown_ids(client.get("/").content.decode()) == []


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("visitor", False),
        ("member", False),
        ("staff", True),
        ("moderator", True),
        ("admin_user", True),
    ],
)
def test_staff_notices_only_for_staff_and_moderators(client, request, make_notice, who, sees):
    notice = make_notice("Deploy freeze until Monday.", audience="staff")
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    assert _shown_ids(client.get("/").content.decode()) == ([notice.pk] if sees else [])


def test_members_only_notice_hidden_from_visitors(client, member, make_notice):
    notice = make_notice("Members: new profile pages.", audience="members")
    assert _shown_ids(client.get("/").content.decode()) == []
    client.force_login(member)
    assert _shown_ids(client.get("/").content.decode()) == [notice.pk]


def test_a_member_dismisses_an_info_notice_and_it_stays_dismissed(
    client, member, other_member, make_notice
):
    notice = make_notice("New badges are out.")
    client.force_login(member)
    html = client.get("/help/").content.decode()
    assert f'action="/notices/{notice.pk}/dismiss/"' in _notice_block(html)
    response = client.post(f"/notices/{notice.pk}/dismiss/", {"next": "/help/"})
    assert response.status_code == 302 and response["Location"] == "/help/"
    assert NoticeDismissal.objects.filter(notice=notice, user=member).exists()
    assert _shown_ids(client.get("/").content.decode()) == []
    client.logout()
    client.force_login(member)  # a new session: remembered per member, not per session
    assert _shown_ids(client.get("/").content.decode()) == []
    client.force_login(other_member)
    assert _shown_ids(client.get("/").content.decode()) == [notice.pk]


@pytest.mark.parametrize("level", ["warning", "outage"])
def test_warnings_and_outages_have_no_dismiss_button_and_refuse_a_forced_dismiss(
    client, member, make_notice, level
):
    notice = make_notice("Uploads are failing.", level=level)
    client.force_login(member)
    block = _notice_block(client.get("/").content.decode())
    assert "Dismiss" not in block
    response = client.post(f"/notices/{notice.pk}/dismiss/", {"next": "/"}, follow=True)
    assert not NoticeDismissal.objects.exists()
    html = response.content.decode()
    assert "Warnings and outages stay until they end; they can&#x27;t be dismissed." in html
    assert _shown_ids(html) == [notice.pk]


def test_visitors_dismiss_in_their_browser_and_get_no_cookie(client, make_notice, thread):
    make_notice("New badges are out.")
    make_notice("Search is down.", level="outage")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    block = _notice_block(response.content.decode())
    assert "data-dismiss-locally hidden" in block  # shown by the page script only
    assert block.count("data-dismiss-locally") == 1  # info only, not the outage
    assert "<form" not in block and "csrfmiddlewaretoken" not in block
    assert not response.cookies
    assert "Set-Cookie" not in str(response.headers)


def test_visitors_posting_a_dismissal_are_sent_to_sign_in(client, make_notice):
    notice = make_notice()
    response = client.post(f"/notices/{notice.pk}/dismiss/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not NoticeDismissal.objects.exists()


def test_notice_markdown_is_sanitised_on_the_page(client, make_notice):
    make_notice("<script>alert('x')</script> [details](javascript:alert(1))")
    block = _notice_block(client.get("/").content.decode())
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert "javascript:" not in block
    assert re.search(r"<a [^>]*>details</a>", block) and 'href="javascript' not in block


def test_the_live_fragment_gives_a_boards_notices(client, make_notice, help_board):
    notice = make_notice("Help board is moving.", audience="board", board=help_board)
    assert (
        f'data-notice-id="{notice.pk}"' in client.get("/notices/live/?board=help").content.decode()
    )
    assert "data-notice-id" not in client.get("/notices/live/").content.decode()


# --- Cost ---------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_three_notices_cost_no_more_queries_than_none(
    client, member, make_notice, thread, signed_in
):
    if signed_in:
        client.force_login(member)
    url = thread.get_absolute_url()
    _count_queries(client, url)  # warm up (session, content types)
    without = _count_queries(client, url)
    make_notice("One.")
    make_notice("Two.", level="warning")
    make_notice("Three.", level="outage")
    with_three = _count_queries(client, url)
    assert len(_shown_ids(client.get(url).content.decode())) == 3
    assert with_three == without

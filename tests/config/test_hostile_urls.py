"""Every URL pattern of the project — the forum's, moderation's, accounts', allauth's and the
admin's — asked with hostile values by a visitor, a member and an admin, never answers
with a server error: each hostile request gets a 400/403/404/405 human page, or a sensible
200 or same-site redirect.

For each pattern the walk fills every path converter's slot in turn with hostile values
(NUL, huge and negative numbers, far dates, 10 KB strings, invalid UTF-8, "..") by GET and
POST; then it learns which query parameters and form fields the view reads (a recording
QueryDict notes every name asked for) and sends each of them hostile values, arrays and
repeats, on their own and all together; write forms are also filled in as a person would
with one field made hostile, and every view is asked with PUT, PATCH, DELETE and OPTIONS.
Values per parameter are sampled (a rotating window, different for each role) so the walk
stays quick while every value meets every kind of view.

After the walk, one test per request that once answered 500, and hostile cookies."""

import zlib
from itertools import islice
from urllib.parse import quote

import pytest
from django.template import Template
from django.test import Client

from accounts.models import User
from forum import services as forum_services
from forum.models import Notification
from forum.selectors.notifications import unsubscribe_token
from forum.services import contact as contact_services
from forum.services import keywords
from moderation import services as moderation_services
from moderation.models import Block, Lockdown
from tests.config.hostile_urls import (
    CORE_PARAM_VALUES,
    GENERIC_PARAMS,
    HUGE,
    PARAM_VALUES,
    PATH_VALUES,
    READ_EVERYTHING,
    RecordingGET,
    RecordingPOST,
    all_routes,
    as_arrays,
    form_baseline,
    problem_with,
    start_recording,
)

GROUPS = ["forum", "moderation", "accounts", "allauth", "admin"]
ROLES = ["visitor", "member", "admin"]

# POSTs here end the session or would undo the role under test; they are walked with a
# throwaway client signed in for that one request.
SESSION_ENDING = {"account_logout", "logout"}


@pytest.fixture
def world(db, guidelines, member, other_member, moderator, admin_user, staff, make_user, boards):
    """One of everything a URL can name, so valid slots resolve and views get past their
    lookups to the parameters they read."""
    help_board = boards["help"]
    thread = forum_services.thread_create(
        board=help_board, author=member, title="Export drops rows", body="It fails every time."
    )
    reply = forum_services.post_create(thread=thread, author=other_member, body="Same here.")
    troll = make_user("troll", display_name="Troll")
    rude = forum_services.post_create(thread=thread, author=troll, body="Only an idiot does that.")
    flag = moderation_services.flag_create(flagger=member, post=rude, reason="rule", rule_code="G3")
    block_action = moderation_services.block_create(
        actor=moderator, member=troll, duration="1d", rule_codes=["G3"], reason="Insults"
    )
    locked = forum_services.thread_create(
        board=help_board, author=other_member, title="Heated thread", body="Opinions follow."
    )
    moderation_services.lockdown_set(
        actor=moderator, kind="lock", rule_codes=["G3"], reason="Cooling off", thread=locked
    )
    notice = forum_services.notice_create(
        actor=admin_user, message="Maintenance tonight.", level="info"
    )
    watch = keywords.keyword_watch_add(user=staff, term="export")
    message = contact_services.contact_message_create(
        topic="other",
        email="visitor@example.com",
        subject="A question",
        body="How do I export my data?",
    )
    notification = Notification.objects.filter(recipient=member).first()
    # Far from UTC both ways, so dates read in a member's zone meet both ends of the range.
    User.objects.filter(pk=admin_user.pk).update(time_zone="Pacific/Pago_Pago")
    User.objects.filter(pk=member.pk).update(time_zone="Pacific/Kiritimati")
    admin_user.refresh_from_db()
    member.refresh_from_db()
    return {
        "thread_id": str(thread.pk),
        "post_id": str(reply.pk),
        "board_slug": help_board.slug,
        "username": member.username,
        "number": str(guidelines.number),
        "item_id": str(flag.review_item.pk),
        "member_id": str(troll.pk),
        "block_id": str(Block.objects.get(member=troll).pk),
        "lockdown_id": str(Lockdown.objects.get(thread=locked).pk),
        "action_id": str(block_action.pk),
        "notice_id": str(notice.pk),
        "watch_id": str(watch.pk),
        "message_id": str(message.pk),
        "notification_id": str(notification.pk if notification else 1),
        "token": unsubscribe_token(member),
        "object_id": str(thread.pk),
        "content_type_id": "1",
        "id": str(admin_user.pk),
        "app_label": "forum",
        "key": "abc",
        "uidb36": "1",
        "url": "x",
        "_users": {"member": member, "admin": admin_user},
    }


class Walk:
    """Sends one role's requests and keeps every unacceptable answer."""

    def __init__(self, role: str, users: dict):
        self.role = role
        self.user = users.get(role)
        self.offset = ROLES.index(role)
        # The admin reaches deepest into every view, so it gets every value; the other
        # roles get rotating windows, so between them each value still meets each view.
        self.full = role == "admin"
        self.client = self._client()
        self.failures: list[str] = []
        self.count = 0

    def _client(self) -> Client:
        client = Client(raise_request_exception=False)
        if self.user is not None:
            client.force_login(self.user)
        return client

    def pick(self, values: list[str], key: str, n: int | None) -> list[str]:
        """``n`` of ``values`` (all when None), a window that turns with the key and role."""
        if n is None or n >= len(values):
            return list(values)
        start = (zlib.crc32(key.encode()) + self.offset * n) % len(values)
        return list(islice(values[start:] + values[:start], n))

    def ask(self, route, method: str, path: str, query: str = "", body: str = ""):
        client = self._client() if route.name in SESSION_ENDING else self.client
        url = f"{path}?{query}" if query else path
        if method == "GET":
            response = client.get(url)
        elif method == "POST":
            response = client.post(url, data=body, content_type=FORM)
        else:
            response = client.generic(method, url, data=body, content_type=FORM)
        self.count += 1
        problem = problem_with(response)
        if problem:
            shown = url if len(url) < 160 else url[:150] + "…"
            if body:
                shown += f" body={body[:80]!r}"
            self.failures.append(f"{self.role} {method} {shown} ({route.name}): {problem}")
        return response


FORM = "application/x-www-form-urlencoded"
# Sent beside a hostile parameter so the view gets past "nothing asked" to the code that
# reads the parameter (a search runs only with words to search for).
BASELINE = {"q": "export"}
OTHER_PARAM_VALUES = [value for value in PARAM_VALUES if value not in CORE_PARAM_VALUES]


def _query(names, value: str) -> str:
    return "&".join(f"{name}={value}" for name in sorted(names))


def walk_route(walk: Walk, route, valid: dict) -> None:
    path = route.path(valid)
    admin_page = route.is_admin
    full = walk.full

    # What the view reads from the query, learnt from a first, harmless request.
    start_recording()
    page = walk.ask(route, "GET", path, "_probe=1")
    read = set(RecordingGET.seen) - {"_probe"}
    method = "POST" if page.status_code == 405 else "GET"
    if full and not admin_page:
        for other in ("PUT", "PATCH", "DELETE", "OPTIONS"):
            walk.ask(route, other, path, body="_method=POST")

    # 1. Each path slot, hostile, with the others valid. Values the converter refuses
    # never reach the view (the resolver's 404), so they are not sent again here.
    for slot in route.slots:
        values = [v for v in PATH_VALUES if route.reaches_view(route.path(valid, (slot, v)))]
        n = (2 if full else 1) if admin_page else (None if full else 3)
        sample = walk.pick(values, route.template + slot, n)
        # NUL and a huge number, the two that broke lookups, go to every role.
        sample += [v for v in ("%00", HUGE) if v in values and v not in sample]
        for value in sample:
            walk.ask(route, method, route.path(valid, (slot, value)))

    # 2. The query: every name the view reads (and the usual ones) at once, then each
    # name it reads on its own, as hostile values, arrays and repeats.
    names = read - {READ_EVERYTHING} | set(GENERIC_PARAMS)
    n = (2 if full else 0) if admin_page else (5 if full and read else 2)
    for value in walk.pick(PARAM_VALUES, "all" + path, n):
        walk.ask(route, method, path, _query(names, value))
    if not admin_page:
        for name in sorted(read - {READ_EVERYTHING}):
            base = "".join(f"&{k}={v}" for k, v in BASELINE.items() if k in read and k != name)
            values = walk.pick(CORE_PARAM_VALUES, name + path, None if full else 3)
            values += walk.pick(OTHER_PARAM_VALUES, name + path, 2 if full else 1)
            for value in values:
                walk.ask(route, method, path, f"{name}={value}{base}")
            for query in walk.pick(as_arrays(name), name, 1):
                walk.ask(route, method, path, query)

    # 3. The form fields a write view reads, learnt the same way: each hostile on its own,
    # and (for the admin) inside the page's own form filled in as a person would.
    if admin_page and not (full and route.name.endswith("_add")):
        return
    start_recording()
    walk.ask(route, "POST", path, body="_probe=1")
    fields = set(RecordingPOST.seen) - {"_probe", READ_EVERYTHING}
    if not fields:
        return
    for value in walk.pick(PARAM_VALUES, "post" + path, 4 if full else 2):
        walk.ask(route, "POST", path, body=_query(fields, value))
    if admin_page:
        return
    baseline = form_baseline(page.content, path) if full else {}
    for name in sorted(fields):
        rest = "".join(f"&{quote(k)}={quote(v)}" for k, v in baseline.items() if k != name)
        values = walk.pick(CORE_PARAM_VALUES, "post" + name + path, None if full else 2)
        for value in values:
            walk.ask(route, "POST", path, body=f"{name}={value}{rest}")
        walk.ask(route, "POST", path, body=walk.pick(as_arrays(name), name, 1)[0])


@pytest.fixture
def plain_rendering(monkeypatch):
    """Render templates as production does. Under test, Django records every template
    rendered with a copy of its context, for assertions this walk never makes; without
    that bookkeeping the walk takes about half the time."""
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [
        "tests.config.hostile_urls.RecordingMiddleware",
        *settings.MIDDLEWARE,
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("group", GROUPS)
def test_hostile_requests_never_cause_a_server_error(
    group, role, world, recording, plain_rendering
):
    routes = [route for route in all_routes() if route.group == group]
    assert routes, f"no URL patterns found for {group}"
    walk = Walk(role, world["_users"])
    for route in routes:
        walk_route(walk, route, world)
    assert walk.count > len(routes)
    assert not walk.failures, (
        f"{len(walk.failures)} of {walk.count} requests failed:\n" + "\n".join(walk.failures[:60])
    )


def test_the_walk_covers_every_app_and_the_known_hostile_urls():
    """The walk reaches the patterns that once answered 500."""
    templates = {route.template for route in all_routes()}
    groups = {route.group for route in all_routes()}
    assert set(GROUPS) <= groups, groups
    for template in (
        "search/",
        "notices/live/",
        "feeds/u/<str:username>/rss/",
        "u/<str:username>/",
    ):
        assert template in templates
    assert "9999-12-31" in PARAM_VALUES and "%00" in PATH_VALUES


# --- The hostile requests that once answered 500, one by one ------------------------------

RANGE_ERROR = "Enter a date between 1970-01-01 and 2999-12-31."


@pytest.mark.parametrize(
    "url",
    ["/notices/live/?board=%00", "/feeds/u/%00/rss/", "/u/%00/", "/search/?q=x%00y", "/t/1%00/"],
)
def test_a_nul_in_the_address_gets_the_400_page(client, boards, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "We couldn't understand that request" in html
    assert 'href="/help/"' in html


def test_a_far_date_in_a_search_is_a_field_error_and_the_words_are_kept(client, boards):
    response = client.get("/search/?q=printer&date_to=9999-12-31")
    assert response.status_code == 400
    assert response.context["form"].errors["date_to"] == [RANGE_ERROR]
    assert 'value="printer"' in response.content.decode()
    response = client.get("/search/?q=printer&date_from=0001-01-01")
    assert response.context["form"].errors["date_from"] == [RANGE_ERROR]


def test_a_far_date_in_the_search_feed_gives_an_empty_feed_that_says_why(client, boards):
    response = client.get("/search/feed/rss/?q=printer&date_to=9999-12-31")
    assert response.status_code == 200
    assert RANGE_ERROR in response.content.decode()


@pytest.mark.parametrize("field", ["created_after", "created_before"])
def test_a_far_date_in_a_board_filter_is_a_field_error(client, help_board, field):
    response = client.get(f"/b/help/?{field}=9999-12-31")
    assert response.status_code in (200, 400)
    assert RANGE_ERROR in response.content.decode()


@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_a_far_date_in_the_moderation_log_is_a_field_error(client, moderator, field):
    client.force_login(moderator)
    response = client.get(f"/moderation/log/?{field}=9999-12-31")
    assert response.status_code == 200
    html = response.content.decode()
    errors = html[html.index(f'id="id_{field}_error"') :]
    assert RANGE_ERROR in errors[: errors.index("</ul>")]


def test_huge_numbers_in_the_address_are_not_found(client, member, thread):
    client.force_login(member)
    for url in (f"/t/{HUGE}/", f"/p/{HUGE}/", f"/t/{HUGE}/feed/rss/", f"/guidelines/v{HUGE}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/notices/{HUGE}/dismiss/").status_code == 404


def test_control_characters_in_a_search_keep_its_feed_valid_xml(client, boards):
    from xml.dom.minidom import parseString

    response = client.get("/search/feed/rss/?q=printer&board=a%01b%1Bc")
    assert response.status_code == 200
    parseString(response.content)  # noqa: S318 - our own feed; raises on what XML cannot carry
    assert "This search can't run" in response.content.decode()


def test_dismissing_a_notice_with_a_bare_word_as_next_goes_back_on_the_site(
    client, member, admin_user
):
    notice = forum_services.notice_create(
        actor=admin_user, message="Maintenance tonight.", level="info"
    )
    client.force_login(member)
    response = client.post(f"/notices/{notice.pk}/dismiss/", {"next": "0"})
    assert response.status_code == 302
    assert response["Location"] == "0"
    response = client.post(f"/notices/{notice.pk}/dismiss/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "messages"])
@pytest.mark.parametrize("value", ["abcdefghij\x00klmnop", "%00", "x" * 4000, "\x01\x7f"])
def test_hostile_cookies_are_forgotten_not_a_server_error(boards, member, thread, cookie, value):
    """A quoted cookie can carry a NUL (``"\\000"``): a session cookie with one made every
    page a server error on PostgreSQL."""
    client = Client(raise_request_exception=False)
    client.cookies[cookie] = value
    for method, url in (("get", "/"), ("get", f"/t/{thread.pk}/"), ("post", "/search/")):
        response = getattr(client, method)(url)
        assert problem_with(response) is None, (method, url, response.status_code)
    assert client.get("/").status_code == 200


def test_opening_a_buttons_address_explains_itself(client, member, thread):
    client.force_login(member)
    response = client.get(f"/t/{thread.pk}/vote/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "This address only takes a button press" in html
    assert 'href="/help/"' in html


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_far_date_and_time_is_a_field_error_in_any_time_zone(
    client, guidelines, moderator, admin_user, thread, when
):
    """Read in a zone 14 hours ahead of UTC, 0001-01-01 00:00 is before the first instant
    Python can hold; 9999-12-31 in a zone behind UTC is after the last."""
    for user, zone in ((moderator, "Pacific/Kiritimati"), (admin_user, "Pacific/Pago_Pago")):
        User.objects.filter(pk=user.pk).update(time_zone=zone)
    client.force_login(moderator)
    lock = {"kind": "lock", "rules": "G3", "reason": "Cooling off.", "ends_at": when}
    response = client.post(f"/t/{thread.pk}/lockdown/", lock)
    assert response.status_code == 400
    assert RANGE_ERROR in response.content.decode()
    assert "Cooling off." in response.content.decode()
    client.force_login(admin_user)
    notice = {"message": "Maintenance.", "level": "info", "audience": "everyone"}
    for field in ("starts_at", "ends_at"):
        response = client.post("/notices/new/", {**notice, field: when})
        assert response.status_code == 400, field
        assert RANGE_ERROR in response.content.decode()

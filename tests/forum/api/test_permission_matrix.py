"""The forms' permission matrix holds for the API: for every actor (visitor, member,
blocked member, staff, moderator) and every write (start a thread, reply, reply to a
locked thread, set a status, accept an answer, flag a post), each kind of caller (a
read, write or moderate token, the session with its CSRF token) is allowed exactly when
the site's form view allows that person, and when refused reads the sentence the form
view shows.

Nothing is written down twice: each case drives the form view with the test client and
reads its outcome from the page, then asks the API. Every request runs in a savepoint
that is rolled back, so all of them start from the same state and one world serves all
the callers of an (actor, action) pair."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from accounts.permissions import denial_reason
from accounts.roles import Role
from forum import services as forum_services
from forum.api.auth import Caller, require_scope
from forum.permissions import (
    check_accept_answer,
    check_reply,
    check_set_thread_status,
    check_start_thread,
)
from moderation.permissions import check_flag_post
from moderation.services import block_create, lockdown_set
from tests.forum.api.write_helpers import (
    as_page_shows,
    bearer,
    error_of,
    form_refusal,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, boards, guidelines, staff, moderator, member):
    """Everyone and everything the matrix acts on."""
    asker = make_user("asker", display_name="Asker")
    blocked = make_user("blocky", display_name="Blocky")
    block_create(
        actor=moderator, member=blocked, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    help_board, bugs_board = boards["help"], boards["bugs"]
    open_thread = forum_services.thread_create(
        board=help_board, author=asker, title="Export drops rows", body="Every time."
    )
    locked_thread = forum_services.thread_create(
        board=help_board, author=asker, title="Import is slow", body="Minutes per file."
    )
    lockdown_set(
        actor=moderator,
        kind="lock",
        rule_codes=["G3"],
        reason="Cooling down.",
        thread=locked_thread,
    )
    bug_thread = forum_services.thread_create(
        board=bugs_board, author=asker, title="Crash on save", body="It crashes."
    )
    # The member's own question, answered by the asker: theirs to accept.
    question = forum_services.thread_create(
        board=help_board, author=member, title="Where is the log?", body="Can't find it."
    )
    answer = forum_services.post_create(thread=question, author=asker, body="Under /var/log.")
    return SimpleNamespace(
        actors={
            "visitor": AnonymousUser(),
            "member": member,
            "blocked member": blocked,
            "staff": staff,
            "moderator": moderator,
        },
        help_board=help_board,
        open_thread=open_thread,
        locked_thread=locked_thread,
        bug_thread=bug_thread,
        question=question,
        answer=answer,
        flagged=open_thread.last_post,
    )


@dataclass(frozen=True)
class Action:
    name: str
    # (form URL, form data), (method, API path, JSON), from the world.
    form: object
    api: object
    allowed_status: int
    # The action's one check, asked for the visitor's sentence.
    check: object


ACTIONS = [
    Action(
        "start thread",
        form=lambda w: ("/b/help/new/", {"title": "Export drops the last rows", "body": "Always."}),
        api=lambda w: (
            "post",
            "/api/v1/boards/help/threads",
            {"title": "Export drops the last rows", "body": "Always."},
        ),
        allowed_status=201,
        check=lambda w, user: check_start_thread(user, w.help_board),
    ),
    Action(
        "reply",
        form=lambda w: (f"/t/{w.open_thread.pk}/reply/", {"body": "Same here."}),
        api=lambda w: ("post", f"/api/v1/threads/{w.open_thread.pk}/posts", {"body": "Same here."}),
        allowed_status=201,
        check=lambda w, user: check_reply(user, w.open_thread),
    ),
    Action(
        "reply to a locked thread",
        form=lambda w: (f"/t/{w.locked_thread.pk}/reply/", {"body": "Same here."}),
        api=lambda w: (
            "post",
            f"/api/v1/threads/{w.locked_thread.pk}/posts",
            {"body": "Same here."},
        ),
        allowed_status=201,
        check=lambda w, user: check_reply(user, w.locked_thread),
    ),
    Action(
        "set status",
        form=lambda w: (f"/t/{w.bug_thread.pk}/status/", {"status": "confirmed", "reason": ""}),
        api=lambda w: (
            "put",
            f"/api/v1/threads/{w.bug_thread.pk}/status",
            {"status": "confirmed"},
        ),
        allowed_status=200,
        check=lambda w, user: check_set_thread_status(user, w.bug_thread),
    ),
    Action(
        "accept answer",
        form=lambda w: (f"/t/{w.question.pk}/accept/", {"post_id": w.answer.pk}),
        api=lambda w: ("put", f"/api/v1/threads/{w.question.pk}/answer", {"post_id": w.answer.pk}),
        allowed_status=200,
        check=lambda w, user: check_accept_answer(user, w.question, w.answer),
    ),
    Action(
        "flag",
        form=lambda w: (f"/p/{w.flagged.pk}/flag/", {"reason": "spam"}),
        api=lambda w: ("post", f"/api/v1/posts/{w.flagged.pk}/flags", {"reason": "spam"}),
        allowed_status=201,
        check=lambda w, user: check_flag_post(user, w.flagged),
    ),
]


def rolled_back(request):
    """The response of ``request()``, with everything it wrote undone."""
    with transaction.atomic():
        response = request()
        transaction.set_rollback(True)
    return response


def form_outcome(world, action: Action, user) -> str | None:
    """None when the site's form view allows ``user``; else the refusal it shows (HTML)."""
    client = Client()
    client.force_login(user)
    url, data = action.form(world)
    response = rolled_back(lambda: client.post(url, data))
    if response.status_code == 302:
        return None
    assert response.status_code == 403, (action.name, response.status_code)
    return form_refusal(response)


def scope_sentence(scope: str, needed: str) -> str:
    request = SimpleNamespace(auth=Caller(user=None, token=object(), scope=scope))
    with pytest.raises(PermissionDenied) as refused:
        require_scope(request, needed)
    return denial_reason(refused.value)


def session_client(user) -> tuple[Client, dict]:
    """A signed-in browser that sends the CSRF token as the site's scripts do."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    csrf = _get_new_csrf_string()
    client.cookies["csrftoken"] = csrf
    return client, {"HTTP_X_CSRFTOKEN": csrf}


def callers(user) -> list[str]:
    if not user.is_authenticated:
        return ["visitor"]
    kinds = ["read token", "write token", "session"]
    if user.role in (Role.MODERATOR, Role.ADMIN):
        kinds.append("moderate token")
    return kinds


def call_api(world, action: Action, user, caller: str):
    if caller == "session":
        client, headers = session_client(user)
    elif caller == "visitor":
        client, headers = Client(), {}
    else:
        client, headers = Client(), bearer(user, caller.split()[0])
    method, path, data = action.api(world)
    return rolled_back(lambda: send(client, method, path, data, **headers))


@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
@pytest.mark.parametrize("actor", ["visitor", "member", "blocked member", "staff", "moderator"])
def test_the_api_allows_exactly_what_the_form_allows_and_says_why_not(world, actor, action):
    user = world.actors[actor]
    if user.is_authenticated:
        refusal = form_outcome(world, action, user)
    else:
        # The site sends a visitor to sign in; the API answers with the check's sentence.
        with pytest.raises(PermissionDenied) as refused:
            action.check(world, user)
        refusal = as_page_shows(denial_reason(refused.value))
    for caller in callers(user):
        response = call_api(world, action, user, caller)
        where = f"{actor} / {action.name} / {caller}"
        if caller == "read token":
            assert response.status_code == 403, where
            assert error_of(response)["message"] == scope_sentence("read", "write"), where
        elif refusal is None:
            assert response.status_code == action.allowed_status, (where, response.content)
        else:
            expected_status = 401 if caller == "visitor" else 403
            assert response.status_code == expected_status, (where, response.content)
            assert as_page_shows(error_of(response)["message"]) == refusal, where


def test_the_matrix_covers_allowed_and_refused_cases_for_each_action(world):
    """The table above is not vacuous: each action is allowed for someone and refused
    for someone on the site itself."""
    for action in ACTIONS:
        outcomes = [
            form_outcome(world, action, user)
            for user in world.actors.values()
            if user.is_authenticated
        ]
        assert None in outcomes, action.name
        assert any(outcome is not None for outcome in outcomes), action.name


def test_blocked_members_and_locked_threads_are_refused_in_their_own_words(world):
    """Spot checks of the matrix's meaning: the block's and the lock's sentences."""
    blocked = world.actors["blocked member"]
    response = call_api(world, ACTIONS[1], blocked, "write token")
    assert "blocked from posting" in error_of(response)["message"]
    response = call_api(world, ACTIONS[2], world.actors["member"], "write token")
    assert error_of(response)["message"].startswith("Moderators locked this thread")
    assert call_api(world, ACTIONS[2], world.actors["staff"], "write token").status_code == 201


def test_a_session_write_without_the_csrf_token_is_refused(world):
    member = world.actors["member"]
    client, headers = session_client(member)
    path = f"/api/v1/threads/{world.open_thread.pk}/posts"
    response = send(client, "post", path, {"body": "No token."})
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]
    assert "X-CSRFToken" in error_of(response)["message"]
    response = send(client, "post", path, {"body": "With the token."}, **headers)
    assert response.status_code == 201
    assert response.json()["body"] == "With the token."


def test_the_write_budget_is_shared_by_the_api_and_the_site(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FORUM_WRITE_RATE = "2/h"
    # One instant for every budget window, so both refusals name the same wait.
    from forum import ratelimit

    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    member = world.actors["member"]
    token = bearer(member)
    path = f"/api/v1/threads/{world.open_thread.pk}/posts"
    site = Client()
    site.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(Client(), "post", path, {"body": "One."}, **token).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        reply = site.post(f"/t/{world.open_thread.pk}/reply/", {"body": "Two."})
    assert reply.status_code == 302
    refused = send(Client(), "post", path, {"body": "Three."}, **token)
    assert refused.status_code == 403
    form = site.post(f"/t/{world.open_thread.pk}/reply/", {"body": "Three."})
    assert form.status_code == 403
    assert as_page_shows(error_of(refused)["message"]) == form_refusal(form)
    assert "posting faster than we allow" in error_of(refused)["message"]
    # A refused write spends nothing: the budget is still spent by exactly two.
    assert ratelimit.write_budget_left(member.pk)[0] == 0
    assert world.open_thread.posts.count() == 3

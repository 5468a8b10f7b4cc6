"""Every page is served with a Content-Security-Policy whose per-request nonce is the one
on the page's scripts and styles, and no template holds anything that policy refuses:
an inline script or style without the nonce, a style attribute, an on* handler or a
javascript: URL."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from forum import services as forum_services

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Email bodies are read in mail clients, which know no CSP and need inline styles.
EMAIL_TEMPLATES = TEMPLATES / "forum" / "email"
# The one inline block without a nonce: the 500 page is rendered without a request, so
# its <style> is allowed by its hash instead (ERROR_PAGE_STYLE_HASH in the settings).
HASHED_STYLE_TEMPLATE = TEMPLATES / "errors" / "500.html"

ELEMENT = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
NONCE_ATTRIBUTE = re.compile(r"""\snonce=["']([^"']*)["']""")


def boom(request):
    raise RuntimeError("database fell over")


urlpatterns = [path("boom/", boom)]
handler500 = "config.errors.server_error"


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.status_code} response has no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def header_nonce(directives: dict[str, list[str]]) -> str:
    nonces = {
        source.removeprefix("'nonce-").removesuffix("'")
        for name in ("script-src", "style-src")
        for source in directives[name]
        if source.startswith("'nonce-")
    }
    assert len(nonces) == 1, f"expected one nonce in script-src and style-src, got {nonces}"
    return nonces.pop()


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_page_follows_policy(response) -> str:
    """The header's nonce is on every script, style and stylesheet of the body, and the
    body holds nothing the policy refuses. Returns the nonce."""
    directives = policy(response)
    nonce = header_nonce(directives)
    html = response.content.decode()
    tags = [m.group(0) for m in ELEMENT.finditer(html)] + STYLESHEET.findall(html)
    assert tags, "the page has no script or stylesheet to check"
    for tag in tags:
        found = NONCE_ATTRIBUTE.search(tag.split(">", 1)[0])
        assert found and found.group(1) == nonce, f"not carrying the header's nonce: {tag[:120]}"
    assert_nothing_refused(html)
    return nonce


def assert_nothing_refused(html: str) -> None:
    for pattern in (STYLE_ATTRIBUTE, HANDLER_ATTRIBUTE, JAVASCRIPT_URL):
        found = pattern.search(html)
        assert not found, f"the policy refuses this: {found.group(0)[:160]}"


# --- The header -------------------------------------------------------------------


def test_policy_allows_only_our_origin_and_the_nonce(client, db):
    directives = policy(client.get("/"))
    nonce = f"'nonce-{header_nonce(directives)}'"
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'", nonce]
    assert directives["style-src"] == ["'self'", nonce, settings.ERROR_PAGE_STYLE_HASH]
    assert directives["img-src"] == ["'self'"]
    # 'self' matches ws: and wss: to the same host (CSP Level 3): the live WebSocket.
    assert directives["connect-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


def test_each_request_gets_a_fresh_nonce(client, db):
    first = header_nonce(policy(client.get("/")))
    second = header_nonce(policy(client.get("/")))
    assert first != second
    assert len(base64.b64decode(first)) == 16


# --- Every kind of page -----------------------------------------------------------


def test_board_index_and_board_carry_the_nonce(client, help_board, thread):
    assert_page_follows_policy(client.get("/"))
    response = client.get(f"/b/{help_board.slug}/")
    assert response.status_code == 200
    assert_page_follows_policy(response)


def test_thread_page_with_avatars_and_reply_box_carries_the_nonce(
    client, member, other_member, thread
):
    forum_services.post_create(thread=thread, author=other_member, body="Same | here\n--:|:--\na|b")
    client.force_login(member)
    response = client.get(f"/t/{thread.pk}/?page=1")
    assert response.status_code == 200
    html = response.content.decode()
    # Avatars take their colour from a class now that style attributes are refused.
    assert re.search(r'class="avatar avatar--md avatar--hue-\d+"', html)
    assert 'name="body"' in html
    assert_page_follows_policy(response)


def test_sign_in_page_carries_the_nonce(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_page_follows_policy(response)


def test_email_change_page_hides_its_pending_form_without_a_style_attribute(client, member):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="new@example.com", verified=False)
    client.force_login(member)
    response = client.get("/accounts/email/")
    assert response.status_code == 200
    assert "<form hidden" in response.content.decode()
    assert_page_follows_policy(response)


def test_403_page_carries_the_nonce(client, member):
    client.force_login(member)
    response = client.get("/staff/unanswered/")
    assert response.status_code == 403
    assert_page_follows_policy(response)


def test_404_page_carries_the_nonce(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_page_follows_policy(response)


def test_csrf_failure_page_carries_the_nonce(db, member, thread):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(f"/t/{thread.pk}/reply/", {"body": "hello"})
    assert response.status_code == 403
    assert_page_follows_policy(response)


def test_status_page_carries_the_nonce(client, db):
    response = client.get("/status/")
    assert response.status_code == 200
    assert_page_follows_policy(response)


def test_status_copies_rendered_without_a_request_need_no_nonce(db):
    """The saved /status copy (and the page shown when there is none) is served with a
    header whose nonce it cannot know: its scripts and stylesheet are our own files, which
    'self' allows, and it holds nothing inline."""
    from forum import status

    for html in (status.render_status(), status.render_status_unavailable()):
        assert "nonce=" not in html
        # Our own script files only (theme, menus, live and the others), nothing inline.
        assert {m.group(1) for m in ELEMENT.finditer(html)} == {"script"}
        for name in ("theme", "menus", "live"):
            assert re.search(rf'<script src="/static/js/{name}\.', html), name
        assert all(re.search(r'\ssrc="/static/', m.group(2)) for m in ELEMENT.finditer(html))
        assert re.search(r'<link rel="stylesheet" href="/static/', html)
        assert_nothing_refused(html)


@pytest.mark.urls("tests.config.test_csp")
def test_500_page_style_is_allowed_by_its_hash(db):
    """The 500 page has no request to take a nonce from, so its one <style> is allowed by
    its hash; editing that style without updating ERROR_PAGE_STYLE_HASH fails here."""
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    directives = policy(response)
    html = response.content.decode()
    styles = list(ELEMENT.finditer(html))
    assert [m.group(1) for m in styles] == ["style"]
    expected = sha256_source(styles[0].group(3))
    assert expected == settings.ERROR_PAGE_STYLE_HASH, (
        f"errors/500.html's <style> changed: set ERROR_PAGE_STYLE_HASH to {expected}"
    )
    assert expected in directives["style-src"]
    assert "<script" not in html
    assert_nothing_refused(html)


# --- The templates themselves -----------------------------------------------------


def page_templates():
    return sorted(p for p in TEMPLATES.rglob("*.html") if EMAIL_TEMPLATES not in p.parents)


def template_problems(text: str, *, hashed_style_allowed: bool = False) -> list[str]:
    problems = []
    for match in ELEMENT.finditer(text):
        opening = match.group(0).split(">", 1)[0]
        if "nonce=" in opening:
            continue
        if hashed_style_allowed and match.group(1).lower() == "style":
            continue
        problems.append(f"<{match.group(1)}> without nonce=: {opening[:80]}")
    for pattern, what in (
        (STYLE_ATTRIBUTE, "a style attribute (use a class in porchlight.css)"),
        (HANDLER_ATTRIBUTE, "an inline event handler (use static/js)"),
        (JAVASCRIPT_URL, "a javascript: URL"),
    ):
        problems += [f"{what}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    return problems


def test_no_template_holds_what_the_policy_refuses():
    found = {}
    for template in page_templates():
        problems = template_problems(
            template.read_text(), hashed_style_allowed=template == HASHED_STYLE_TEMPLATE
        )
        if problems:
            found[str(template.relative_to(TEMPLATES))] = problems
    assert not found, f"templates the Content-Security-Policy would break: {found}"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<style>p { color: red }</style>",
        '<span style="color: red">x</span>',
        '<button type="button" onclick="go()">Go</button>',
        '<a href="javascript:go()">Go</a>',
    ],
)
def test_template_scan_catches_each_refused_form(text):
    assert template_problems(text)


def test_template_scan_accepts_nonced_scripts_and_styles():
    text = (
        '<script nonce="{{ request.csp_nonce }}">go()</script>'
        '<style nonce="{{ request.csp_nonce }}">p {}</style><p class="note">on=1</p>'
    )
    assert template_problems(text) == []

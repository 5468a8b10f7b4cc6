"""A member's data and account in Chromium. Jamie asks for a copy of their data, watches
the settings page go from requested to ready, follows the link that arrives by email and
downloads a ZIP that holds their posts. Then Jamie asks for their account to be deleted,
is signed out, signs in again (which cancels it and says so), asks again, and once the
grace period has passed (the request moved back in time) their profile is gone and their
posts read "deleted member". Screens at 1200 and 375 px, light and dark."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import DataExport, User
from forum.services import post_create
from tests.conftest import PASSWORD
from tests.e2e.browser import field, shots, sign_in
from tests.task_runner import run_ready_tasks

OPENING = "Export to CSV drops the last row when the file has **no** trailing newline."
REPLY = "Same here with 3.2.1, a workaround is to add an empty line at the end."


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def jamie_thread(make_thread, member, other_member):
    thread = make_thread(member, title="CSV export drops the last row", body=OPENING)
    post_create(thread=thread, author=other_member, body=REPLY)
    return thread


def _both_themes(page: Page, name: str) -> None:
    shots(page, f"{name}-light")
    page.emulate_media(color_scheme="dark")
    shots(page, f"{name}-dark")
    page.emulate_media(color_scheme="light")


def test_export_requested_link_arrives_and_the_zip_holds_the_posts(
    page: Page, live_server, member, jamie_thread
):
    sign_in(page, live_server, "jamie")
    page.get_by_role("button", name=re.compile("Jamie")).click()
    page.get_by_role("link", name="Your data and account").click()
    expect(page.get_by_role("heading", level=1, name="Your data and account")).to_be_visible()
    _both_themes(page, "data-page-empty")

    mail.outbox.clear()
    page.get_by_role("button", name="Ask for a copy of my data").click()
    expect(page.get_by_text("Your export is being built")).to_be_visible()
    expect(page.locator("[data-export-state]")).to_have_attribute("data-export-state", "requested")
    expect(page.get_by_text("The next one is possible from")).to_be_visible()
    expect(page.get_by_role("button", name="Ask for a copy of my data")).to_have_count(0)

    # The worker builds it, then delivers the email it queued.
    run_ready_tasks()
    run_ready_tasks()
    export = DataExport.objects.get(user=member)
    assert export.status == DataExport.Status.READY
    page.reload()
    expect(page.locator("[data-export-state]")).to_have_attribute("data-export-state", "ready")
    _both_themes(page, "data-page-ready")

    (email,) = [m for m in mail.outbox if "data export" in m.subject]
    link = re.search(r"https?://\S+/settings/data/export/\S+/", email.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url; }", f"{live_server.url}/{path}")
    download = download_info.value
    assert download.suggested_filename.startswith("porchlight-export-")
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        posts = json.loads(archive.read("porchlight-export/posts.json"))
        readable = archive.read("porchlight-export/posts.md").decode()
    assert [p["markdown"] for p in posts] == [OPENING]
    assert "CSV export drops the last row" in readable and OPENING in readable
    assert REPLY not in readable

    # The link is Jamie's alone: Priya, signed in, gets the site's 404.
    other = page.context.browser.new_context()
    try:
        priya = other.new_page()
        sign_in(priya, live_server, "priya")
        response = priya.goto(f"{live_server.url}/{path}")
        assert response.status == 404
    finally:
        other.close()


def _ask_for_deletion(page: Page, live_server) -> None:
    page.goto(live_server.url + "/settings/data/")
    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Exactly what happens")).to_be_visible()
    field(page, "Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account", exact=True).click()
    expect(page.get_by_text("your account will be deleted on")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_deletion_cancelled_by_signing_in_then_completed_after_the_grace_period(
    page: Page, live_server, member, jamie_thread
):
    sign_in(page, live_server, "jamie")
    page.goto(live_server.url + "/settings/delete/")
    # A wrong password is refused beside the field.
    field(page, "Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account", exact=True).click()
    expect(page.get_by_text("That is not your password")).to_be_visible()
    _both_themes(page, "account-delete-error")

    _ask_for_deletion(page, live_server)
    assert User.objects.get(pk=member.pk).deletion_requested_at is not None

    sign_in(page, live_server, "jamie")
    expect(page.get_by_text("your account will not be deleted")).to_be_visible()
    assert User.objects.get(pk=member.pk).deletion_requested_at is None

    _ask_for_deletion(page, live_server)
    User.objects.filter(pk=member.pk).update(
        deletion_requested_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    call_command("complete_account_deletions")

    response = page.goto(live_server.url + "/u/jamie/")
    assert response.status == 404
    page.goto(live_server.url + jamie_thread.get_absolute_url())
    opening = page.locator("article.post").first
    expect(opening.locator(".post__author")).to_have_text("deleted member")
    expect(opening).to_contain_text("Export to CSV drops the last row")
    expect(page.locator("article.post").nth(1).locator(".post__author")).to_have_text("Priya")
    expect(page.get_by_text("Jamie")).to_have_count(0)
    _both_themes(page, "thread-deleted-member")

    # The account cannot sign in any more.
    page.goto(live_server.url + "/accounts/login/")
    field(page, "Login").fill("jamie")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_have_count(0)

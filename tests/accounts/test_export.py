"""Data export: what the ZIP holds, who may download it, for how long, how often, and
the states the settings page shows on the way."""

import io
import json
import zipfile
import zoneinfo
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone

from accounts.exports import (
    export_build,
    export_download_url,
    export_request,
    exports_remove_expired,
)
from accounts.models import DataExport
from forum import services as forum_services
from forum.services.statuses import thread_vote
from moderation.models import MemberMessage
from moderation.services import flag_create, post_hide
from tests.conftest import PASSWORD
from tests.task_runner import run_ready_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _signed_in(client, user):
    client.force_login(user)
    return client


def _request_and_build(user, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=user)
    # The build queues the email's delivery after its own commit.
    with django_capture_on_commit_callbacks(execute=True):
        run_ready_tasks()
    run_ready_tasks()
    export.refresh_from_db()
    return export


def _zip_of(response) -> dict[str, str]:
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {
            name.removeprefix("porchlight-export/"): archive.read(name).decode()
            for name in archive.namelist()
            if "/images/" not in name
        }


def _zip_images_of(response) -> dict[str, bytes]:
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {
            name.removeprefix("porchlight-export/"): archive.read(name)
            for name in archive.namelist()
            if "/images/" in name
        }


@pytest.fixture
def member_history(
    guidelines,
    boards,
    member,
    other_member,
    moderator,
    make_thread,
    django_capture_on_commit_callbacks,
):
    """A member with a thread they edited, a reply, a vote, a flag they made and a post of
    theirs hidden by a moderator under G3."""
    thread = make_thread(member, title="Sync drops rows", body="First **draft** of my report.")
    opening = thread.posts.get()
    forum_services.post_edit(post=opening, editor=member, body="Second draft, with `code`.")
    idea = make_thread(other_member, board=boards["ideas"], title="Dark mode", body="Please.")
    reply = forum_services.post_create(thread=idea, author=member, body="Rude reply, sorry.")
    thread_vote(thread=idea, user=member, on=True)
    flag_create(flagger=member, post=idea.posts.get(position=1), reason="spam")
    post_hide(actor=moderator, post=reply, rule_codes=["G3"], note="Please keep it civil.")
    return {"thread": thread, "idea": idea, "reply": reply}


def test_zip_holds_posts_with_markdown_and_revisions_votes_flags_and_actions_with_rules(
    client, member, member_history, django_capture_on_commit_callbacks
):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY
    response = _signed_in(client, member).get(export_download_url(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    files = _zip_of(response)
    assert set(files) >= {
        "profile.json",
        "posts.json",
        "posts.md",
        "votes.json",
        "flags.json",
        "moderation_actions.json",
        "notification_settings.json",
    }
    profile = json.loads(files["profile.json"])
    assert profile["username"] == "jamie" and profile["email"] == "jamie@example.com"
    posts = json.loads(files["posts.json"])
    opening = next(p for p in posts if p["is_opening_post"])
    assert opening["markdown"] == "Second draft, with `code`."
    assert [r["markdown"] for r in opening["revisions"]] == [
        "First **draft** of my report.",
        "Second draft, with `code`.",
    ]
    assert any(p["markdown"] == "Rude reply, sorry." and p["hidden_by_moderators"] for p in posts)
    assert "## Sync drops rows" in files["posts.md"]
    assert "Second draft, with `code`." in files["posts.md"]
    votes = json.loads(files["votes.json"])
    assert votes == [
        {
            "thread_id": member_history["idea"].pk,
            "thread_title": "Dark mode",
            "kind": "vote",
            "created_at": votes[0]["created_at"],
        }
    ]
    flags = json.loads(files["flags.json"])
    assert [f["reason"] for f in flags] == ["spam"]
    actions = json.loads(files["moderation_actions.json"])
    assert [a["action"] for a in actions] == ["post_hide"]
    assert actions[0]["rules"][0]["code"] == "G3"
    assert actions[0]["rules"][0]["title"] == "Argue with ideas, not with people"
    assert actions[0]["note_to_you"] == "Please keep it civil."
    # Moderators' identities are theirs, not the member's.
    assert "morgan" not in files["moderation_actions.json"].lower()


def test_member_is_told_in_messages_and_by_email_with_the_link(
    member, member_history, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    url = export_download_url(export)
    message = MemberMessage.objects.filter(recipient=member, link=url).get()
    assert message.subject == "Your data export is ready"
    sent = [m for m in mail.outbox if "data export" in m.subject]
    assert len(sent) == 1 and sent[0].to == ["jamie@example.com"]
    assert url in sent[0].body


def test_another_member_gets_404_and_a_visitor_is_asked_to_sign_in(
    client, member, other_member, django_capture_on_commit_callbacks
):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    url = export_download_url(export)
    visitor = client.get(url)
    assert visitor.status_code == 302 and reverse("account_login") in visitor["Location"]
    other = _signed_in(client, other_member).get(url)
    assert other.status_code == 404
    assert b"PK" not in other.content[:2]


def test_a_tampered_token_is_a_404(client, member, django_capture_on_commit_callbacks):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    url = export_download_url(export)
    response = _signed_in(client, member).get(url[:-3] + "abc/")
    assert response.status_code == 404


def test_the_link_expires_and_the_file_is_removed(
    client, member, clock, settings, django_capture_on_commit_callbacks
):
    settings.DATA_EXPORT_EXPIRY_DAYS = 7
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    url = export_download_url(export)
    clock.advance(days=7, seconds=1)
    response = _signed_in(client, member).get(url)
    assert response.status_code == 410
    assert b"This download link has expired" in response.content
    assert exports_remove_expired() == 1
    export.refresh_from_db()
    assert export.file_name == ""
    page = client.get(reverse("accounts:data"))
    assert b'data-export-state="expired"' in page.content


def test_one_export_a_day_says_when_the_next_is_possible(
    client, member, clock, django_capture_on_commit_callbacks
):
    _signed_in(client, member)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("accounts:data"))
    assert first.status_code == 302
    again = client.post(reverse("accounts:data"))
    assert again.status_code == 400
    assert b"You can ask for one export every 24 hours" in again.content
    assert b"The next one is possible from" in again.content
    assert DataExport.objects.filter(user=member).count() == 1
    page = client.get(reverse("accounts:data"))
    assert b"The next one is possible from" in page.content
    assert b"Ask for a copy of my data" not in page.content
    clock.advance(hours=24, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:data")).status_code == 302
    assert DataExport.objects.filter(user=member).count() == 2


def test_the_page_shows_requested_building_and_ready(
    client, member, django_capture_on_commit_callbacks
):
    _signed_in(client, member)
    page = client.get(reverse("accounts:data"))
    assert b'data-export-state="none"' in page.content
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("accounts:data"))
    page = client.get(reverse("accounts:data"))
    assert b'data-export-state="requested"' in page.content
    assert b'http-equiv="refresh"' in page.content
    export = DataExport.objects.get(user=member)
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.BUILDING)
    page = client.get(reverse("accounts:data"))
    assert b'data-export-state="building"' in page.content
    assert export_build(export_id=export.pk) == "ready"
    page = client.get(reverse("accounts:data"))
    assert b'data-export-state="ready"' in page.content
    assert b"data-export-download" in page.content
    assert b'http-equiv="refresh"' not in page.content


def test_building_twice_builds_once(member, django_capture_on_commit_callbacks):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    assert export_build(export_id=export.pk) == "skipped"


def test_the_file_is_stored_under_the_private_prefix(
    member, settings, django_capture_on_commit_callbacks
):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    assert export.file_name.startswith(f"private/exports/{member.pk}/")
    assert (settings.MEDIA_ROOT / export.file_name).is_file()


def test_a_blocked_member_can_still_export(
    client, guidelines, moderator, member, django_capture_on_commit_callbacks
):
    from moderation.services import block_create

    block_create(
        actor=moderator, member=member, duration="1d", rule_codes=["G3"], reason="Insults."
    )
    _signed_in(client, member)
    assert client.get(reverse("accounts:data")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:data")).status_code == 302
    assert DataExport.objects.filter(user=member).exists()


def test_visitors_are_sent_to_sign_in_for_the_page(client):
    response = client.get(reverse("accounts:data"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_page_reads_in_a_fixed_number_of_queries(client, member, django_assert_max_num_queries):
    _signed_in(client, member)
    client.get(reverse("accounts:data"))
    # The page's own two (the latest export, when the next may be asked for) over the four
    # every signed-in page reads (session user, bell, block and messages, notices).
    with django_assert_max_num_queries(6):
        client.get(reverse("accounts:data"))


def test_signed_in_password_is_not_in_any_file(client, member, django_capture_on_commit_callbacks):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    files = _zip_of(_signed_in(client, member).get(export_download_url(export)))
    assert not any(PASSWORD in content for content in files.values())
    assert not any("md5$" in content for content in files.values())
    assert timedelta(days=7) == export.expires_at - export.ready_at


def test_the_email_gives_the_expiry_in_the_members_time_zone(
    member, django_capture_on_commit_callbacks
):
    member.time_zone = "Asia/Tokyo"
    member.save(update_fields=["time_zone"])
    mail.outbox.clear()
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    tokyo = timezone.localtime(export.expires_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    (sent,) = [m for m in mail.outbox if "data export" in m.subject]
    assert formats.date_format(tokyo, "DATETIME_FORMAT") in sent.body


def test_a_member_without_posts_gets_empty_files_that_still_parse(
    client, member, django_capture_on_commit_callbacks
):
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    files = _zip_of(_signed_in(client, member).get(export_download_url(export)))
    assert json.loads(files["posts.json"]) == []
    assert "No posts." in files["posts.md"]
    assert json.loads(files["flags.json"]) == []


def test_the_zip_holds_the_members_images_as_stored_without_exif(
    client, member, thread, django_capture_on_commit_callbacks
):
    from forum.services import attachment_create, markdown_for, post_create
    from tests.forum.attachment_images import has_exif, jpeg_with_gps

    image = attachment_create(
        uploader=member, upload=SimpleUploadedFile("trip.jpg", jpeg_with_gps(), "image/jpeg")
    )
    post_create(thread=thread, author=member, body=f"The error: {markdown_for(image)}")
    export = _request_and_build(member, django_capture_on_commit_callbacks)
    images = _zip_images_of(_signed_in(client, member).get(export_download_url(export)))
    with image.image.open("rb") as handle:
        stored = handle.read()
    assert images == {f"images/{image.pk}.{image.image.name.rsplit('.', 1)[-1]}": stored}
    assert not has_exif(stored)

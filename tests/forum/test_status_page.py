"""/status: current notices, then past ones; a static copy written at every migrate and
rewritten on every notice change, served when the database cannot be reached."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone

from forum import selectors, status
from forum.services import (
    notice_create,
    notice_delete,
    notice_end,
    notice_update,
    post_create,
)
from tests.site_process import http_get, site_env, start_site


@pytest.fixture
def snapshot_dir(settings, tmp_path):
    settings.STATUS_SNAPSHOT_DIR = tmp_path / "status"
    return settings.STATUS_SNAPSHOT_DIR


def _copy(snapshot_dir) -> str:
    return (snapshot_dir / "status.html").read_text(encoding="utf-8")


def _articles(html: str) -> list[str]:
    return re.findall(r'<article class="status-notice.*?</article>', html, re.S)


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


# --- The page ---------------------------------------------------------------------------


def test_status_lists_current_then_past_with_times_levels_and_threads(
    client, admin_user, member, thread, clock
):
    post_create(thread=thread, author=member, body="Still seeing it.")
    post_create(thread=thread, author=member, body="Fixed for me now.")
    past_old = notice_create(
        actor=admin_user,
        message="Old maintenance.",
        level="warning",
        thread=thread,
        starts_at=clock.now - timedelta(days=10),
        ends_at=clock.now - timedelta(days=9),
    )
    past_new = notice_create(
        actor=admin_user,
        message="Outage yesterday.",
        level="outage",
        thread=thread,
        starts_at=clock.now - timedelta(days=1),
        ends_at=clock.now - timedelta(hours=20),
    )
    info = notice_create(actor=admin_user, message="New badges.", level="info")
    clock.advance(minutes=1)
    newer_info = notice_create(actor=admin_user, message="Dark mode.", level="info")
    outage = notice_create(
        actor=admin_user, message="Search is down.", level="outage", thread=thread
    )
    notice_create(
        actor=admin_user,
        message="Scheduled, not yet.",
        level="info",
        starts_at=clock.now + timedelta(days=1),
    )

    response = client.get("/status/")
    assert response.status_code == 200
    html = response.content.decode()
    now_part, earlier_part = _section(html, "current-heading"), _section(html, "past-heading")
    assert len(_articles(now_part)) == 3 and len(_articles(earlier_part)) == 2
    positions = [now_part.index(n.message) for n in (outage, newer_info, info)]
    assert positions == sorted(positions)  # most severe first, then newest
    assert earlier_part.index("Outage yesterday.") < earlier_part.index("Old maintenance.")
    assert "Scheduled, not yet." not in html
    outage_article = _articles(now_part)[0]
    assert 'class="tag tag--outage">Outage' in outage_article
    assert f'datetime="{outage.starts_at.isoformat()}"' in outage_article
    assert "ongoing" in outage_article
    assert f'href="/t/{thread.pk}/"' in outage_article and "2 replies" in outage_article
    past_article = _articles(earlier_part)[0]
    assert f'datetime="{past_new.ends_at.isoformat()}"' in past_article
    assert past_old.message in earlier_part


def test_status_page_shows_all_clear_when_nothing_is_on(client, db):
    html = client.get("/status/").content.decode()
    assert "All systems normal" in html and "No earlier notices." in html


def test_staff_notices_never_reach_the_status_page(client, admin_user, staff):
    notice_create(actor=admin_user, message="Deploy freeze.", level="info", audience="staff")
    notice_create(
        actor=admin_user,
        message="Staff drill done.",
        level="info",
        audience="staff",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    for viewer in (None, staff, admin_user):
        if viewer:
            client.force_login(viewer)
        html = client.get("/status/").content.decode()
        assert "Deploy freeze." not in html and "Staff drill done." not in html


def test_status_page_does_not_repeat_the_banners(client, admin_user):
    notice_create(actor=admin_user, message="New badges.", level="info")
    html = client.get("/status/").content.decode()
    assert 'id="sitewide-notices"' not in html
    assert html.count("New badges.") == 1


def test_status_markdown_is_sanitised(client, admin_user):
    notice_create(
        actor=admin_user, message="<script>alert(1)</script> [x](javascript:alert(1))", level="info"
    )
    html = client.get("/status/").content.decode()
    assert "<script>alert" not in html and "javascript:" not in html


# --- The static copy --------------------------------------------------------------------


def test_every_notice_change_rewrites_the_copy(
    admin_user, thread, snapshot_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_create(actor=admin_user, message="Search is slow.", level="info")
    assert "Search is slow." in _copy(snapshot_dir)

    with django_capture_on_commit_callbacks(execute=True):
        notice_update(
            notice=notice,
            actor=admin_user,
            message="Search is down.",
            level="outage",
            audience="everyone",
            thread=thread,
        )
    copy = _copy(snapshot_dir)
    assert "Search is down." in copy and "Search is slow." not in copy
    assert "All systems normal" not in copy

    with django_capture_on_commit_callbacks(execute=True):
        notice_end(notice=notice, actor=admin_user)
    copy = _copy(snapshot_dir)
    assert "All systems normal" in copy and "Search is down." in _section(copy, "past-heading")

    with django_capture_on_commit_callbacks(execute=True):
        notice_delete(notice=notice, actor=admin_user)
    assert "Search is down." not in _copy(snapshot_dir)


def test_a_refused_change_leaves_the_copy_alone(
    admin_user, snapshot_dir, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        notice_create(actor=admin_user, message="", level="info")
    assert callbacks == []
    assert not (snapshot_dir / "status.html").exists()


def test_changes_through_the_pages_rewrite_the_copy(
    client, admin_user, snapshot_dir, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/notices/new/",
            {"message": "Uploads paused.", "level": "info", "audience": "everyone"},
        )
    assert response.status_code == 302
    assert "Uploads paused." in _copy(snapshot_dir)


def test_the_copy_is_a_complete_page_in_the_sites_zone(
    admin_user, thread, snapshot_dir, django_capture_on_commit_callbacks
):
    # The admin's own zone is active while they save; the copy is for everyone.
    with timezone.override("Asia/Tokyo"), django_capture_on_commit_callbacks(execute=True):
        notice = notice_create(
            actor=admin_user, message="Search is **down**.", level="outage", thread=thread
        )
    copy = _copy(snapshot_dir)
    assert copy.startswith("<!DOCTYPE html>") and copy.rstrip().endswith("</html>")
    assert "<title>Status · Porchlight</title>" in copy
    assert "Search is <strong>down</strong>." in copy
    assert 'href="/help/"' in copy and ">Help</a>" in copy
    assert "css/porchlight" in copy
    assert f'href="/t/{thread.pk}/"' in copy
    assert "This copy was saved" in copy
    assert notice.starts_at.strftime("%H:%M UTC") in copy
    assert "csrfmiddlewaretoken" not in copy


def test_the_copy_is_written_atomically_and_failures_are_only_logged(
    admin_user, settings, tmp_path, caplog
):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    settings.STATUS_SNAPSHOT_DIR = blocker
    notice_create(actor=admin_user, message="Hello.", level="info")
    assert status.write_status_snapshot() is None
    assert "Could not write the status page copy" in caplog.text
    settings.STATUS_SNAPSHOT_DIR = tmp_path / "ok"
    path = status.write_status_snapshot()
    assert path.read_text().count("Hello.") == 1
    assert [p.name for p in path.parent.iterdir()] == ["status.html"]  # no temp files left
    assert path.stat().st_mode & 0o777 == 0o644  # readable by a front web server


# --- Database unreachable ---------------------------------------------------------------


def test_status_serves_the_copy_when_the_database_fails(
    client, admin_user, snapshot_dir, monkeypatch
):
    notice_create(actor=admin_user, message="Database maintenance.", level="info")
    status.write_status_snapshot()

    def unreachable(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "notices_for_status", unreachable)
    response = client.get("/status/")
    assert response.status_code == 200
    assert response["X-Status-Copy"] == "1"
    assert "Database maintenance." in response.content.decode()


def test_status_says_so_when_there_is_no_copy_yet(client, db, snapshot_dir, monkeypatch):
    def unreachable(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "notices_for_status", unreachable)
    response = client.get("/status/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "can't reach our database" in html
    # The whole site frame, not a bare fragment.
    assert html.startswith("<!DOCTYPE html>") and "<title>Status · Porchlight</title>" in html
    assert 'href="/help/"' in html


def test_migrate_writes_the_copy_before_any_notice_exists(db, snapshot_dir):
    from django.core.management import call_command

    assert not (snapshot_dir / "status.html").exists()
    call_command("migrate", verbosity=0)
    copy = _copy(snapshot_dir)
    assert "All systems normal" in copy and "This copy was saved" in copy


def test_serving_status_puts_back_a_missing_copy(client, admin_user, snapshot_dir):
    notice_create(actor=admin_user, message="Search is slow.", level="info")
    assert not (snapshot_dir / "status.html").exists()
    assert client.get("/status/").status_code == 200
    assert "Search is slow." in _copy(snapshot_dir)


@pytest.fixture(scope="module")
def offline_server(tmp_path_factory):
    """The real ASGI app in its own process, pointed at a database that refuses every
    connection (a closed port). Yields its base URL and the directory it reads the status
    copy from; each test writes the copy there first."""
    copy_dir = tmp_path_factory.mktemp("status-copy")
    env = site_env(
        settings="config.settings",
        database_url="postgres://postgres@127.0.0.1:1/none",
        status_dir=copy_dir,
        DB_POOL_SIZE="0",
        DEBUG="true",
    )
    log = tmp_path_factory.mktemp("offline-log") / "uvicorn.log"
    try:
        process, base = start_site(env, log)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield base, copy_dir
    finally:
        process.stop()


def _write_copy_for(offline_server, settings, admin_user, message: str) -> None:
    _, copy_dir = offline_server
    settings.STATUS_SNAPSHOT_DIR = copy_dir
    notice_create(actor=admin_user, message=message, level="info")
    assert status.write_status_snapshot() is not None


def test_unreachable_database_status_serves_the_copy_and_other_pages_fail_cleanly(
    offline_server, settings, admin_user
):
    base, _ = offline_server
    _write_copy_for(offline_server, settings, admin_user, "We are restoring the database.")

    code, headers, body = http_get(base + "/status/")
    assert code == 200
    assert headers.get("X-Status-Copy") == "1"
    assert "We are restoring the database." in body
    assert 'href="/help/"' in body and "This copy was saved" in body

    code, _, body = http_get(base + "/")
    assert code == 500
    assert "<html" in body.lower()


def test_unreachable_database_status_serves_the_copy_to_signed_in_readers(
    offline_server, settings, admin_user
):
    base, _ = offline_server
    _write_copy_for(offline_server, settings, admin_user, "Signed-in readers see this too.")
    code, headers, body = http_get(
        base + "/status/", headers={"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}
    )
    assert code == 200 and headers.get("X-Status-Copy") == "1"
    assert "Signed-in readers see this too." in body

"""A member's API tokens elsewhere in their account: the data export lists them (never
the digest), and Django admin shows them read-only with a Revoke action."""

import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from accounts.access_tokens import access_token_create, access_token_revoke
from accounts.exports import export_request
from accounts.models import AccessToken
from tests.task_runner import run_ready_tasks

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/accesstoken/"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_export_lists_the_members_tokens_without_their_digest(
    member, other_member, django_capture_on_commit_callbacks
):
    used = access_token_create(user=member, name="CI", scope="write")
    old = access_token_create(user=member, name="Old laptop", scope="read")
    access_token_revoke(token=old.token)
    access_token_create(user=other_member, name="Priya's", scope="read")
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=member)
    run_ready_tasks()
    export.refresh_from_db()
    with default_storage.open(export.file_name, "rb") as stored, zipfile.ZipFile(stored) as zf:
        raw_zip = b"".join(zf.read(name) for name in zf.namelist())
        profile = json.loads(zf.read("porchlight-export/profile.json"))

    listed = {token["name"]: token for token in profile["api_tokens"]}
    assert set(listed) == {"CI", "Old laptop"}
    assert listed["CI"]["scope"] == "write"
    assert listed["CI"]["prefix"] == used.token.prefix
    assert listed["CI"]["revoked_at"] is None and listed["CI"]["last_used_at"] is None
    assert listed["Old laptop"]["revoked_at"] is not None
    assert set(listed["CI"]) == {
        "name",
        "scope",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    for token in AccessToken.objects.filter(user=member):
        assert token.digest.encode() not in raw_zip
    assert used.raw.encode() not in raw_zip


def test_admin_lists_tokens_without_the_digest_and_cannot_add_one(client, admin_user, member):
    created = access_token_create(user=member, name="Deploy bot", scope="write")
    client.force_login(admin_user)
    listing = client.get(CHANGELIST)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Deploy bot" in html and f"{created.token.prefix}…" in html
    assert created.token.digest not in html

    detail = client.get(f"{CHANGELIST}{created.token.pk}/change/")
    assert detail.status_code == 200
    assert created.token.digest not in detail.content.decode()
    assert client.get(f"{CHANGELIST}add/").status_code == 403


def test_admin_revoke_action_revokes_the_selected_tokens(client, admin_user, member):
    leaked = access_token_create(user=member, name="Leaked", scope="write").token
    kept = access_token_create(user=member, name="Kept", scope="read").token
    client.force_login(admin_user)
    response = client.post(
        CHANGELIST, {"action": "revoke", "_selected_action": [leaked.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "1 token(s) revoked" in response.content.decode()
    leaked.refresh_from_db()
    kept.refresh_from_db()
    assert leaked.revoked_at is not None
    assert kept.revoked_at is None
    assert AccessToken.objects.count() == 2  # revoked, not deleted

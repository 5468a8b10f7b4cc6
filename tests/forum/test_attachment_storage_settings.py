"""Where attachments are stored is chosen by the environment: the filesystem under
MEDIA_ROOT by default, an S3-compatible bucket through django-storages with
ATTACHMENT_STORAGE=s3 (the bucket itself is not contacted here)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_STORAGE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
options = {
    key: getattr(storage, key, None)
    for key in ("bucket_name", "endpoint_url", "region_name", "access_key", "location",
                "default_acl", "querystring_auth", "file_overwrite")
}
print(json.dumps({"backend": settings.STORAGES["default"]["BACKEND"],
                  "class": type(storage).__module__ + "." + type(storage).__name__,
                  "options": options}))
"""


def storage_under(**env_overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "ATTACHMENT_"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_STORAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_attachments_go_to_the_filesystem_by_default():
    found = storage_under()
    assert found["class"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_s3_storage_is_built_from_the_environment():
    found = storage_under(
        ATTACHMENT_STORAGE="s3",
        S3_BUCKET="porchlight-media",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_REGION="eu-west-1",
        S3_ACCESS_KEY_ID="key-id",
        S3_SECRET_ACCESS_KEY="not-a-real-secret",
        S3_PREFIX="prod",
    )
    assert found["backend"] == "storages.backends.s3.S3Storage"
    assert found["class"] == "storages.backends.s3.S3Storage"
    assert found["options"] == {
        "bucket_name": "porchlight-media",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "eu-west-1",
        "access_key": "key-id",
        "location": "prod",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }


def test_an_unknown_storage_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "ATTACHMENT_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ATTACHMENT_STORAGE="ftp")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ATTACHMENT_STORAGE is 'filesystem' or 's3'" in result.stderr


def test_s3_storage_without_a_bucket_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "ATTACHMENT_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", ATTACHMENT_STORAGE="s3")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ATTACHMENT_STORAGE=s3 needs S3_BUCKET" in result.stderr

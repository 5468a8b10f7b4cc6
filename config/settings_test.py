"""Test-only speedups on top of the real settings; the data stores stay as configured
(DATABASE_URL and REDIS_URL are honoured, so the Postgres + Redis pass is real)."""

import os
import tempfile
from pathlib import Path

from config.env import env_bool
from config.settings import *  # noqa: F403
from config.settings import CACHES, CHANNEL_LAYERS, DATABASES, REDIS_URL, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
ACCOUNT_RATE_LIMITS = False
# Tests that commit notice changes write the status copy here, not into the checkout.
STATUS_SNAPSHOT_DIR = Path(tempfile.gettempdir()) / f"porchlight-status-{os.getpid()}"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory, shared with the live server

if REDIS_URL:
    # Each xdist worker gets two Redis databases of its own — one for the cache, one for
    # the channel layer — so clearing the cache between tests never touches another
    # worker's keys nor anyone's live subscriptions.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 7
    base = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL.rstrip("/")
    WORKER_REDIS_URL = f"{base}/{1 + 2 * worker}"
    CACHES["default"]["LOCATION"] = WORKER_REDIS_URL
    CACHES["pages"]["LOCATION"] = WORKER_REDIS_URL
    CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]["address"] = f"{base}/{2 + 2 * worker}"

# Tests that write without running on-commit callbacks would read pages stored before
# their writes; the page cache tests turn it on (tests/forum/test_page_cache.py), and so
# may a browser run (PAGE_CACHE_ENABLED=true), where every write commits.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=False)

"""Test-only speedups on top of the real settings; the data stores stay as configured."""

from config.settings import *  # noqa: F403
from config.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In-memory test databases cannot be shared with a live server thread in WAL mode.
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
    DATABASES["default"]["TEST"] = {"NAME": None}

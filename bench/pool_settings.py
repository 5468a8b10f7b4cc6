"""Settings for bench/pool.py: production's (DEBUG off), static files unhashed since
collectstatic does not run. BENCH_POOL_VARIANT=stock-2s swaps config.db for Django's own
PostgreSQL backend with a 2 s pool timeout, the alternative config.db exists to avoid."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES, STORAGES

DEBUG = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

if os.environ.get("BENCH_POOL_VARIANT") == "stock-2s":
    DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    DATABASES["default"]["OPTIONS"]["pool"]["timeout"] = 2

"""Production's settings for the outage tests' servers (DEBUG off, so errors get the human
500 page), with the data stores from the environment as in production. Static files are
served unhashed, as collectstatic has not run."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

DEBUG = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

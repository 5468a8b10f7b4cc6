"""Porchlight settings, read from the environment.

Development is the default: SQLite, an in-process channel layer and cache, e-mail
printed to the console. Production differs only by environment variables
(see README.md, "Production"): DEBUG=false turns on every deploy safeguard and
makes SECRET_KEY mandatory.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)
PRODUCTION = not DEBUG

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Porchlight refuses to start in production "
            "(DEBUG=false) without one. Generate one with\n"
            "  python -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
            "and export it as SECRET_KEY."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env("SITE_NAME", default="Porchlight")
# Absolute links in emails (appeal links, moderation messages) start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_filters",
    "channels",
    # Before django_tasks_db: for a command name two apps define, Django runs the one of
    # the app listed first, and config's db_worker is the one that survives DB outages.
    "config",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Its static files and templates: the Swagger UI of /api/docs.
    "ninja",
    "accounts",
    "forum",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above all that reads or rewrites the body (a page cache); docs/operations.md.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.hostile.HostileCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (Accept-Language, or the django_language cookie the footer's
    # picker sets); MemberLanguageMiddleware below puts a member's own setting first.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.hostile.HostileRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.MemberTimeZoneMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
                "accounts.context_processors.accounts",
                "moderation.context_processors.moderation",
                "forum.context_processors.notifications",
            ],
        },
    }
]

# --- Data stores ---------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'porchlight.sqlite3'}"),
        # Under ASGI each request runs in its own thread, so persistent connections pile up
        # until PostgreSQL refuses clients (measured: bench/results/…-conn-max-age-60.md).
        # Keep 0 and use DB_POOL_SIZE for reuse instead.
        conn_max_age=env_int("DB_CONN_MAX_AGE", default=0),
        conn_health_checks=env_int("DB_CONN_MAX_AGE", default=0) > 0,
    )
}
DB_POOL_SIZE = env_int("DB_POOL_SIZE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server (a dropped network, a host that is down) fails a connection
    # attempt after 2 s instead of the operating system's minutes; a stopped server on a
    # reachable host refuses at once anyway. See docs/operations.md.
    # JIT off and no parallel workers: a web query is short; compiling one cost 130–285 ms
    # of a search at a million posts, and starting workers about 10 ms
    # (docs/performance.md, "At a million posts").
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=2,
        options=env("DB_OPTIONS", default="-c jit=off -c max_parallel_workers_per_gather=0"),
    )
if DB_POOL_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's connection pool, per worker process: connections are reused across
    # requests and returned when each request ends.
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_SIZE,
        # How long a request may queue for a connection under load. During an outage the
        # config.db backend fails requests within about half a second instead.
        "timeout": 10,
        # Reconnection attempts back off; giving up after 5 s (the next request starts
        # a fresh attempt) keeps that backoff from delaying recovery by minutes.
        "reconnect_timeout": 5,
    }
    # Django passes psycopg's check to the pool: every connection is tested (an empty
    # query) before a request gets it, so connections a PostgreSQL restart killed are
    # replaced instead of failing requests.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["ENGINE"] = "config.db"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers and the single writer overlap; a busy timeout waits for the
    # write lock instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # Redis may go away; the site must not (see config/cache.py and forum/realtime.py).
    # A cache call gives up on Redis after half a second; while Redis is unreachable the
    # database cache ("fallback", a table every worker shares) answers instead, so rate
    # limits keep holding through the outage.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "porchlight",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            "FALLBACK": "fallback",
        },
        "fallback": {
            "BACKEND": "config.cache.DatabaseFallbackCache",
            "LOCATION": "porchlight_outage_cache",
            "KEY_PREFIX": "porchlight",
        },
    }
    # Connecting gives up after half a second too, so a post made while Redis is
    # unreachable is not held up by its live event. Reads may take longer: each worker's
    # receive loop blocks on Redis for up to 5 s by design (BZPOPMIN), so the read timeout
    # must stay above that or every idle worker would see a timeout.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {"address": REDIS_URL, "socket_connect_timeout": 0.5, "socket_timeout": 10}
                ],
                "prefix": "porchlight",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Visitors' pages (forum/pagecache.py): no stand-in, so a Redis outage serves them uncached.
CACHES["pages"] = {**CACHES["default"], "LOCATION": REDIS_URL or "pages", "FALLBACK": None}
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", default=bool(REDIS_URL))

# --- Accounts ------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "forum:board-index"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}  # adds the honeypot
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    # Sign-up attempts (form posts) per address; IPv6 counts per /64. Past it, templates/429.html.
    "signup": env("ACCOUNT_SIGNUP_RATE", default="20/h/ip"),
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_USERNAME_BLACKLIST = ["admin", "staff", "moderator", "support", "porchlight"]

# Refuse addresses at domains on the disposable-email-domains package's list, at sign-up
# and email change. Admins exempt or add domains in the admin (Email domain rules); their
# "refuse" rules apply even with this off. See accounts/email_domains.py.
ACCOUNT_REFUSE_DISPOSABLE_EMAIL = env_bool("ACCOUNT_REFUSE_DISPOSABLE_EMAIL", default=True)

# --- Single sign-on (OpenID Connect) -------------------------------------------
# One identity provider, configured here only (no SocialApp rows): without OIDC_ISSUER
# the sign-in pages show no button and nothing else changes. See docs/operations.md,
# "Single sign-on". The callback address is /accounts/oidc/<OIDC_PROVIDER_ID>/login/callback/.
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_PROVIDER_ID = env("OIDC_PROVIDER_ID", default="sso")
OIDC_BUTTON_LABEL = env("OIDC_BUTTON_LABEL", default="")
SOCIALACCOUNT_ADAPTER = "accounts.adapter_social.SocialAccountAdapter"
SOCIALACCOUNT_FORMS = {"signup": "accounts.forms_social.SocialSignupForm"}
SOCIALACCOUNT_AUTO_SIGNUP = True
# An address from the provider never signs anyone into an existing account: a member who
# already has a local account connects the provider from it, signed in.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": OIDC_BUTTON_LABEL or "Single sign-on",
                "client_id": env("OIDC_CLIENT_ID", default=""),
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": OIDC_ISSUER},
            }
        ]
        if OIDC_ISSUER
        else [],
    }
}
# LOCAL_ACCOUNTS=false: sign-up and password sign-in are gone (allauth's
# SOCIALACCOUNT_ONLY removes their addresses and refuses a posted sign-in form); members
# come in through the identity provider, which then vouches for their address. Django
# admin's own sign-in page (/admin/login/) stays for staff with a password: the way in
# when the provider is down. See docs/operations.md.
LOCAL_ACCOUNTS = env_bool("LOCAL_ACCOUNTS", default=True)
SOCIALACCOUNT_ONLY = not LOCAL_ACCOUNTS
if OIDC_ISSUER and not (
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["client_id"]
    and SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["secret"]
):
    raise ImproperlyConfigured(
        "OIDC_ISSUER is set but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is not: set both to "
        "the values the identity provider gave this site (docs/operations.md)."
    )
if PRODUCTION and OIDC_ISSUER and not OIDC_ISSUER.startswith("https://"):
    # The code, the tokens and the member's profile travel over this connection.
    raise ImproperlyConfigured(f"OIDC_ISSUER={OIDC_ISSUER!r} must be an https:// address.")
if not LOCAL_ACCOUNTS and not OIDC_ISSUER:
    raise ImproperlyConfigured(
        "LOCAL_ACCOUNTS=false leaves the identity provider as the only way in, but "
        "OIDC_ISSUER is not set: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, "
        "or LOCAL_ACCOUNTS=true."
    )
if SOCIALACCOUNT_ONLY:
    ACCOUNT_EMAIL_VERIFICATION = "none"
    SOCIALACCOUNT_EMAIL_VERIFICATION = "none"

# Data export and self-serve deletion (accounts.exports, accounts.deletion; docs/privacy.md).
DATA_EXPORT_EXPIRY_DAYS = int(env("DATA_EXPORT_EXPIRY_DAYS", default="7"))
DATA_EXPORT_INTERVAL_HOURS = int(env("DATA_EXPORT_INTERVAL_HOURS", default="24"))
ACCOUNT_DELETION_GRACE_DAYS = int(env("ACCOUNT_DELETION_GRACE_DAYS", default="7"))
ACCOUNT_DELETION_ALLOW_ERASE_POSTS = env_bool("ACCOUNT_DELETION_ALLOW_ERASE_POSTS", default=True)

# --- E-mail --------------------------------------------------------------------

EMAIL_URL = env("EMAIL_URL", default="console://")
_email = dj_email_url.parse(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
# Mail is delivered by the task worker from the outbox (accounts.mail), which holds the
# message's row lock while it talks to SMTP: a dead server must time out, not hang.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Porchlight <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------------

# English is the source language; its dates keep the en-gb formats. A browser asking for
# any English gets en-gb, any French gets fr. Catalogs live in locale/ (.po in git, .mo
# built by `make`); a member's own language setting wins over the browser's.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# DATE_FORMAT and DATETIME_FORMAT per language (config/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# /status is copied here after every notice change and served from here when the
# database is unreachable.
STATUS_SNAPSHOT_DIR = Path(env("STATUS_SNAPSHOT_DIR", default=str(BASE_DIR / "var" / "status")))
# Hashed, precompressed, cached forever; needs collectstatic first (`make run` runs it),
# after which WhiteNoise serves the collected files only, as in production.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=PRODUCTION)
# Uploaded files (post attachments) go to the filesystem under MEDIA_ROOT, or with
# ATTACHMENT_STORAGE=s3 to an S3-compatible bucket through django-storages (the
# optional `s3` extra); either way the app serves them itself after checking who may see
# the post (docs/operations.md, "Attachments").
ATTACHMENT_STORAGE = env("ATTACHMENT_STORAGE", default="filesystem")
if ATTACHMENT_STORAGE == "s3":
    if not env("S3_BUCKET", default=""):
        raise ImproperlyConfigured("ATTACHMENT_STORAGE=s3 needs S3_BUCKET (docs/operations.md).")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET", default=""),
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "region_name": env("S3_REGION", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env("S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif ATTACHMENT_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("ATTACHMENT_STORAGE is 'filesystem' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "config.storage.HashedStaticStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG and not STATIC_MANIFEST

# --- Forum policy --------------------------------------------------------------

# Background tasks (notification emails, digests, contact mail) live in the database and
# are run by `manage.py db_worker` (started by `make run`), so a mail-server outage
# loses nothing and no page waits for SMTP. A task enqueued in a transaction that rolls
# back never exists.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

FORUM_THREADS_PER_PAGE = 25
# Requests to the JSON API (forum.api.auth): per personal access token, and per signed-in
# session or visitor address. Writes spend FORUM_WRITE_RATE as well, as on the site.
API_TOKEN_RATE = env("API_TOKEN_RATE", default="5000/h")
API_VISITOR_RATE = env("API_VISITOR_RATE", default="600/h")
# Outbound webhooks (forum.services.webhook_delivery): seconds to wait for a receiver, the
# failed attempts in a row after which a webhook is disabled (admins are emailed), and
# whether targets on loopback, private or link-local addresses are allowed (off: an admin
# form must not be a way to reach the site's own network).
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", default=10)
WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", default=15)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
NINJA_PAGINATION_PER_PAGE = 25
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 100
FORUM_POSTS_PER_PAGE = 20
# Writes per member per minute, across threads, replies and edits (see forum.ratelimit).
FORUM_WRITE_RATE = env("FORUM_WRITE_RATE", default="10/m")
# Images attached to posts (forum.services.images): largest upload in bytes, most pixels
# (width × height, checked before decoding), thumbnail width, and how long an upload no
# post names is kept before `manage.py delete_orphan_attachments` removes it.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", default=5_000_000)
ATTACHMENT_MAX_PIXELS = env_int("ATTACHMENT_MAX_PIXELS", default=40_000_000)
ATTACHMENT_THUMBNAIL_WIDTH = env_int("ATTACHMENT_THUMBNAIL_WIDTH", default=640)
ATTACHMENT_ORPHAN_HOURS = env_int("ATTACHMENT_ORPHAN_HOURS", default=24)

# --- Spam scoring (moderation.spam; docs/spam.md) -------------------------------

# A post scoring at or above this (0..1) is spam. Dry-run a change with
# `manage.py spamcheck` and `bench/spam_eval.py` before setting it.
SPAM_HOLD_THRESHOLD = float(env("SPAM_HOLD_THRESHOLD", default="0.6"))
# Link domains a new account may use without suspicion (the site's own is always known).
SPAM_KNOWN_DOMAINS = env_list(
    "SPAM_KNOWN_DOMAINS",
    default=[
        "github.com", "gitlab.com", "stackoverflow.com", "python.org", "mozilla.org",
        "wikipedia.org", "microsoft.com", "google.com", "apple.com", "djangoproject.com",
        "imgur.com", "rfc-editor.org",
    ],
)  # fmt: skip
# When an account stops being new is the admins' spam policy (Django admin), not a
# setting. An account earns the spam score's benefit of the doubt after both of these.
SPAM_TRUSTED_DAYS = env_int("SPAM_TRUSTED_DAYS", default=30)
SPAM_TRUSTED_POSTS = env_int("SPAM_TRUSTED_POSTS", default=10)
# Akismet is consulted only when a key is set. The endpoint is for tests (a fake server
# on 127.0.0.1); the timeout keeps a slow Akismet from slowing posting.
AKISMET_API_KEY = env("AKISMET_API_KEY", default="")
AKISMET_BLOG_URL = env("AKISMET_BLOG_URL", default=SITE_URL)
AKISMET_ENDPOINT = env("AKISMET_ENDPOINT", default="https://rest.akismet.com")
AKISMET_TIMEOUT = float(env("AKISMET_TIMEOUT", default="2"))

# --- Security ------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Sessions are written to the database and read from the cache (the database when the
# cache has lost them): a signed-in page reads its session from Redis, not PostgreSQL.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp). Scripts and styles come from our own origin or
# carry this request's nonce (`nonce="{{ request.csp_nonce }}"`); inline `style=` and
# `on*=` attributes can carry neither and are refused (tests/config/test_csp.py scans the
# templates). connect-src 'self' also covers ws:/wss: to this host (CSP Level 3), which
# the live page's WebSocket uses. The hash is the 500 page's own <style>: that page is
# rendered without a request, so it has no nonce to use (tests pin the hash).
ERROR_PAGE_STYLE_HASH = "'sha256-CqAp1QMPl80Uv63AG6tFTQrA12atpjH1I7wK6ZBcUdI='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE, ERROR_PAGE_STYLE_HASH],
        "img-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    }
}
if OIDC_ISSUER:
    # The sign-in button posts here and is redirected to the identity provider; browsers
    # hold a form's redirects to form-action as well.
    _issuer = urlsplit(OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_issuer.scheme}://{_issuer.netloc}"
    )

# X-Forwarded-Proto/Host trusted only behind a proxy that overwrites them (operations.md).
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=PRODUCTION)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only where the site is reached over plain http on one's own machine (`make run`):
    # a browser would not send a Secure cookie back there, so nobody could sign in.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)

# --- Logging -------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # ERROR means the server failed (config/errors.py): a 5xx is one ERROR line with its
    # traceback and the reference the 500 page shows; a 4xx is one WARNING line without a
    # traceback. The filter sits on each logger that Django names after the refusal —
    # a logger's filters do not apply to its children — and the records reach the root
    # handler like every other line. Set LOG_LEVEL=ERROR to see failures only.
    "filters": {"request_log": {"()": "config.errors.RequestLogFilter"}},
    "loggers": {
        name: {"filters": ["request_log"]}
        for name in (
            "django.request",
            "django.security.csrf",
            *(
                f"django.security.{exception}"
                for exception in (
                    "SuspiciousOperation",
                    "DisallowedHost",
                    "DisallowedRedirect",
                    "DisallowedModelAdminLookup",
                    "DisallowedModelAdminToField",
                    "InvalidSessionKey",
                    "RequestDataTooBig",
                    "SuspiciousFileOperation",
                    "SuspiciousMultipartForm",
                    "SuspiciousSession",
                    "TooManyFieldsSent",
                    "TooManyFilesSent",
                )
            ),
        )
    },
}

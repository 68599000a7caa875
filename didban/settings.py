"""The one settings module of Didban, driven by environment variables.

Every variable is documented in `.env.example` and `docs/operations.md`. A bad value stops
start-up with a message that names the variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DATA_DIR = Path(env("DIDBAN_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DIDBAN_DEBUG", "false")
# Behind HTTPS (production): secure cookies, HSTS, redirect. Off for a local demo over HTTP.
HTTPS = envbool("DIDBAN_HTTPS", "false" if DEBUG else "true")


def _secret_key() -> str:
    """Use DIDBAN_SECRET_KEY, or a key generated once and kept in the data directory."""
    if value := env("DIDBAN_SECRET_KEY"):
        if len(value) < 50:
            raise ImproperlyConfigured("DIDBAN_SECRET_KEY must be at least 50 characters long")
        return value
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("DIDBAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("DIDBAN_CSRF_TRUSTED_ORIGINS", "")
MAP_TILES_URL = env("DIDBAN_MAP_TILES_URL", "")
SITE_URL = env("DIDBAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "didban.core",
    "didban.accounts",
    "didban.places",
    "didban.api",
    "didban.newsroom",
    "didban.publishing",
    "didban.portal",
    "didban.monitoring",
    "didban.field",
    "didban.compliance",
    "didban.command",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "didban.core.middleware.UserLanguageMiddleware",
    "didban.core.middleware.ActingOrganizationMiddleware",
    "didban.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "didban.urls"
WSGI_APPLICATION = "didban.wsgi.application"
ASGI_APPLICATION = "didban.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "didban.core.context_processors.didban",
            ],
            "builtins": ["didban.core.templatetags.didban"],
        },
    }
]

# Database: SQLite in the data directory unless DATABASE_URL says otherwise.
_database_url = env("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    if not DATABASES["default"].get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database; write it as postgres://user:password@host:5432/name"
        )
    # PostgreSQL: a connection pool in each process (psycopg_pool), at most this many
    # connections; a request waits for a free one. Under ASGI (`didban serve`) every request
    # runs in its own context, so persistent per-request connections (CONN_MAX_AGE) would pile
    # up until the server refuses clients; with the pool they are reused. 0: no pool, one
    # connection per request, closed at its end.
    DB_POOL_MAX = envint("DIDBAN_DB_POOL_MAX", "8")
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_MAX > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_MAX,
            "timeout": envint("DIDBAN_DB_POOL_TIMEOUT_SECONDS", "30"),
        }
else:
    # SQLite has one writer at a time: WAL lets readers go on while it writes, and a writer
    # waits for the lock up to this long (50 concurrent clients posting photos on a loaded
    # machine can queue for seconds) before "database is locked".
    SQLITE_BUSY_TIMEOUT_SECONDS = envint("DIDBAN_SQLITE_BUSY_TIMEOUT_SECONDS", "60")
    DATABASES = {
        "default": {
            # Django's SQLite backend whose writers queue fairly within a process.
            "ENGINE": "didban.core.sqlite",
            "NAME": DATA_DIR / "didban.sqlite3",
            # Tests use an in-memory database (one per test process). Said explicitly because
            # pytest-django only knows Django's own engine name as SQLite and would otherwise
            # derive a file name from NAME for each xdist worker.
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock at BEGIN, so concurrent writers wait
                # (busy_timeout) instead of failing on a lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; "
                    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000};"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if _redis_url := env("DIDBAN_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login protection (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = envint("DIDBAN_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("DIDBAN_LOGIN_COOLOFF_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = envint("DIDBAN_PROXY_COUNT", "0") or None
AXES_VERBOSE = False
AXES_ENABLED = envbool("DIDBAN_AXES_ENABLED", "true")

# Internationalisation: Persian first, English complete.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "didban" / "locale"]
USE_I18N = True
TIME_ZONE = env("DIDBAN_TIME_ZONE", "Asia/Tehran")
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start without it
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files from `collectstatic` in production (`didban serve` runs it);
# straight from the source folders for a demo or a test run.
STATIC_MANIFEST = envbool("DIDBAN_STATIC_MANIFEST", "false" if DEBUG else "true")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Exports built by the worker (XLSX, CSV, GeoJSON): where the files live, for how many days.
EXPORT_DIR = Path(env("DIDBAN_EXPORT_DIR", str(DATA_DIR / "exports"))).resolve()
EXPORT_KEEP_DAYS = envint("DIDBAN_EXPORT_KEEP_DAYS", "7")

# Sessions, cookies and headers.
SESSION_COOKIE_AGE = envint("DIDBAN_SESSION_HOURS", "12") * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "didban.core.views.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = envint("DIDBAN_HSTS_SECONDS", "31536000") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("DIDBAN_BEHIND_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is asked over plain HTTP by load balancers inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Background work: django-tasks on the database queue; the worker is `didban worker`.
TASKS = {
    "default": {
        "BACKEND": env("DIDBAN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}
WORKER_HEARTBEAT_SECONDS = envint("DIDBAN_WORKER_HEARTBEAT_SECONDS", "10")
WORKER_STALE_SECONDS = envint("DIDBAN_WORKER_STALE_SECONDS", "120")

# REST API.
REST_FRAMEWORK = {
    # Bearer first: its WWW-Authenticate header makes a refused request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "didban.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "didban.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "didban.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "didban.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Didban API",
    "DESCRIPTION": "REST API of Didban, the election HQ information command room.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # `check --deploy` is about the deployment; the schema's quality is tested on its own
    # (didban/api/tests/test_schema.py), so a cosmetic schema warning cannot block a release.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
    # Choice sets named after their model, so fields called "kind" do not collide.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "didban.accounts.models.Organization.Kind",
        "OrganizationUnitTypeEnum": "didban.accounts.models.Organization.UnitType",
        "PlaceKindEnum": "didban.places.models.Place.Kind",
    },
}

EMAIL_BACKEND = env("DIDBAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DIDBAN_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("DIDBAN_EMAIL_PORT", "25")
EMAIL_HOST_USER = env("DIDBAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("DIDBAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("DIDBAN_EMAIL_TLS", "false")
DEFAULT_FROM_EMAIL = env("DIDBAN_EMAIL_FROM", "didban@localhost")

# Publishing (didban/publishing): channel secrets are encrypted with a key derived from
# DIDBAN_SECRETS_KEY (or SECRET_KEY when unset); deliveries give up after this many attempts.
SECRETS_KEY = env("DIDBAN_SECRETS_KEY")
# Newsroom uploads (megabytes): images, audio, PDF; and video.
UPLOAD_MAX_MB = envint("DIDBAN_UPLOAD_MAX_MB", "50")
UPLOAD_VIDEO_MAX_MB = envint("DIDBAN_UPLOAD_VIDEO_MAX_MB", "500")
PUBLISHING_TIMEOUT_SECONDS = envint("DIDBAN_PUBLISHING_TIMEOUT_SECONDS", "20")
PUBLISHING_MAX_ATTEMPTS = envint("DIDBAN_PUBLISHING_MAX_ATTEMPTS", "6")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DIDBAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The inner queue runner logs every idle round; the worker logs what matters.
        "django_tasks_db": {"level": "WARNING"},
    },
}

# Display campaigns (didban/field): how far from its site a check-in may be, how far a photo's
# capture time may be from the check-in, the largest upload.
FIELD_CHECKIN_RADIUS_M = envint("DIDBAN_FIELD_CHECKIN_RADIUS_M", "150")
FIELD_PHOTO_MAX_SKEW_MINUTES = envint("DIDBAN_FIELD_PHOTO_MAX_SKEW_MINUTES", "60")
FIELD_UPLOAD_MAX_MB = envint("DIDBAN_FIELD_UPLOAD_MAX_MB", "25")

# Campaign-rule compliance (didban/compliance): a report being handled stays locked to its
# handler for this many minutes after their last action on it.
COMPLIANCE_LOCK_MINUTES = envint("DIDBAN_COMPLIANCE_LOCK_MINUTES", "30")

# Media monitoring (didban/monitoring): fetch limits and politeness towards news sites.
MONITORING_TIMEOUT_SECONDS = envint("DIDBAN_MONITORING_TIMEOUT_SECONDS", "20")
MONITORING_MAX_BYTES = envint("DIDBAN_MONITORING_MAX_MB", "10") * 1024 * 1024
MONITORING_MAX_REDIRECTS = envint("DIDBAN_MONITORING_MAX_REDIRECTS", "5")
MONITORING_PER_HOST_CONCURRENCY = envint("DIDBAN_MONITORING_PER_HOST", "2")
MONITORING_POLITENESS_SECONDS = envint("DIDBAN_MONITORING_POLITENESS_MS", "500") / 1000
# A new or changed topic rule is applied to the articles of this many past days (0: never).
MONITORING_BACKFILL_DAYS = envint("DIDBAN_MONITORING_BACKFILL_DAYS", "14")
# Story grouping keeps in each ingesting process's memory the LSH band keys of this many recent
# articles per organisation (16 keys of 32 bytes each) and the published time, story and
# signature (256 bytes) of this many recent article ids: ~200 MB at the default when full,
# resident only as it fills. Older articles are not story candidates.
MONITORING_RECENT_ARTICLES = envint("DIDBAN_MONITORING_RECENT_ARTICLES", "262144")

"""Django settings for Duban. Everything environment-specific is read from DUBAN_* variables.

See `.env.example` for the list; `duban check --deploy` and the system checks in `duban.core.checks`
refuse a production configuration that is unsafe.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from duban.config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(env("DUBAN_VAR_DIR", str(PROJECT_DIR / "var")))


def _secret_key() -> str:
    """Use DUBAN_SECRET_KEY; otherwise create one once in var/ so a fresh clone just works."""
    configured = env("DUBAN_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DUBAN_DEBUG", False)
ALLOWED_HOSTS = env_list("DUBAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DUBAN_CSRF_TRUSTED_ORIGINS", [])
# Behind nginx the original scheme arrives in X-Forwarded-Proto (docs/deploy.md).
if env_bool("DUBAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_SECURE = env_bool("DUBAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "duban.core",
    "duban.audit",
    "duban.accounts",
    "duban.org",
    "duban.workcalendar",
    "duban.evidence",
    "duban.assessment",
    "duban.projects",
    "duban.supervision",
    "duban.notifications",
    "duban.cockpit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "duban.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "duban.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "duban.config.urls"
WSGI_APPLICATION = "duban.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.core.context_processors.navigation",
                "duban.notifications.context_processors.unread",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL (DUBAN_DATABASE_URL=postgres://…) in production.
DATABASE_URL = env("DUBAN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'duban.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DUBAN_DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker write while pages read; FULL keeps committed work across a power cut;
        # IMMEDIATE takes the write lock at BEGIN so two writers wait instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cockpit:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保 L2 password rules; both numbers are configurable (docs/deploy.md explains the ASVS deviation).
PASSWORD_MIN_LENGTH = env_int("DUBAN_PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = env_int("DUBAN_PASSWORD_MIN_CLASSES", 3)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "duban.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Lockout: N failures within the window lock the name for the duration (counted in the database).
LOGIN_FAILURE_LIMIT = env_int("DUBAN_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("DUBAN_LOGIN_FAILURE_WINDOW_MINUTES", 15)
LOGIN_LOCKOUT_MINUTES = env_int("DUBAN_LOGIN_LOCKOUT_MINUTES", 30)
SESSION_IDLE_TIMEOUT_MINUTES = env_int("DUBAN_SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_TIMEOUT_MINUTES = env_int("DUBAN_SESSION_ABSOLUTE_MINUTES", 8 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# The interface is Chinese whatever the browser asks for; DUBAN_LANGUAGE=en switches a deployment.
LANGUAGE_CODE = env("DUBAN_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(
    parents=True, exist_ok=True
)  # whitenoise warns about a missing root before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("DUBAN_MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files are never served by URL; they go through permission-checked views.
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("DUBAN_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

TASKS = {
    "default": {
        "BACKEND": env("DUBAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["duban.core.api.permissions.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "duban.core.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "duban.core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Duban 督办 API",
    "DESCRIPTION": "REST API of the Duban platform. Every list is scoped to what the caller may see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema describes every endpoint; only signed-in users read it.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

DJANGO_TABLES2_TEMPLATE = "core/partials/table.html"
DJANGO_TABLES2_PAGE_RANGE = 7

EMAIL_BACKEND = env("DUBAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DUBAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DUBAN_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DUBAN_EMAIL_FROM", "duban@localhost")
# A mail server that accepts the connection and never answers must not stall the worker's scans.
EMAIL_TIMEOUT = env_int("DUBAN_EMAIL_TIMEOUT", 10)

# Notifications: default quiet hours for people who set none ("" for none), the digest time, and the
# site address that makes links in e-mails and robot messages clickable ("" leaves them out).
NOTIFY_QUIET_HOURS = env("DUBAN_NOTIFY_QUIET_HOURS", "22:00-07:30")
NOTIFY_DIGEST_TIME = env("DUBAN_NOTIFY_DIGEST_TIME", "08:30")
NOTIFY_SITE_URL = env("DUBAN_SITE_URL", "")

# How often `duban worker` runs the periodic scan (`duban tick`).
TICK_INTERVAL_SECONDS = env_int("DUBAN_TICK_INTERVAL_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DUBAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

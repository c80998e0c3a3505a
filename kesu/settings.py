"""Kesu settings: one file, every deployment knob read from the environment through strict helpers.

Defaults give a zero-setup developer/demo install (SQLite file in the project folder).
Set DATABASE_URL=postgres://user@host:port/name for a multi-user deployment.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def database_from_url(url: str) -> dict:
    """Translate DATABASE_URL (sqlite:///path or postgres://user:pw@host:port/name) into Django's form."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("/") and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            path = path[1:]
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path or str(PROJECT_DIR / "kesu.sqlite3")}
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite or postgres)")


DEBUG = env_bool("KESU_DEBUG", True)
SECRET_KEY = env_str("KESU_SECRET_KEY", "kesu-development-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("KESU_SECRET_KEY must be set when KESU_DEBUG is false")
# Fernet key(s) for ID/phone numbers at rest; comma-separated, the first encrypts (rotation). Dev: derived from SECRET_KEY.
KESU_FIELD_KEY = env_str("KESU_FIELD_KEY", "")
if not DEBUG and not KESU_FIELD_KEY:
    raise ImproperlyConfigured("KESU_FIELD_KEY must be set when KESU_DEBUG is false")
# Reverse proxies in front of Kesu, so that per-address limits of the public order page see the real client.
KESU_TRUSTED_PROXIES = int(env_str("KESU_TRUSTED_PROXIES", "0"))
ALLOWED_HOSTS = env_list("KESU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "kesu.org",
    "kesu.plans",
    "kesu.tracking",
    "kesu.api",
    "kesu.survey",
    "kesu.services",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kesu.urls"
WSGI_APPLICATION = "kesu.wsgi.application"

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
                "kesu.tracking.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'kesu.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = env_str("KESU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only a deployment that runs collectstatic sets KESU_STATIC_ROOT; by default assets are served from the finders.
STATIC_ROOT = os.environ.get("KESU_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve assets straight from the app/static folders: no collectstatic step, nothing fetched from a CDN.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Uploaded evidence is stored here and served only through views that check access, never as static files.
MEDIA_ROOT = Path(env_str("KESU_MEDIA_ROOT", str(PROJECT_DIR / "media")))
MEDIA_URL = "/media-not-served/"
KESU_MAX_EVIDENCE = int(env_str("KESU_MAX_EVIDENCE", str(20 * 1024 * 1024)))

# Reminder e-mails go through Django's mail backend (console by default; set KESU_EMAIL_BACKEND/SMTP in production).
EMAIL_BACKEND = env_str("KESU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("KESU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("KESU_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = env_str("KESU_EMAIL_FROM", "kesu@localhost")
KESU_SITE_URL = env_str("KESU_SITE_URL", "http://127.0.0.1:8000")
# Extra notification channels: dotted paths of callables notifier(user=, title=, body=, link=), e.g. an SMS gateway.
KESU_NOTIFIERS = env_list("KESU_NOTIFIERS", "")

# Survey uploads: largest accepted file, and up to which size it is checked during the request (larger: by the job).
KESU_MAX_SURVEY_UPLOAD = int(env_str("KESU_MAX_SURVEY_UPLOAD", str(300 * 1024 * 1024)))
KESU_SURVEY_CHECK_INLINE = int(env_str("KESU_SURVEY_CHECK_INLINE", str(5 * 1024 * 1024)))

# Largest plan document accepted by the upload page (bytes).
KESU_MAX_PLAN_UPLOAD = int(env_str("KESU_MAX_PLAN_UPLOAD", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = KESU_MAX_PLAN_UPLOAD + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = KESU_MAX_PLAN_UPLOAD

"""Kesu settings: one file, every deployment knob read from the environment through strict helpers.

Defaults give a zero-setup developer/demo install (SQLite file in the project folder).
Set DATABASE_URL=postgres://user@host:port/name for a multi-user deployment.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from csp.constants import NONE, SELF, UNSAFE_INLINE
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


# Off unless asked for: `kesu demo` (and `make demo`) turn it on, production never does.
DEBUG = env_bool("KESU_DEBUG", False)
SECRET_KEY = env_str("KESU_SECRET_KEY", "kesu-development-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("KESU_SECRET_KEY must be set when KESU_DEBUG is false")
# Fernet key(s) for ID/phone numbers at rest; comma-separated, the first encrypts (rotation). Its own secret:
# never derived from SECRET_KEY. The fixed development key is the one demo databases were encrypted with.
KESU_FIELD_KEY = env_str("KESU_FIELD_KEY", "kesu-field-key:kesu-development-key-change-me" if DEBUG else "")
if not DEBUG and not KESU_FIELD_KEY:
    raise ImproperlyConfigured("KESU_FIELD_KEY must be set when KESU_DEBUG is false")
# Reverse proxies in front of Kesu, so that per-address limits of the public order page see the real client.
KESU_TRUSTED_PROXIES = int(env_str("KESU_TRUSTED_PROXIES", "0"))
ALLOWED_HOSTS = env_list("KESU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
KESU_SITE_URL = env_str("KESU_SITE_URL", "http://127.0.0.1:8000")


def https_origins(hosts: list[str], site_url: str) -> list[str]:
    """CSRF trusted origins for a site served over HTTPS: every allowed host (".x.cn" → "https://*.x.cn") and
    the origin of the site's address."""
    origins = [f"https://*{host}" if host.startswith(".") else f"https://{host}" for host in hosts if host != "*"]
    site = urlparse(site_url)
    if site.scheme == "https" and site.netloc:
        origins.append(f"https://{site.netloc}")
    return list(dict.fromkeys(origins))


# Behind a reverse proxy that ends TLS (nginx, see deploy/): trust its X-Forwarded-Proto and make every
# request, cookie and form HTTPS-only. Only turn it on when the proxy sets (and overwrites) that header.
KESU_HTTPS_PROXY = env_bool("KESU_HTTPS_PROXY", False)
if KESU_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = https_origins(ALLOWED_HOSTS, KESU_SITE_URL)
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
# HSTS covers this host only: sibling sites under the same government domain and the browsers' preload list
# are the domain owner's decision, so `check --deploy` is told not to ask for them.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

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
    "kesu.liaisons",
    "kesu.meetings",
    "kesu.funding",
    "kesu.workpoints",
    "kesu.api",
    "kesu.survey",
    "kesu.volunteering",
    "kesu.campaigns",
    "kesu.datasets",
    "kesu.evaluation",
    "kesu.succession",
    "kesu.search",
    "kesu.accounts",
    "axes",
    "kesu.notices",
    "kesu.jobs",
    "kesu.backups",
    "kesu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kesu.serving.middleware.ChineseErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kesu.org.middleware.RolesMiddleware",  # request.roles (kesu.org.access.Roles)
    "django.contrib.messages.middleware.MessageMiddleware",
    "kesu.accounts.middleware.SessionIdleMiddleware",
    "kesu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a sign-in lockout into the Chinese lockout page
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
                "kesu.notices.context_processors.unread_notices",
                "kesu.serving.context_processors.page_help",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'kesu.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- Accounts and sign-in security (kesu.accounts) -------------------------------------------------------
# Passwords: Django's validators, with Chinese messages through LANGUAGE_CODE = "zh-hans" (the length message
# from kesu.accounts.validators: Django 5.2's zh-hans catalogue misses it).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "kesu.accounts.validators.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (django-axes): KESU_LOGIN_FAILURE_LIMIT failed sign-ins for one account (from any address), or from
# one address (for any accounts), lock that account / that address for KESU_LOGIN_COOLOFF_MINUTES. The client
# address is read as the public pages read it (KESU_TRUSTED_PROXIES). Office admins unlock in 账号管理.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
KESU_LOGIN_FAILURE_LIMIT = int(env_str("KESU_LOGIN_FAILURE_LIMIT", "5"))
KESU_LOGIN_COOLOFF_MINUTES = int(env_str("KESU_LOGIN_COOLOFF_MINUTES", "30"))
if KESU_LOGIN_FAILURE_LIMIT < 1 or KESU_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("KESU_LOGIN_FAILURE_LIMIT and KESU_LOGIN_COOLOFF_MINUTES must be at least 1")
AXES_FAILURE_LIMIT = KESU_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=KESU_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "kesu.accounts.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "kesu.accounts.signin.lockout_response"
# A successful sign-in does not wipe the address's failures (else one's own account would reset an attack).
AXES_RESET_ON_SUCCESS = False
# Sessions end after KESU_SESSION_IDLE_MINUTES without a request: kesu.accounts' SessionIdleMiddleware pushes the
# expiry forward with activity (at most one session write a minute, not one per request).
KESU_SESSION_IDLE_MINUTES = int(env_str("KESU_SESSION_IDLE_MINUTES", "120"))
if KESU_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("KESU_SESSION_IDLE_MINUTES must be at least 1")
SESSION_COOKIE_AGE = KESU_SESSION_IDLE_MINUTES * 60
# ---- end of accounts and sign-in security ------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
# The only language: a browser asking for English (Accept-Language) must not get Django's English texts.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("KESU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only a deployment that runs collectstatic sets KESU_STATIC_ROOT; by default assets are served from the finders.
STATIC_ROOT = os.environ.get("KESU_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve assets straight from the app/static folders: no collectstatic step, nothing fetched from a CDN.
WHITENOISE_USE_FINDERS = True
# Uploaded and generated files (evidence, summaries, survey uploads, service photos) go only through the default
# storage: KESU_STORAGE=filesystem (the folder KESU_MEDIA_ROOT) or s3 (an S3-compatible bucket shared by several
# machines; needs `pip install 'kesu[s3]'`). Files are private and downloaded only through access-checked views.
KESU_STORAGE = env_str("KESU_STORAGE", "filesystem")
if KESU_STORAGE == "filesystem":
    _DEFAULT_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif KESU_STORAGE == "s3":
    if not env_str("KESU_S3_BUCKET", ""):
        raise ImproperlyConfigured("KESU_S3_BUCKET must be set when KESU_STORAGE is s3")
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("KESU_S3_BUCKET", ""),
            "endpoint_url": env_str("KESU_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("KESU_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("KESU_S3_SECRET_KEY", "") or None,
            "region_name": env_str("KESU_S3_REGION", "") or None,
            "file_overwrite": False,  # two uploads of one name both survive, as on the filesystem
            "querystring_auth": True,  # never a public URL
        },
    }
else:
    raise ImproperlyConfigured(f"KESU_STORAGE must be filesystem or s3, got {KESU_STORAGE!r}")
STORAGES = {
    "default": _DEFAULT_STORAGE,
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
# Extra notification channels: dotted paths of callables notifier(user=, title=, body=, link=), e.g. an SMS gateway.
KESU_NOTIFIERS = env_list("KESU_NOTIFIERS", "")
# Notices leave through an outbox after commit; a failed delivery is retried after KESU_OUTBOX_RETRY_SECONDS,
# doubling each time (at most an hour), up to KESU_OUTBOX_MAX_ATTEMPTS attempts.
KESU_OUTBOX_MAX_ATTEMPTS = int(env_str("KESU_OUTBOX_MAX_ATTEMPTS", "6"))
KESU_OUTBOX_RETRY_SECONDS = int(env_str("KESU_OUTBOX_RETRY_SECONDS", "60"))

# Background work holds a lease while running (renewed between steps); work whose lease ran out is retried,
# and marked failed after KESU_JOB_MAX_ATTEMPTS attempts. Lease lengths in seconds per kind of work.
KESU_JOB_MAX_ATTEMPTS = int(env_str("KESU_JOB_MAX_ATTEMPTS", "3"))
KESU_JOB_LEASES = {
    "summary": int(env_str("KESU_LEASE_SUMMARY", "600")),
    "survey_check": int(env_str("KESU_LEASE_SURVEY_CHECK", "1800")),
    "survey_run": int(env_str("KESU_LEASE_SURVEY_RUN", "1800")),
}

# Survey uploads: largest accepted file, and up to which size it is checked during the request (larger: by the job).
KESU_MAX_SURVEY_UPLOAD = int(env_str("KESU_MAX_SURVEY_UPLOAD", str(300 * 1024 * 1024)))
KESU_SURVEY_CHECK_INLINE = int(env_str("KESU_SURVEY_CHECK_INLINE", str(5 * 1024 * 1024)))

# Largest plan document accepted by the upload page (bytes).
KESU_MAX_PLAN_UPLOAD = int(env_str("KESU_MAX_PLAN_UPLOAD", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = KESU_MAX_PLAN_UPLOAD + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = KESU_MAX_PLAN_UPLOAD

# Zip bombs: an uploaded .docx/.xlsx is refused before it is opened when its contents would unpack to more than
# these bytes (plan documents, .xlsx imports of the service and accounts, survey .xlsx files), or when one of its
# files over 1 MB unpacks to more than KESU_MAX_ZIP_RATIO times its packed size (kesu/infra/zipcheck.py).
KESU_MAX_UNZIPPED_PLAN = int(env_str("KESU_MAX_UNZIPPED_PLAN", str(50 * 1024 * 1024)))
KESU_MAX_UNZIPPED_IMPORT = int(env_str("KESU_MAX_UNZIPPED_IMPORT", str(50 * 1024 * 1024)))
KESU_MAX_UNZIPPED_SURVEY = int(env_str("KESU_MAX_UNZIPPED_SURVEY", str(300 * 1024 * 1024)))
KESU_MAX_ZIP_RATIO = int(env_str("KESU_MAX_ZIP_RATIO", "100"))

# Content Security Policy (django-csp): everything from this site, nothing from elsewhere, no inline scripts.
# Styles allow 'unsafe-inline' because progress bars and charts size themselves with style="width:…%"
# computed on the server; style attributes cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Error pages in Chinese (kesu/templates/4xx.html, 500.html); a refused form explains the CSRF check.
CSRF_FAILURE_VIEW = "kesu.serving.errors.csrf_failure"

# Everything is logged to stderr (systemd's journal in production), errors with their traceback.
KESU_LOG_LEVEL = env_str("KESU_LOG_LEVEL", "INFO").upper()
if KESU_LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"KESU_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {KESU_LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": KESU_LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": KESU_LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": KESU_LOG_LEVEL, "propagate": False},
        # axes announces itself at every start-up at INFO; lockouts are logged at WARNING.
        "axes": {"handlers": ["stderr"], "level": max(KESU_LOG_LEVEL, "WARNING", key=logging.getLevelName), "propagate": False},
    },
}

# Cache (and the sessions' fast path) in Redis when configured, so that several `kesu serve` processes or
# machines share it; sessions themselves stay in the database. Without Redis: memory of each process.
KESU_REDIS_URL = env_str("KESU_REDIS_URL", "")
if KESU_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": KESU_REDIS_URL,
            "KEY_PREFIX": "kesu",
            # Redis down means a slower site (cache misses, logged), never an error page.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

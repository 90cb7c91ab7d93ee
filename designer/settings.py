"""Django settings. Embedded by default (SQLite, in-process Celery); production when DATABASE_URL and
REDIS_URL are set (PostgreSQL, Redis as the Celery broker).

Every knob a deployment may turn is an environment variable, read here and nowhere else.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("STATECRAFT_DATA_DIR", BASE_DIR / "var"))


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder.

    Execution seeds (and so task tokens) derive from it: every web and worker process of one
    installation must share it.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two first starts never disagree; 0o600: only this user may read it.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "designer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "designer.urls"
WSGI_APPLICATION = "designer.wsgi.application"
ASGI_APPLICATION = "designer.asgi.application"

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
            ]
        },
    }
]

# --- database -------------------------------------------------------------------------------

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "statecraft.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE: a transaction takes the write lock when it begins, so two writers
                # queue on the busy timeout instead of one failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory: the in-process worker's threads must see what tests commit.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# --- the REST API (designer/api) -------------------------------------------------------------

# The API's body limit (designer.api.limits.MAX_BODY_BYTES): room for a 1 MiB definition, escaped.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

REST_FRAMEWORK = {
    # Token first: a request with neither gets 401 and a WWW-Authenticate header, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "designer.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the browser; enforces CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["designer.api.limits.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "designer.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "designer.api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,  # `?format=yaml` belongs to the export action, not to DRF
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Statecraft API",
    "DESCRIPTION": "State machines, versions, executions, activities, task tokens and the single-state test.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ExecutionStatusEnum": "designer.models.executions.Status.choices",
        "TestStateStatusEnum": "designer.api.test_state.TEST_STATUSES",
    },
}

# --- Celery ---------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not REDIS_URL  # no broker to install: Celery's memory transport, a worker in this process
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = {} if REDIS_URL else {"polling_interval": 0.01}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Statecraft -----------------------------------------------------------------------------

STATECRAFT: dict[str, Any] = {
    "REGION": os.environ.get("STATECRAFT_REGION", "us-east-1"),
    # A worker holds an execution this long without committing before another may take it over.
    "LEASE_SECONDS": _env_float("STATECRAFT_LEASE_SECONDS", 60),
    # A task invocation (outbox row) is carried out again if its worker is silent this long.
    "CLAIM_SECONDS": _env_float("STATECRAFT_CLAIM_SECONDS", 120),
    # How often the reaper looks for due timers, expired leases and lost messages.
    "REAPER_INTERVAL": _env_float("STATECRAFT_REAPER_INTERVAL", 0.25),
    # Work nobody picked up for this long is announced again (its message may have been lost).
    "NUDGE_AFTER_SECONDS": _env_float("STATECRAFT_NUDGE_AFTER_SECONDS", 2),
    # ... but at most this often, so a long queue is not flooded with repeats.
    "RESEND_SECONDS": _env_float("STATECRAFT_RESEND_SECONDS", 30),
    # The in-process worker of the embedded mode (threads; 0 turns it off).
    "EMBEDDED_WORKER_THREADS": int(os.environ.get("STATECRAFT_EMBEDDED_WORKER_THREADS", "4") or 0),
    # Modules whose import registers local functions for Task states (comma-separated).
    "FUNCTION_MODULES": [m for m in os.environ.get("STATECRAFT_FUNCTION_MODULES", "").split(",") if m],
    # Private networks and host names HTTP Tasks may reach (public addresses always may).
    "HTTP_ALLOW": [a for a in os.environ.get("STATECRAFT_HTTP_ALLOW", "").split(",") if a],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Linli settings, read from the environment.

A laptop needs nothing set: SQLite under ``var/``, DEBUG on, demo data allowed.
Production sets ``DEBUG=0``, ``SECRET_KEY`` and ``DATABASE_URL=postgres://…``; a missing secret key
with DEBUG off fails at start-up rather than running with a known key.
"""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from linli.env import database_from_url, env_bool, env_fraction, env_int

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LINLI_VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DEBUG", True)
# Demo data and demo passwords exist only in demo mode, and demo mode needs DEBUG.
DEMO_MODE = DEBUG and env_bool("LINLI_DEMO", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "linli-insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

# Residents' phones and two-factor keys are encrypted at rest with a key of their own (people.crypto): 32+ random
# characters, never the SECRET_KEY. Old keys in LINLI_DATA_KEY_FALLBACKS still decrypt until
# `manage.py reencrypt_personal_data` has rewritten every value. Development derives one from SECRET_KEY.
LINLI_DATA_KEY = os.environ.get("LINLI_DATA_KEY", "")
LINLI_DATA_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("LINLI_DATA_KEY_FALLBACKS", "").split(",") if k.strip()
]
if not LINLI_DATA_KEY:
    if DEBUG:
        LINLI_DATA_KEY = "derived-" + hashlib.sha256(f"linli-data-key|{SECRET_KEY}".encode()).hexdigest()
    else:
        raise ImproperlyConfigured("LINLI_DATA_KEY must be set when DEBUG is off: it encrypts phones")
elif not DEBUG and (
    len(LINLI_DATA_KEY) < 32 or LINLI_DATA_KEY.startswith("replace-with") or LINLI_DATA_KEY == SECRET_KEY
):
    raise ImproperlyConfigured(
        "LINLI_DATA_KEY must be 32 or more random characters of its own, not the template's text nor SECRET_KEY"
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "access.admin_config.AdminConfig",  # django.contrib.admin, for the administrator only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "audit",
    "areas",
    "categories",
    "units",
    "people",
    "access",
    "demo",
    "spreadsheets",
    "notifications",
    "appeals",
    "evaluation",
    "needs",
    "projects",
    "notices",
    "deliberation",
    "triage",
    "disputes",
    "open311",
    "sites",
    "activities",
    "visits",
    "campaigns",
    "covenants",
    "councils",
    "estates",
    "streets",
    "compounds",
    "cobuilding",
    "jobs",
    "web",
]

MIDDLEWARE = [
    "linli.logs.RequestLogMiddleware",
    "linli.overload.OverloadMiddleware",
    "linli.error_pages.ErrorPagesMiddleware",
    "linli.inputs.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "linli.security_headers.SecurityHeadersMiddleware",  # CSP (django-csp), Permissions-Policy and the rest
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "access.middleware.StaffIdleTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
    "access.gates.SignInGatesMiddleware",
]

ROOT_URLCONF = "linli.urls"
# Users always see the product's own error pages (linli/error_pages.py); Django's technical pages only for a developer
# who asks for them with DEBUG on.
LINLI_TECHNICAL_ERRORS = DEBUG and env_bool("LINLI_TECHNICAL_ERRORS", False)
CSRF_FAILURE_VIEW = "linli.error_pages.csrf_failure"

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
                "web.context_processors.navigation",
                "people.context_processors.elder_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "linli.wsgi.application"

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'linli.sqlite3'}"), VAR_DIR / "linli.sqlite3"
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A web process and a worker share the file: wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite cannot enforce the NULLS NOT DISTINCT uniqueness of role assignments; access.services.role_grant
# checks it before writing, and PostgreSQL enforces it as well.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# The team's shared data (real resident messages) lies beside the clone; it is read from there, never copied in.
SHARED_DATA_DIR = Path(os.environ.get("LINLI_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))


# Smart triage (智治): where the category model lives, how sure it must be to pre-fill, how duplicates are found.
TRIAGE_MODEL_PATH = Path(os.environ.get("TRIAGE_MODEL_PATH", VAR_DIR / "triage" / "model.joblib"))
TRIAGE_MIN_CONFIDENCE = env_fraction("TRIAGE_MIN_CONFIDENCE", 0.6)
TRIAGE_DUPLICATE_DAYS = env_int("TRIAGE_DUPLICATE_DAYS", 30)
TRIAGE_DUPLICATE_CANDIDATES = env_int("TRIAGE_DUPLICATE_CANDIDATES", 200)
TRIAGE_DUPLICATE_PREFIX = 120
TRIAGE_DUPLICATE_MIN_SCORE = 0.3

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "access.passwords.NotTheCurrentPassword"},
]

# ---- signing in (docs: README "Security") --------------------------------------------------------------------
# Failed logins lock out on every way in (login page, token endpoint, admin): LINLI_LOGIN_FAILURES wrong passwords
# for one account, or from one address and browser, lock it for LINLI_LOCKOUT_MINUTES; the administrator unlocks
# early in the admin (访问尝试) or with `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LINLI_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LINLI_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "access.lockout.lockout_response"
AXES_VERBOSE = False
LINLI_TOKEN_DAYS = env_int("LINLI_TOKEN_DAYS", 30)  # an API token's life
LINLI_STAFF_IDLE_MINUTES = env_int("LINLI_STAFF_IDLE_MINUTES", 30)  # staff signed out after this long idle

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Behind nginx: the internal location that maps to MEDIA_ROOT (e.g. /protected-media/); the scoped photo view
# then answers with X-Accel-Redirect. Empty: Django streams the file itself.
LINLI_MEDIA_ACCEL = os.environ.get("LINLI_MEDIA_ACCEL", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "linli@localhost")
# The site's own address, for links in emails and messages that leave the site (no trailing slash).
LINLI_SITE_URL = os.environ.get("LINLI_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "access.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "linli.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "linli.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "linli.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "linli.inputs.JSONParser",  # refuses NUL characters and runaway nesting with a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Views name their throttle_scope: the token endpoint per address, intake per user.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("LINLI_LOGIN_RATE", "20/min"),
        "intake": os.environ.get("LINLI_INTAKE_RATE", "30/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Linli (邻里) API",
    "DESCRIPTION": "Community governance: areas, units, people, scoped roles and the appeal loop (四单).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files: the platform runs on closed networks.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui-dist",
    "SWAGGER_UI_FAVICON_HREF": "/static/linli.svg",
}

# One JSON object a line in production (LOG_FORMAT=json; linli/logs.py), with a line for every request carrying
# its id, user, path, status and duration; plain text for a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "linli.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "linli.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "linli.request": {"level": os.environ.get("LINLI_REQUEST_LOG_LEVEL", "WARNING" if DEBUG else "INFO")},
    },
}
# /healthz bounds: the overdue sweep must have succeeded within this many minutes, and no task may wait this long
# past its time (a dead worker).
LINLI_HEALTH_SWEEP_MINUTES = env_int("LINLI_HEALTH_SWEEP_MINUTES", 15)
LINLI_HEALTH_WORKER_MINUTES = env_int("LINLI_HEALTH_WORKER_MINUTES", 10)

# ---- production: HTTPS behind nginx (deploy/linli.env.example lists and explains every variable) ---------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("LINLI_BEHIND_PROXY", not DEBUG):  # nginx sets X-Forwarded-Proto; never trust it without a proxy
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the local monitor asks over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# ---- personal data and sign-in (access.gates, audit) -----------------------------------------------------------
LINLI_API_DOCS_PUBLIC = env_bool(
    "LINLI_API_DOCS_PUBLIC", DEBUG
)  # else /api/docs and /api/schema for staff only
LINLI_TWOFACTOR_ADMINS = env_bool("LINLI_TWOFACTOR_ADMINS", not DEMO_MODE)
LINLI_TWOFACTOR_ROLES = [
    r.strip() for r in os.environ.get("LINLI_TWOFACTOR_ROLES", "").split(",") if r.strip()
]
LINLI_PRIVACY_CONSENT = env_bool("LINLI_PRIVACY_CONSENT", not DEMO_MODE)
LINLI_RETENTION_YEARS = env_int("LINLI_RETENTION_YEARS", 3)

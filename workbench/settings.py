"""The one settings module. Every value that varies comes from the environment.

Embedded local mode (no ``DATABASE_URL``): an SQLite file and a generated secret key under
``var/``, and the embedded Redis started by ``manage.py runworkbench``.
Production: ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL`` and ``SECRET_KEY`` are required.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workbench.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WORKBENCH_VAR_DIR", str(BASE_DIR / "var")))

DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = not DATABASE_URL


def _embedded_secret_key() -> str:
    """A per-installation key generated on first use, kept in var/ (never in the repository)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not EMBEDDED:
        raise ImproperlyConfigured("SECRET_KEY is required when DATABASE_URL is set.")
    SECRET_KEY = _embedded_secret_key()

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "accounts.apps.WorkbenchAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "workbench",
    "accounts",
    "claims",
    "sources",
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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"
WSGI_APPLICATION = "workbench.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "workbench" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            # A kept connection is checked before a request reuses it, so a database
            # restart does not turn the first request of every web thread into a 500.
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "workbench.sqlite3",
            "OPTIONS": {
                # WAL lets the web server read while a worker writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, Celery, cache ------------------------------------------------------------------
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
REDIS_URL = env_str("REDIS_URL") or f"redis+socket://{EMBEDDED_REDIS_SOCKET}"

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message not acknowledged within this time is redelivered; the job lease (shorter)
    # and the periodic sweep are what really protect the work, the broker only carries ids.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60),
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "cpu"
CELERY_TASK_ROUTES = {
    "sources.tasks.*": {"queue": "io"},
    "claims.tasks.*": {"queue": "cpu"},
}
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "sweep-fetch-jobs": {
        "task": "sources.tasks.sweep_fetch_jobs",
        "schedule": timedelta(seconds=env_int("SOURCES_SWEEP_SECONDS", 30, minimum=1)),
    },
    "sweep-pending-articles": {
        "task": "claims.tasks.sweep_pending_articles",
        "schedule": timedelta(seconds=60),
    },
}

if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": "workbench",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
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
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"  # a clear, translated message (ui)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not EMBEDDED and not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not EMBEDDED and not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not EMBEDDED and not DEBUG)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 0 if EMBEDDED or DEBUG else 31536000, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # csp.constants.NONCE: django-csp 4 adds the request's nonce (a literal "'nonce'"
        # is an invalid source that browsers ignore).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
# collectstatic's target; the embedded mode serves from the app folders (WhiteNoise finders).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
if EMBEDDED:
    STATIC_ROOT = VAR_DIR / "static"
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = EMBEDDED or DEBUG
STATICFILES_DIRS = [BASE_DIR / "workbench" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not EMBEDDED)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: an unauthenticated request gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # the UI's own calls; CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "workbench.api_throttles.ApiAnonThrottle",
        "workbench.api_throttles.ApiUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "workbench.api_errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": None,  # each list view names its own (cursor) pagination
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
for _scope, _rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items():
    _count, _, _period = _rate.partition("/")
    if not (_count.isdigit() and _period and _period[0] in "smhd"):
        raise ImproperlyConfigured(
            f"API_THROTTLE_{_scope.upper()} must look like '120/minute', not {_rate!r}."
        )
SPECTACULAR_SETTINGS = {
    "TITLE": "Claim-verification workbench API",
    "DESCRIPTION": (
        "Published fact-check verdicts as JSON and schema.org ClaimReview, and the reviewers' "
        "workflow.\n\n"
        "**Authentication**: `Authorization: Bearer <key>` (or `Token <key>`) with a token "
        "issued by an administrator; the token acts with its user's role. The workbench's own "
        "pages use the session (with CSRF). Anonymous clients may read the published feed and "
        "ClaimReview documents unless the operator turned that off.\n\n"
        '**Errors** are always `{"error": {"code", "message", "fields"}}`.\n\n'
        "**Sync**: follow `next` on `/api/v1/claimreviews/` (or `/api/v1/verdicts/`) until it "
        "is null, keep the `resume` link, and fetch it later to get only what changed. "
        "Withdrawn verdicts come back as tombstones (no content) so you can remove them."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VerdictLabelEnum": "claims.models.Verdict.Label",
        "VerdictStatusEnum": "claims.models.Verdict.Status",
        "ClaimStateEnum": "claims.models.Claim.State",
        "ArticleStatusEnum": "claims.models.Article.Status",
        "StanceEnum": "sources.models.Evidence.Stance",
        "FetchJobStatusEnum": "sources.models.FetchJob.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Ingestion and claim extraction ---------------------------------------------------------
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 2_000_000, minimum=1)

# --- Candidate sources ----------------------------------------------------------------------
SOURCES_PROVIDERS = env_list("SOURCES_PROVIDERS", ["wikipedia", "gdelt", "factcheck", "library"])
SOURCES_WIKIPEDIA_LANGS = env_list("SOURCES_WIKIPEDIA_LANGS", ["ar", "en"])
SOURCES_WIKIPEDIA_API = env_str("SOURCES_WIKIPEDIA_API", "https://{lang}.wikipedia.org/w/api.php")
SOURCES_GDELT_API = env_str("SOURCES_GDELT_API", "https://api.gdeltproject.org/api/v2/doc/doc")
SOURCES_FACTCHECK_API = env_str(
    "SOURCES_FACTCHECK_API", "https://factchecktools.googleapis.com/v1alpha1/claims:search"
)
GOOGLE_FACTCHECK_API_KEY = env_str("GOOGLE_FACTCHECK_API_KEY", "")
SOURCES_HTTP_TIMEOUT = env_float("SOURCES_HTTP_TIMEOUT", 10.0, minimum=0.1)
SOURCES_USER_AGENT = env_str(
    "SOURCES_USER_AGENT",
    "ClaimWorkbench/0.1 (claim verification; +https://github.com/)",
)
SOURCES_ALLOW_PRIVATE_NETWORKS = env_bool("SOURCES_ALLOW_PRIVATE_NETWORKS", False)
SOURCES_MAX_PAGE_BYTES = env_int("SOURCES_MAX_PAGE_BYTES", 5_000_000, minimum=1024)
SOURCES_MAX_REDIRECTS = env_int("SOURCES_MAX_REDIRECTS", 5, minimum=0)
SOURCES_JOB_LEASE_SECONDS = env_int("SOURCES_JOB_LEASE_SECONDS", 300, minimum=5)
SOURCES_JOB_MAX_ATTEMPTS = env_int("SOURCES_JOB_MAX_ATTEMPTS", 5, minimum=1)
# Gathering starts by itself for new claims scoring at least this much (0..1).
SOURCES_GATHER_ON_INGEST = env_bool("SOURCES_GATHER_ON_INGEST", True)
SOURCES_GATHER_MIN_SCORE = env_float("SOURCES_GATHER_MIN_SCORE", 0.5, minimum=0.0)
SOURCES_JOB_RETRY_BASE_SECONDS = env_float("SOURCES_JOB_RETRY_BASE_SECONDS", 2.0, minimum=0.0)

# --- Publishing -----------------------------------------------------------------------------
PUBLISHER_NAME = env_str("PUBLISHER_NAME", "Claim-verification workbench")
PUBLISHER_URL = env_str("PUBLISHER_URL", "http://localhost:8000/")
API_ANONYMOUS_READ = env_bool("API_ANONYMOUS_READ", True)
# Seconds the public feed may lag a change (per process; pages stay consistent snapshots).
API_FEED_MAX_STALENESS = env_float("API_FEED_MAX_STALENESS", 1.0, minimum=0.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes announces itself at INFO on every start; keep command output to what matters.
    "loggers": {"axes": {"level": "WARNING"}},
}

# HSTS preloading is a commitment an operator makes for their domain (SECURE_HSTS_PRELOAD);
# its absence is a choice, not a misconfiguration.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

"""Settings for the Kiyose portal: one file, every secret and switch from the environment.

Defaults are the production-safe choice; `make run` turns DEBUG on for local work.
"""

import re
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from whitenoise.compress import Compressor

from kiyose.clientip import parse_networks as _parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _bool(name: str, default: bool) -> bool:
    # django-environ reads any unknown word as False; a typo in DEBUG must not silently change behaviour.
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: '{raw}' is not a boolean (use true/false).")


def _int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: '{raw}' is not an integer.") from None


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] in {"test", "makemigrations"})

DEBUG = _bool("DEBUG", False)

if DEBUG or TESTING:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only-key-kiyose-portal-0000")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "SECRET_KEY: set it in the environment (at least 50 random characters) when DEBUG is off."
        ) from None

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_tasks_db",
    "kiyose",
    "sdgs",
    "inspections",
    "certification",
    "talentbank",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kiyose.urls"
WSGI_APPLICATION = "kiyose.wsgi.application"

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
                "django.template.context_processors.csp",
                "kiyose.context_processors.portal",
            ],
            "builtins": ["kiyose.templatetags.kiyose"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# Embedded default is a SQLite file in the project folder; production and CI set DATABASE_URL (PostgreSQL).
try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL: cannot be parsed ({exc}).") from None
if not DATABASES["default"].get("ENGINE"):
    raise ImproperlyConfigured("DATABASE_URL: unknown scheme (use sqlite:///path or postgres://user@host/db).")
# Measured: a form page served ~110 req/s without persistent connections and ~280 with them (PostgreSQL);
# on SQLite reopening the file and re-running the PRAGMAs per request halves a page's throughput too.
DATABASES["default"]["CONN_MAX_AGE"] = _int("CONN_MAX_AGE", 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------------
try:
    CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://kiyose")}
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"CACHE_URL: cannot be parsed ({exc}).") from None
_LOCMEM = CACHES["default"]["BACKEND"].endswith("LocMemCache")
# Static page chrome (header, navigation, footer) and cached page bodies (kiyose.pagecache) live in process:
# faster than rendering them, and faster than a round trip to Redis.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# --- Auth, staff login lock-out -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = _bool("AXES_ENABLED", True)
# Behind the reverse proxy the client is resolved from X-Forwarded-For (kiyose.clientip): the lock-out, the
# public forms' rate limits and the logs all key on the visitor, never on the proxy.
AXES_CLIENT_IP_CALLABLE = "kiyose.clientip.client_ip"
LOGIN_URL = "admin:login"

# --- Language and time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
# Japanese only until an English catalogue exists: serving Django's own English strings to an English browser
# beside our untranslated Japanese ones would mix the two. Every string is already wrapped for gettext.
LANGUAGES = [("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if DEBUG or TESTING:
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# The PDF font (6 MB) is read from disk, never downloaded: compressing it with brotli made collectstatic, a step
# of every deployment, take ~46 s instead of ~8 s (measured by make e2e on the project's 2-core machine).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf")
# Fonts live in static/fonts; PDF rendering reads them from here, not from a system font package.
PDF_FONT_PATH = BASE_DIR / "static" / "fonts" / "BIZUDMincho-Regular.ttf"

# --- Mail -----------------------------------------------------------------------------------------------
try:
    _email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
except (ImproperlyConfigured, ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"EMAIL_URL: cannot be parsed ({exc}).") from None
_mail_options = {}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": _email.get("EMAIL_HOST") or "localhost",
        "port": _email.get("EMAIL_PORT") or 25,
        "username": _email.get("EMAIL_HOST_USER") or None,
        "password": _email.get("EMAIL_HOST_PASSWORD") or None,
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": 10,
    }
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="清瀬市ポータル <no-reply@city.kiyose.lg.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How often a failed mail is retried by `manage.py mail_retry` before it is left for staff to see.
MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)

# --- Background tasks -----------------------------------------------------------------------------------
# Immediate by default (runs after commit in the same process); production sets TASKS_BACKEND=database
# and runs `manage.py db_worker`.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
_task_backend = env.str("TASKS_BACKEND", default="immediate")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND: '{_task_backend}' is not one of {sorted(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# --- Security -------------------------------------------------------------------------------------------
# On by default in production; a TLS-terminating proxy may switch the redirect off with SECURE_SSL_REDIRECT.
# The test suite's live server speaks plain HTTP, so tests start with them off.
_PROD = not (DEBUG or TESTING)
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", _PROD)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 31536000 if _PROD else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _PROD)
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", _PROD)
SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", _PROD)
CSRF_COOKIE_SECURE = _bool("CSRF_COOKIE_SECURE", _PROD)
# The reverse proxies whose X-Forwarded-For we believe (addresses or CIDR ranges); empty = none, the header is
# ignored and the peer is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
_parse_networks(TRUSTED_PROXIES, setting="TRUSTED_PROXIES")
if _bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day for staff sessions
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
# Rate limits for public forms: django-ratelimit needs a shared cache with atomic increments (Redis).
RATELIMIT_ENABLE = _bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "kiyose.views.ratelimited"
RATELIMIT_IP_META_KEY = "kiyose.clientip.client_ip"
if _LOCMEM:
    # Local memory is per process: acceptable for `make run` and tests, not for production (set CACHE_URL).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- The portal -----------------------------------------------------------------------------------------
PORTAL_NAME = "清瀬市 議会・市役所ポータル"
# The public address; mails sent without a request (reminders, retention notices) build their links on it.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Staff roles: group name → the apps whose model permissions it holds (kiyose.roles syncs them).
PORTAL_ROLES = {
    "議会事務局": ["inspections"],
    "未来創造課": ["sdgs", "certification"],
    "市民協働課": ["talentbank"],
}
# The council office's contact block, as the city's page prints it.
COUNCIL_OFFICE = {
    "name": "清瀬市議会事務局 庶務調査係",
    "postcode": "〒204-8511",
    "address": "東京都清瀬市中里5-842 清瀬市役所4階",
    "phone_direct": "042-497-2566",
    "phone_main": "042-492-5111",
    "fax": "042-495-1189",
}

# inspections (行政視察)
INSPECTIONS_OFFICE_EMAIL = env.str("INSPECTIONS_OFFICE_EMAIL", default="gikai@city.kiyose.lg.jp")
INSPECTIONS_DAILY_CAPACITY = _int("INSPECTIONS_DAILY_CAPACITY", 1)
INSPECTIONS_LEAD_DAYS = _int("INSPECTIONS_LEAD_DAYS", 14)
INSPECTIONS_HORIZON_DAYS = _int("INSPECTIONS_HORIZON_DAYS", 0)  # 0 = no booking horizon
INSPECTIONS_LETTER_PREFIX = env.str("INSPECTIONS_LETTER_PREFIX", default="清議発")
INSPECTIONS_CHAIR_NAME = env.str("INSPECTIONS_CHAIR_NAME", default="")
INSPECTIONS_ICAL_TOKEN = env.str("INSPECTIONS_ICAL_TOKEN", default="")
INSPECTIONS_RATE_LIMIT = env.str("INSPECTIONS_RATE_LIMIT", default="5/h")

# certification (清瀬市SDGs認定証)
CERTIFICATION_CAP = _int("CERTIFICATION_CAP", 30)
CERTIFICATION_NUMBER_FORMAT = env.str("CERTIFICATION_NUMBER_FORMAT", default="清瀬SDGs第{n:03d}号")
CERTIFICATION_VALID_FISCAL_YEARS = _int("CERTIFICATION_VALID_FISCAL_YEARS", 2)
CERTIFICATION_REPORT_GRACE_DAYS = _int("CERTIFICATION_REPORT_GRACE_DAYS", 60)
CERTIFICATION_REMINDER_DAYS = _int("CERTIFICATION_REMINDER_DAYS", 30)
CERTIFICATION_MAYOR_NAME = env.str("CERTIFICATION_MAYOR_NAME", default="")
CERTIFICATION_OFFICE_EMAIL = env.str("CERTIFICATION_OFFICE_EMAIL", default="mirai@city.kiyose.lg.jp")
CERTIFICATION_RATE_LIMIT = env.str("CERTIFICATION_RATE_LIMIT", default="5/h")
# The annual report for fiscal year Y is due on this month-day of the following fiscal year (MM-DD).
CERTIFICATION_REPORT_DUE = env.str("CERTIFICATION_REPORT_DUE", default="05-31")
if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", CERTIFICATION_REPORT_DUE):
    raise ImproperlyConfigured(f"CERTIFICATION_REPORT_DUE: '{CERTIFICATION_REPORT_DUE}' is not MM-DD.")
# Document number prefix on decision notices (e.g. 清未創発第12号).
CERTIFICATION_LETTER_PREFIX = env.str("CERTIFICATION_LETTER_PREFIX", default="清未創発")

# talentbank (市民人材バンク)
TALENTBANK_RETENTION_DAYS = _int("TALENTBANK_RETENTION_DAYS", 3 * 365)
TALENTBANK_NOTICE_DAYS = _int("TALENTBANK_NOTICE_DAYS", 30)
TALENTBANK_OFFICE_EMAIL = env.str("TALENTBANK_OFFICE_EMAIL", default="kyodo@city.kiyose.lg.jp")
TALENTBANK_RATE_LIMIT = env.str("TALENTBANK_RATE_LIMIT", default="5/h")
# How long an e-mail confirmation link stays valid; pending registrations older than TALENTBANK_NOTICE_DAYS
# are erased by `manage.py talentbank_retention`.
TALENTBANK_CONFIRM_DAYS = _int("TALENTBANK_CONFIRM_DAYS", 7)

# sdgs (SDGs未来都市 KPI)
# Public KPI pages are cached until staff change sdgs data; live figures fed by other apps may be this old.
SDGS_PAGE_CACHE_SECONDS = _int("SDGS_PAGE_CACHE_SECONDS", 60)

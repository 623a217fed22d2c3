"""Settings for the Kiyose portal: one file, every secret and switch from the environment.

Defaults are the production-safe choice; `make run` turns DEBUG on for local work.
"""

import functools
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from whitenoise.compress import Compressor

from kiyose.clientip import parse_networks as _parse_networks
from kiyose.envconf import env_bool, env_int, is_ip, is_local_address, passkey_origin
from kiyose.portal import APPS as _PORTAL_APPS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Strict readers: a typo in a switch or a number stops the start with the variable's name (kiyose.envconf).
_bool = functools.partial(env_bool, env)
_int = functools.partial(env_int, env)

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
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "kiyose.apps.AxesConfig",
    "kiyose.apps.TasksDbConfig",
    # Second factor for staff (kiyose.staff): django-otp with TOTP, recovery codes and passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "kiyose.staff",
    "kiyose",
    *_PORTAL_APPS,
]

MIDDLEWARE = [
    "kiyose.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses staff URLs from outside ADMIN_ALLOWED_NETWORKS before a session or the database is touched.
    "kiyose.staff.middleware.AdminNetworkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff session policy (timeouts, sessions ended by a factor change), then the second-factor gate.
    "kiyose.staff.middleware.StaffSessionMiddleware",
    "kiyose.staff.middleware.StaffVerificationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kiyose.middleware.BadInputMiddleware",
    # Who saw whose personal data in the admin (kiyose.accesslog): after the gates above, so refusals never count.
    "kiyose.accesslog.AccessLogMiddleware",
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
    {"NAME": "kiyose.staff.validators.PasswordStrengthValidator"},
]
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Not on the password alone: a correct password followed by wrong codes must keep counting. kiyose.staff resets
# the count once the login is complete (after the second factor, or after the password where none is required).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = _bool("AXES_ENABLED", True)
# Behind the reverse proxy the client is resolved from X-Forwarded-For (kiyose.clientip): the lock-out, the
# public forms' rate limits and the logs all key on the visitor, never on the proxy.
AXES_CLIENT_IP_CALLABLE = "kiyose.clientip.client_ip"
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

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
# Private uploads (personal data): outside static files and public media and served by no URL, so only a view
# that checks the role can hand one out. `manage.py backup` archives every file under it.
PRIVATE_MEDIA_ROOT = BASE_DIR / env.str("PRIVATE_MEDIA_ROOT", default="private")  # a relative path is under BASE_DIR
if any(PRIVATE_MEDIA_ROOT.resolve().is_relative_to(Path(p).resolve()) for p in [STATIC_ROOT, *STATICFILES_DIRS]):
    raise ImproperlyConfigured(f"PRIVATE_MEDIA_ROOT: '{PRIVATE_MEDIA_ROOT}' lies inside the static files.")
# With several app nodes the private uploads live in an S3-compatible object store (django-storages) when
# PRIVATE_S3_BUCKET is set: private objects, signed links never handed out (files are served by our views only).
PRIVATE_S3_BUCKET = env.str("PRIVATE_S3_BUCKET", default="")
_private_storage = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
}
if PRIVATE_S3_BUCKET:
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_S3_BUCKET,
            "endpoint_url": env.str("PRIVATE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PRIVATE_S3_REGION", default="") or None,
            "access_key": env.str("PRIVATE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("PRIVATE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("PRIVATE_S3_PREFIX", default="private").strip("/"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": _private_storage,
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
        # Bounded: the worker, not a visitor, waits for the relay, but a hung relay must not hold it forever.
        "timeout": _int("EMAIL_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="清瀬市ポータル <no-reply@city.kiyose.lg.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How often a failed mail is retried by `manage.py mail_retry` before it is left for staff to see.
MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 8)

# --- Background tasks -----------------------------------------------------------------------------------
# Production: the database backend and `manage.py db_worker`, so no mail is ever sent inside a visitor's
# request (a slow SMTP relay held visitors 20 s and pushed a bulk action past gunicorn's timeout). The
# immediate backend (after commit, in the same process) is for `make run` and the tests only.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
_task_backend = env.str("TASKS_BACKEND", default="immediate" if DEBUG or TESTING else "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND: '{_task_backend}' is not one of {sorted(_TASK_BACKENDS)}.")
if _task_backend == "immediate" and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "TASKS_BACKEND: 'immediate' sends mail inside web requests; with DEBUG off use 'database' and run "
        "`manage.py db_worker`."
    )
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

# Staff who get error reports by mail: "Name <address>, Name <address>".
ADMINS = [
    (name.strip(), address.strip(" >"))
    for entry in env.list("ADMINS", default=[])
    for name, _sep, address in [entry.partition("<")]
]
# One line per request (kiyose.middleware.RequestLogMiddleware) with request id and client address; errors
# (a 500, a mail given up) go to ADMINS by mail and to the error tracker when SENTRY_DSN is set.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The request line is ours; Django's own per-request lines would repeat it without the client.
        "django.server": {"level": "WARNING"},
        "django.request": {"handlers": ["console", "mail_admins"], "level": "WARNING", "propagate": False},
        "kiyose.mail": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # Every PDF would log font subsetting and unsupported-CSS notes at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    # send_default_pii=False: the tracker gets stack traces, never citizens' form data or cookies.
    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0)

# --- The portal -----------------------------------------------------------------------------------------
PORTAL_NAME = "清瀬市 議会・市役所ポータル"
# The public address every link in a mail is built on (also mails sent without a request: reminders,
# retention notices). With DEBUG off it must be set and must not point at this machine.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000" if DEBUG or TESTING else "").rstrip("/")
if not (DEBUG or TESTING):
    _host = (urlsplit(PORTAL_BASE_URL).hostname or "") if PORTAL_BASE_URL else ""
    if not _host or urlsplit(PORTAL_BASE_URL).scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            "PORTAL_BASE_URL: set the portal's public address (e.g. https://portal.city.kiyose.lg.jp); "
            "links in mails are built on it."
        )
    if _host == "localhost" or _host.endswith(".localhost") or is_local_address(_host):
        raise ImproperlyConfigured(
            f"PORTAL_BASE_URL: '{PORTAL_BASE_URL}' points at this machine; mails would carry links nobody can open."
        )
# Whole-response cache of the public pages (kiyose.pagecache); 0 switches it off.
PAGE_CACHE_SECONDS = _int("PAGE_CACHE_SECONDS", 300)
# The contact forms of every area (kiyose.enquiries), per client address.
ENQUIRY_RATE_LIMIT = env.str("ENQUIRY_RATE_LIMIT", default="5/h")
# A query-string or form value longer than this is refused with 400 before any view converts it.
MAX_PARAMETER_LENGTH = _int("MAX_PARAMETER_LENGTH", 20000)

# inspections (行政視察)
# Where the council office's notices (new requests, uploads, withdrawals) go: this address when set, else the
# e-mail staff enter in the council office's contact block (admin: 問い合わせ先), else none (the admin only).
INSPECTIONS_OFFICE_EMAIL = env.str("INSPECTIONS_OFFICE_EMAIL", default="")
INSPECTIONS_DAILY_CAPACITY = _int("INSPECTIONS_DAILY_CAPACITY", 1)
INSPECTIONS_LEAD_DAYS = _int("INSPECTIONS_LEAD_DAYS", 14)
INSPECTIONS_HORIZON_DAYS = _int("INSPECTIONS_HORIZON_DAYS", 0)  # 0 = no booking horizon
INSPECTIONS_LETTER_PREFIX = env.str("INSPECTIONS_LETTER_PREFIX", default="清議発")
INSPECTIONS_CHAIR_NAME = env.str("INSPECTIONS_CHAIR_NAME", default="")
INSPECTIONS_ICAL_TOKEN = env.str("INSPECTIONS_ICAL_TOKEN", default="")
if INSPECTIONS_ICAL_TOKEN and len(INSPECTIONS_ICAL_TOKEN) < 32:
    raise ImproperlyConfigured(
        "INSPECTIONS_ICAL_TOKEN: use at least 32 random characters (python -c 'import secrets; "
        "print(secrets.token_urlsafe(32))'), or leave it empty to switch the feed off."
    )
INSPECTIONS_RATE_LIMIT = env.str("INSPECTIONS_RATE_LIMIT", default="5/h")
# The status page behind the secret link in the acknowledgement: open until this many days after the visit (or
# after a decline or withdrawal), rate-limited per client on every request, uploads up to this size.
INSPECTIONS_STATUS_DAYS_AFTER_VISIT = _int("INSPECTIONS_STATUS_DAYS_AFTER_VISIT", 90)
INSPECTIONS_STATUS_RATE_LIMIT = env.str("INSPECTIONS_STATUS_RATE_LIMIT", default="120/h")
INSPECTIONS_UPLOAD_MAX_BYTES = _int("INSPECTIONS_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
# The daily job (manage.py inspections_reminders) mails this many days before a visit whose documents are missing.
INSPECTIONS_REMINDER_DAYS = _int("INSPECTIONS_REMINDER_DAYS", 10)
for _name in ("INSPECTIONS_STATUS_DAYS_AFTER_VISIT", "INSPECTIONS_UPLOAD_MAX_BYTES", "INSPECTIONS_REMINDER_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name}: must be at least 1.")

# certification (清瀬市SDGs認定証)
CERTIFICATION_CAP = _int("CERTIFICATION_CAP", 30)
CERTIFICATION_NUMBER_FORMAT = env.str("CERTIFICATION_NUMBER_FORMAT", default="清瀬SDGs第{n:03d}号")
CERTIFICATION_VALID_FISCAL_YEARS = _int("CERTIFICATION_VALID_FISCAL_YEARS", 2)
CERTIFICATION_REPORT_GRACE_DAYS = _int("CERTIFICATION_REPORT_GRACE_DAYS", 60)
CERTIFICATION_REMINDER_DAYS = _int("CERTIFICATION_REMINDER_DAYS", 30)
CERTIFICATION_MAYOR_NAME = env.str("CERTIFICATION_MAYOR_NAME", default="")
# An internal mailbox for 未来創造課's notices; empty = the e-mail staff entered in the office's contact block.
CERTIFICATION_OFFICE_EMAIL = env.str("CERTIFICATION_OFFICE_EMAIL", default="")
CERTIFICATION_RATE_LIMIT = env.str("CERTIFICATION_RATE_LIMIT", default="5/h")
# Requests per client to a holder's secret links (annual report, profile), every method counted.
CERTIFICATION_LINK_RATE_LIMIT = env.str("CERTIFICATION_LINK_RATE_LIMIT", default="120/h")
# The annual report for fiscal year Y is due on this month-day of the following fiscal year (MM-DD).
CERTIFICATION_REPORT_DUE = env.str("CERTIFICATION_REPORT_DUE", default="05-31")
if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", CERTIFICATION_REPORT_DUE):
    raise ImproperlyConfigured(f"CERTIFICATION_REPORT_DUE: '{CERTIFICATION_REPORT_DUE}' is not MM-DD.")
# Document number prefix on decision notices (e.g. 清未創発第12号).
CERTIFICATION_LETTER_PREFIX = env.str("CERTIFICATION_LETTER_PREFIX", default="清未創発")

# talentbank (市民人材バンク)
TALENTBANK_RETENTION_DAYS = _int("TALENTBANK_RETENTION_DAYS", 3 * 365)
TALENTBANK_NOTICE_DAYS = _int("TALENTBANK_NOTICE_DAYS", 30)
# Where 市民協働課's notices go: this internal mailbox when set, else the e-mail staff enter in its contact block
# (admin: 問い合わせ先), else none (the admin only). No city document gives an address to default to.
TALENTBANK_OFFICE_EMAIL = env.str("TALENTBANK_OFFICE_EMAIL", default="")
TALENTBANK_RATE_LIMIT = env.str("TALENTBANK_RATE_LIMIT", default="5/h")
# Requests per hour per client to a registrant's own pages (the secret link), against guessing.
TALENTBANK_LINK_RATE_LIMIT = env.str("TALENTBANK_LINK_RATE_LIMIT", default="120/h")
# How long an e-mail confirmation link stays valid; pending registrations older than TALENTBANK_NOTICE_DAYS
# are erased by `manage.py talentbank_retention`.
TALENTBANK_CONFIRM_DAYS = _int("TALENTBANK_CONFIRM_DAYS", 7)

# sdgs (SDGs未来都市 KPI)
# Public KPI pages are cached until staff change sdgs data; live figures fed by other apps may be this old.
SDGS_PAGE_CACHE_SECONDS = _int("SDGS_PAGE_CACHE_SECONDS", 60)
# The evaluation's grades (sdgs/evaluation/rules.py, shown on /sdgs/method/): 達成 at or above the first
# achievement rate (%), 概ね達成 at or above the second, 未達成 below it.
SDGS_GRADE_ACHIEVED = _int("SDGS_GRADE_ACHIEVED", 100)
SDGS_GRADE_MOSTLY = _int("SDGS_GRADE_MOSTLY", 80)

# --- Staff security -------------------------------------------------------------------------------------
# Second factor, admin networks, staff sessions (kiyose.staff; README "Security").
# Every staff URL (the admin and anything else only staff use) lives under these prefixes: the network rule
# and the second-factor gate cover them without any view having to opt in.
STAFF_URL_PREFIXES = ["/admin/"]
# A verified second factor (passkey, authenticator app or recovery code) before any staff URL answers.
# On by default whenever DEBUG is off; `make run` (DEBUG) lets the local admin in with the password alone.
STAFF_MFA_REQUIRED = _bool("STAFF_MFA_REQUIRED", not DEBUG)
# Client networks (CIDR) the admin answers; empty = anywhere. The client is resolved behind TRUSTED_PROXIES.
ADMIN_ALLOWED_NETWORKS = env.list("ADMIN_ALLOWED_NETWORKS", default=[])
_parse_networks(ADMIN_ALLOWED_NETWORKS, setting="ADMIN_ALLOWED_NETWORKS")
STAFF_SESSION_IDLE_MINUTES = _int("STAFF_SESSION_IDLE_MINUTES", 30)
STAFF_SESSION_MAX_HOURS = _int("STAFF_SESSION_MAX_HOURS", 8)
for _name in ("STAFF_SESSION_IDLE_MINUTES", "STAFF_SESSION_MAX_HOURS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name}: must be at least 1.")
# Days the access log of personal data (kiyose.accesslog) is kept; `manage.py accesslog_purge` (daily timer)
# removes older entries. Five years by default.
ACCESS_LOG_RETENTION_DAYS = _int("ACCESS_LOG_RETENTION_DAYS", 1826)
if ACCESS_LOG_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("ACCESS_LOG_RETENTION_DAYS: must be at least 1.")
# zxcvbn score (0–4) a new password must reach.
STAFF_PASSWORD_MIN_SCORE = _int("STAFF_PASSWORD_MIN_SCORE", 3)
if not 0 <= STAFF_PASSWORD_MIN_SCORE <= 4:
    raise ImproperlyConfigured("STAFF_PASSWORD_MIN_SCORE: must be between 0 and 4.")


# The address staff open the admin at; passkeys are bound to its host name (changing it invalidates them).
STAFF_PASSKEY_ORIGIN = env.str("STAFF_PASSKEY_ORIGIN", default=passkey_origin(PORTAL_BASE_URL)).rstrip("/")
_origin = urlsplit(STAFF_PASSKEY_ORIGIN)
_secure = _origin.scheme == "https" or (_origin.scheme == "http" and _origin.hostname == "localhost")
if not _origin.hostname or not _secure or is_ip(_origin.hostname) or _origin.path or _origin.query:
    raise ImproperlyConfigured(
        f"STAFF_PASSKEY_ORIGIN: '{STAFF_PASSKEY_ORIGIN}' must be https://host[:port] (http only for localhost)."
    )
OTP_WEBAUTHN_RP_ID = _origin.hostname
OTP_WEBAUTHN_RP_NAME = PORTAL_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = [STAFF_PASSKEY_ORIGIN]
# Passkeys are the second factor after the password, not a way around it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "kiyose.staff.webauthn.PortalWebAuthnHelper"
# A passkey challenge is refused after this many seconds (the browser's own prompt times out at the same age).
OTP_WEBAUTHN_TIMEOUT_SECONDS = _int("STAFF_PASSKEY_TIMEOUT_SECONDS", 300)
OTP_TOTP_ISSUER = PORTAL_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Recovery codes issued at a time.
STAFF_RECOVERY_CODES = 10

"""ducha settings: one file, driven by environment variables.

DUCHA_DATA_DIR   where the SQLite database, uploads and the generated secret key live (default ./var)
DATABASE_URL     e.g. postgres://user@host:5432/ducha (default: SQLite in the data directory)
SECRET_KEY       generated into the data directory on first run when unset
DEBUG            "1" to turn debug mode on (off by default)
ALLOWED_HOSTS    comma-separated (default: localhost, 127.0.0.1)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DUCHA_DATA_DIR") or BASE_DIR.parent / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # Swagger UI for /api/docs from its own static files, not a CDN
    "ducha.core",  # before auditlog: its `auditlogflush` is replaced by one that refuses
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ducha.regions",
    "ducha.units",
    "ducha.accounts",
    "ducha.projects",
    "ducha.supervision",
    "ducha.indicators",
    "ducha.evaluation",
    "ducha.cockpit",
    "ducha.extraction",
    "ducha.api",
    "ducha.jobs",
]

MIDDLEWARE = [
    "ducha.core.client_address.ClientAddressMiddleware",
    "ducha.core.audit.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ducha.accounts.middleware.AccountSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "ducha.core.audit_traffic.AuditTrafficMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ducha.urls"
WSGI_APPLICATION = "ducha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ducha.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'ducha.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at the same time; IMMEDIATE avoids
        # "database is locked" when two requests upgrade read transactions to writes. A writer waits up to
        # 20 s for the lock; long jobs (the ledger import) hold it for half a second at a time.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
    }

# ---- Read replica (issue 13 §5) ---------------------------------------------------------------------------
# DATABASE_REPLICA_URL          a PostgreSQL streaming standby of DATABASE_URL, e.g. postgres://ducha@10.0.0.12/ducha
#                               (unset: one database). GET and HEAD requests on DUCHA_REPLICA_PATHS read from it;
#                               every write, every other request and sessions, sign-in and audit use the primary
#                               (ducha/core/replica.py, docs/replica.md).
# DUCHA_REPLICA_PATHS           comma-separated path prefixes of the read-only pages
# DUCHA_REPLICA_STICKY_SECONDS  after a write, that browser reads from the primary this long (default 10)
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    # A standby that does not answer is given up on after 3 s (ducha.core.replica then reads from the primary).
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # The test suite has one database: the replica alias reads the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ducha.core.replica.ReplicaRouter"]
DUCHA_REPLICA_PATHS = [
    p.strip() for p in os.environ.get("DUCHA_REPLICA_PATHS", "").split(",") if p.strip()
] or [
    "/cockpit/",
    "/projects/",
    "/units/",
    "/indicators/",
    "/api/",
]
DUCHA_REPLICA_STICKY_SECONDS = int(os.environ.get("DUCHA_REPLICA_STICKY_SECONDS", "10"))
MIDDLEWARE.insert(0, "ducha.core.replica.ReadOnlyRequestMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 等保2.0 level 3 (8.1.4.1): at least 8 characters of 3 of 4 classes, not common, not the user name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ducha.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "ducha.accounts.passwords.NoUsernameValidator"},
]
# Days before a password must be changed again; 0 turns expiry off.
DUCHA_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("DUCHA_PASSWORD_MAX_AGE_DAYS", "90"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 等保2.0 level 3 (8.1.4.1): lock an account out after repeated failures, from whatever address they come,
# and an address after many failures with any user names; failed sign-ins stay on record.
DUCHA_LOCKOUT_MINUTES = int(os.environ.get("DUCHA_LOCKOUT_MINUTES", "30"))
DUCHA_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("DUCHA_LOGIN_IP_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = DUCHA_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by address too: ducha does, with its own, higher limit (DUCHA_LOGIN_IP_FAILURE_LIMIT,
# ducha.accounts.forms.address_failures), so that one office behind one NAT address is not locked by 5 typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000
AXES_CLIENT_IP_CALLABLE = "ducha.core.client_address.client_address"
AXES_VERBOSE = False
# The client's address comes from X-Forwarded-For only when the request arrives from one of these proxies.
DUCHA_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("DUCHA_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# Sessions end after DUCHA_SESSION_IDLE_MINUTES without a request and DUCHA_SESSION_MAX_HOURS after sign-in.
DUCHA_SESSION_IDLE_MINUTES = int(os.environ.get("DUCHA_SESSION_IDLE_MINUTES", "30"))
DUCHA_SESSION_MAX_HOURS = int(os.environ.get("DUCHA_SESSION_MAX_HOURS", "12"))
# 等保2.0 8.1.4.3 / 网络安全法 Art. 21: audit entries are kept at least 180 days (`ducha audit purge` refuses less).
DUCHA_AUDIT_RETENTION_DAYS = int(os.environ.get("DUCHA_AUDIT_RETENTION_DAYS", "365"))
SESSION_COOKIE_AGE = DUCHA_SESSION_MAX_HOURS * 3600

# Each audit entry carries the id of the request that wrote it (X-Request-ID from the proxy, else a new one).
AUDITLOG_CID_GETTER = "ducha.core.audit.request_id"

# The monthly cycle: a month's reports are due by this day of the next month; until then the cockpit, ledger,
# bulletin and evaluation default to the month before (ducha.lib.periods.Period.current).
DUCHA_REPORTING_DEADLINE_DAY = int(os.environ.get("DUCHA_REPORTING_DEADLINE_DAY", "5"))
# The business date for a demo or training installation whose data lie in the past, e.g. "2020-12-20"
# (`ducha demo` sets the Jintan story's date). Unset in production: today is today.
DUCHA_TODAY = os.environ.get("DUCHA_TODAY", "").strip()
# The administrative division this installation serves, by its national code (320413 金坛区; a city 320400, a
# province 320000). Units without a region belong to it; `ducha regions load --within CODE` adds divisions.
DUCHA_HOME_REGION = os.environ.get("DUCHA_HOME_REGION", "320413").strip()
# The office that issues formal orders (提示单, 督办单, 督办函), printed at their head and foot until the office
# saves its own name on the supervision settings page. The district's name comes from DUCHA_HOME_REGION.
DUCHA_OFFICE_NAME = os.environ.get("DUCHA_OFFICE_NAME", "常州市金坛区重点项目督查办公室").strip()
# The bulletin (通报) as a document per GB/T 9704: the issuing office (版头 and 印发 line), the masthead title,
# and the default 主送 and 抄送 lines of its 版记 (the office can change them for each issue when publishing).
DUCHA_BULLETIN_ISSUER = os.environ.get("DUCHA_BULLETIN_ISSUER", "金坛区重点项目推进办公室").strip()
DUCHA_BULLETIN_MASTHEAD = os.environ.get("DUCHA_BULLETIN_MASTHEAD", "重点项目督查通报").strip()
DUCHA_BULLETIN_RECIPIENTS = os.environ.get(
    "DUCHA_BULLETIN_RECIPIENTS", "各镇人民政府、街道办事处，各园区管委会，区各有关部门"
).strip()
DUCHA_BULLETIN_COPIES = os.environ.get(
    "DUCHA_BULLETIN_COPIES", "区委办，区人大办，区政府办，区政协办"
).strip()
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Roles that must sign in with a one-time code. The demo and the tests turn it off (DUCHA_REQUIRE_2FA="").
DUCHA_REQUIRE_2FA = [
    r.strip()
    for r in os.environ.get("DUCHA_REQUIRE_2FA", "sysadmin,secadmin,auditor,office").split(",")
    if r.strip()
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = _env_flag("SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [
    BASE_DIR / "lib" / "locale"
]  # ducha.lib is no app; every app keeps its catalog in <app>/locale
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when it is missing; collectstatic fills it in production
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app directories directly, so `ducha serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ducha@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "ducha": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False}
    },
}

# A problem's default deadline (限期): this many days after the day it was raised.
DUCHA_PROBLEM_DEADLINE_DAYS = int(os.environ.get("DUCHA_PROBLEM_DEADLINE_DAYS", "30"))
# Upload limits (attachments, imports): refuse anything larger with a clear message.
DUCHA_MAX_UPLOAD_BYTES = int(os.environ.get("DUCHA_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
# Rows a ledger import takes at most (checked while the rows are read; a longer file is refused).
DUCHA_IMPORT_MAX_ROWS = int(os.environ.get("DUCHA_IMPORT_MAX_ROWS", "200000"))
# A ledger workbook's size at most: the ledger export is about 17 MB per 100,000 projects, so that a province's
# office can import back what it exported (DUCHA_MAX_UPLOAD_BYTES would refuse 60,000 rows).
DUCHA_MAX_IMPORT_BYTES = int(os.environ.get("DUCHA_MAX_IMPORT_BYTES", str(50 * 1024 * 1024)))
# Attachments live outside MEDIA_ROOT and are served only through access-checked views; behind nginx,
# set the prefix of an `internal` location to let nginx send the file (X-Accel-Redirect).
DUCHA_PRIVATE_ROOT = DATA_DIR / "private"
DUCHA_X_ACCEL_REDIRECT_PREFIX = os.environ.get("DUCHA_X_ACCEL_REDIRECT_PREFIX", "")
# A ledger export of more rows than this is built by `ducha worker` in the background (a job page shows it).
DUCHA_EXPORT_INLINE_ROWS = int(os.environ.get("DUCHA_EXPORT_INLINE_ROWS", "5000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# The project map draws the bundled boundaries and no tiles (intranets are offline). An intranet tile server
# may be named ("https://tiles.example.gov.cn/{z}/{x}/{y}.png"); its origin is then allowed by the CSP.
DUCHA_MAP_TILE_URL = os.environ.get("DUCHA_MAP_TILE_URL", "")
DUCHA_MAP_TILE_ATTRIBUTION = os.environ.get("DUCHA_MAP_TILE_ATTRIBUTION", "")
# The OC4IDS export's project id prefix (a registered "oc4ids-xxxxxx"; default ducha-<home region>) and licence URL.
DUCHA_OC4IDS_PREFIX = os.environ.get("DUCHA_OC4IDS_PREFIX", "").strip()
DUCHA_OC4IDS_LICENSE = os.environ.get("DUCHA_OC4IDS_LICENSE", "").strip()
# Points one map shows at most in its view, the largest projects first (the page says how many more are in the
# view; zooming in shows them).
DUCHA_MAP_MAX_POINTS = int(os.environ.get("DUCHA_MAP_MAX_POINTS", "300"))


def _rates(text: str) -> dict:
    from decimal import Decimal

    pairs = (item.split("=") for item in text.split(",") if item.strip())
    return {code.strip().upper(): Decimal(rate.strip()) for code, rate in pairs}


# Yuan per unit of another currency, used only where sums cross projects of different currencies
# (unit and district totals); every project keeps its own currency. "USD=7.0,EUR=7.8".
DUCHA_EXCHANGE_RATES = _rates(os.environ.get("DUCHA_EXCHANGE_RATES", "USD=7.0,EUR=7.8,HKD=0.9,JPY=0.05"))


# ---- Deployment security (issue 10) ----------------------------------------------------------------------
# Production values are in the README ("Running in production"); with them `ducha check --deploy` is clean.
#
# SECURE_COOKIES=1          session and CSRF cookies only over HTTPS (set above)
# DUCHA_HSTS_SECONDS        Strict-Transport-Security max-age, e.g. 31536000 (default 0: no HSTS header)
# DUCHA_HSTS_INCLUDE_SUBDOMAINS, DUCHA_HSTS_PRELOAD
#                           "1" to add includeSubDomains / preload (default off: both bind the whole government
#                           domain, whose other hosts ducha does not control; so check --deploy's W005 and W021
#                           reminders are silenced and the choice is left to these two variables)
# DUCHA_SSL_REDIRECT=1      redirect plain HTTP to HTTPS (except /healthz, for local monitors)
# DUCHA_TRUSTED_PROXIES     when set, the proxy's X-Forwarded-Proto says whether the request came over HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("DUCHA_HSTS_SECONDS") or "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("DUCHA_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_flag("DUCHA_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = _env_flag("DUCHA_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if os.environ.get("DUCHA_TRUSTED_PROXIES", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W005", "security.W021"]

# Content-Security-Policy (django-csp): no inline script anywhere (page scripts are static files that read
# their data from json_script elements and data- attributes); inline styles stay allowed for ECharts and
# Bootstrap; data: images are Bootstrap's CSS icons (the QR code for two-factor sign-in is inline SVG).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if DUCHA_MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(DUCHA_MAP_TILE_URL.replace("{s}", "*"))  # {s}: the server's subdomains
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware"
)
# Pages, htmx partials and downloads for a signed-in user are never stored by the browser or a proxy.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "ducha.core.middleware.NoStoreForSignedInMiddleware",
)

# Files the process creates in the data directory (SQLite database with its -wal/-shm, attachments, uploads,
# stashed imports) are the service account's alone: 0600 files, 0700 directories. The entry points
# (ducha/cli.py, ducha/wsgi.py) set this umask before the data directory and the secret key are made.
# When nginx sends the attachments (DUCHA_X_ACCEL_REDIRECT_PREFIX), its workers must read them: uploaded files
# are then 0640 in 0750 directories, for nginx's group (see the README); everything else stays private.
os.umask(0o077)
FILE_UPLOAD_PERMISSIONS = 0o640 if DUCHA_X_ACCEL_REDIRECT_PREFIX else 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750 if DUCHA_X_ACCEL_REDIRECT_PREFIX else 0o700

# ---- Robot webhooks (issue 11)
# Origins a unit's group-robot address may use (ducha/supervision/webhooks.py), comma-separated. A bare host allows
# https on 443 only; `http://10.1.2.3:8080` allows exactly that scheme, host and port. The value replaces the
# default: keep the WeCom/DingTalk hosts in it when adding an intranet gateway. The public robot hosts must resolve
# to public addresses; a host the operator lists besides them may resolve to a private one.
DUCHA_WEBHOOK_HOSTS = [
    h.strip()
    for h in os.environ.get("DUCHA_WEBHOOK_HOSTS", "qyapi.weixin.qq.com,oapi.dingtalk.com").split(",")
    if h.strip()
]

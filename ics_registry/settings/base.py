"""Settings shared by every environment. Configuration comes from the environment."""

import datetime
import logging
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from ics_registry import logs

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Django's form widget templates, for the web pages' renderer (web.forms).
    "django.forms",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_celery_beat",
    # Named template fragments ({% partialdef %}) an htmx request re-renders alone.
    "template_partials",
    "django_htmx",
    # Throttles repeated failed sign-ins (AXES_* below).
    "axes",
    # Optional two-step sign-in with an authenticator app (TOTP; web.two_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    # /healthz and /readyz (core.health); the app holds the probes' templates.
    "health_check",
    # Structured logs with a request id carried into Celery tasks (LOGGING below).
    "django_structlog",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp",
    "core",
    "bodies",
    "committees",
    "memberships",
    "decisions",
    "documents",
    "appointments",
    "reminders",
    "reorganisations",
    # A person's right to erasure (privacy.services.person_erase).
    "privacy",
    # Who is an officer of which system (manage.py officer); the demo loader uses it.
    "officers",
    # The top layer: no app imports these.
    "publishing",
    "demo",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the policy too (an SVG opened on its own).
    "csp.middleware.CSPMiddleware",
    # An API body over API_MAX_BODY_BYTES is a 413 in the API's error format, before any
    # other middleware reads it.
    "core.api.limits.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether the session gave a code (django-otp), and, when
    # OTP_REQUIRED_FOR_STAFF, staff sessions without one reach only the two-step page.
    "django_otp.middleware.OTPMiddleware",
    "web.two_factor.StaffTwoStepMiddleware",
    # Binds a request id (and the user's id) to every log line of the request, and to the
    # Celery tasks it sends (django-structlog).
    "django_structlog.middlewares.RequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx: whether a request came from htmx, so a view can answer with a fragment.
    "django_htmx.middleware.HtmxMiddleware",
    # Attaches the signed-in user and the URL to every audit event written in a request.
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with web/locked_out.html.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ics_registry.urls"
WSGI_APPLICATION = "ics_registry.wsgi.application"

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
                "web.context_processors.registry",
            ],
            # Every template may use {% partialdef %} and the web pages' filters
            # (uk_date, administers...) without {% load %}.
            "builtins": [
                "template_partials.templatetags.partials",
                "web.templatetags.web",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that sends no query (ics_registry.postgresql).
        config["ENGINE"] = "ics_registry.postgresql"
    config["ATOMIC_REQUESTS"] = True
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    return config


AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out sign-in before the password is
    # checked. It needs the request, so sign in tests with force_login (or pass request=).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

# An officer is a staff user holding this permission on a system (django-guardian, one
# "Officers: <ICS>" group per system); the API's access rules (core.api.access) read it.
REGISTRY_OFFICER_PERMISSION = "bodies.change_integratedcaresystem"

LOGIN_URL = "web:sign_in"
LOGIN_REDIRECT_URL = "web:overview"
LOGOUT_REDIRECT_URL = "web:overview"

# Five failed sign-ins for one username from one address lock that pair out for 15
# minutes (the page says so, with a 429): a guesser is slowed down, and nobody elsewhere
# can lock an officer out by typing their username. Applies to /sign-in/ and the admin's.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
# Its log lines name the page only, never the username, address or browser (logs hold no
# personal data: LOGGING below).
AXES_CLIENT_STR_CALLABLE = "ics_registry.logs.sign_in_client"

# Two-step sign-in (web.two_factor): optional for each officer, or required of every staff
# user when OTP_REQUIRED_FOR_STAFF. Authenticator apps show the issuer beside the account.
OTP_REQUIRED_FOR_STAFF = env.bool("OTP_REQUIRED_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = "ICS Governance Registry"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (a governance document version's file): a volume in production.
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STATICFILES_DIRS = [BASE_DIR / "static"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A task whose worker died is delivered again; the outbox makes the rerun harmless.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Reminders: links in e-mails and calendar feeds point here; how long a worker may hold
# an outbox e-mail while sending (longer than EMAIL_TIMEOUT) and how often to try.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
REMINDERS_LEASE_SECONDS = env.int("REMINDERS_LEASE_SECONDS", default=300)
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=5)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="ICS Governance Registry <registry@localhost>"
)

# The REST API (/api/v1/): shared behaviour lives in core.api (see its modules).
# The largest JSON body the API reads, and how deeply its arrays and objects may nest
# (core.api.parsers): no record needs more than a few levels or a few kilobytes.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.RegistryPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.RegistryRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANONYMOUS", default="120/minute"),
        "token": env("API_RATE_TOKEN", default="600/minute"),
        "user": env("API_RATE_USER", default="600/minute"),
    },
    # orjson, answering the same bytes as DRF's JSONRenderer (core.api.renderers).
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.RegistryAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICS Governance Registry API",
    "DESCRIPTION": "Who sits on which board of England's integrated care systems, on any "
    "date, and whether the boards comply with their rules. Dates are ISO 8601; "
    "enumerations are lower-case codes with a `<name>_label` beside them. Changing a "
    "record needs its ETag in `If-Match`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation pages load their scripts from this server, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema name per enumeration, wherever it is used.
    "ENUM_NAME_OVERRIDES": {
        "BodyKindEnum": "bodies.models.BodyKind",
        "OrganisationKindEnum": "bodies.models.OrganisationKind",
        "TrustTypeEnum": "bodies.models.TrustType",
        "SystemStatusEnum": "bodies.models.SystemStatus",
        "PlaceGovernanceOptionEnum": "bodies.models.PlaceGovernanceOption",
        "CommitteeKindEnum": "committees.models.CommitteeKind",
        "RoleEnum": "committees.models.Role",
        "ParticipationEnum": "committees.models.Participation",
        "RuleSourceEnum": "committees.models.RuleSource",
        "SeatFlagEnum": "committees.models.SeatFlag",
        "VotingMethodEnum": "committees.models.VotingMethod",
        "RequirementKindEnum": "committees.rules.RequirementKind",
        "SeverityEnum": "committees.rules.Severity",
        "SystemComplianceStatusEnum": "committees.system_rules.SystemComplianceStatus",
        "MembershipStatusEnum": "memberships.models.MembershipStatus",
        "EndReasonEnum": "memberships.models.EndReason",
        "MeetingStatusEnum": "decisions.models.MeetingStatus",
        "AttendanceStatusEnum": "decisions.models.AttendanceStatus",
        "CapacityEnum": "decisions.models.Capacity",
        "FunctionEnum": "decisions.models.Function",
        "InstrumentEnum": "decisions.models.Instrument",
        "PartEnum": "decisions.models.Part",
        "DecisionTypeEnum": "decisions.models.DecisionType",
        "VoteValueEnum": "decisions.models.VoteValue",
        "InterestTypeEnum": "decisions.models.InterestType",
        "ResultEnum": "decisions.rules.Result",
        "ImpactAssessmentEnum": "decisions.models.ImpactAssessment",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "VersionStatusEnum": "documents.models.VersionStatus",
        "MilestoneStatusEnum": "reminders.models.Status",
    },
}

# Logs (django-structlog over structlog): every line a JSON object in production
# (LOG_FORMAT=json, the default there), readable lines in development; each carries the
# request id (the X-Request-ID header is ignored: a client cannot choose it) and the user's
# id, and a Celery task sent during a request logs with the same request id. No IP
# addresses, and never a request body: logs hold no personal data.
LOG_FORMAT = env("LOG_FORMAT", default="console")
logs.configure()
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# One line per request, when it ends (request_finished: path, status, request id, user):
# request_started is logged at DEBUG (REQUEST_LOG_LEVEL=DEBUG shows it). A second line
# per request cost an API request about a millisecond, a fifth of a 304 (issue 13).
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG
# Browser protections on every answer (pages, API, admin, static files). Django's defaults,
# stated because `check --deploy` and the tests rely on them; HSTS and the HTTPS redirect
# are production's (settings/prod.py).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Caches, each process its own: "default" (the API's rate limits) and "derived" (results
# computed from the registry and keyed by its version, e.g. the overview's compliance
# counts, publishing.selectors.compliance_counts, and the API's compliance reports).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "derived": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "derived",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

# Content-Security-Policy (django-csp 4): only this server's own files, never inline
# scripts or styles, so injected markup cannot run or restyle anything. The product works
# offline: every script, stylesheet, font and image is vendored under static/. data: images
# are the icons inside vendored stylesheets (Swagger UI, the admin). A view that needs more
# widens its own policy with csp.decorators.csp_update (ReDoc: ics_registry/api_docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "structlog.stdlib.ProcessorFormatter",
            "processor": "ext://ics_registry.logs.JSON_RENDERER",
            "foreign_pre_chain": "ext://ics_registry.logs.FOREIGN_PRE_CHAIN",
        },
        "console": {
            "()": "structlog.stdlib.ProcessorFormatter",
            "processor": "ext://ics_registry.logs.CONSOLE_RENDERER",
            "foreign_pre_chain": "ext://ics_registry.logs.FOREIGN_PRE_CHAIN",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # One line per request (request_finished, with its status).
        "django_structlog": {"level": env("REQUEST_LOG_LEVEL", default="INFO")},
    },
}

# Audit trail (django-pghistory): database triggers record every insert, update and
# delete of governance data, whatever wrote it (admin, API, bulk update, raw SQL).
import pghistory  # noqa: E402

PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"

"""Settings shared by every environment, read from environment variables.

Local development reads a `.env` file (created by `python3 dev.py run` with
fresh random secrets); production reads the real environment only.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
ENV_FILE = BASE_DIR / ".env"
# Only local development reads .env: a stray file on a server must never
# change production settings (for example relax email verification).
if ENV_FILE.exists() and not os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production"):
    env.read_env(str(ENV_FILE))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Encryption at rest for personal and health-related fields
# (django-fernet-encrypted-fields). The first salt encrypts; all of them, with
# SECRET_KEY and SECRET_KEY_FALLBACKS, decrypt. Rotate with a new salt at the
# head of the list, then `manage.py rotate_encryption_keys`.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT_KEYS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "recoverynet.core",
    "recoverynet.accounts",
    "recoverynet.federation",
    "recoverynet.directory",
    "recoverynet.timebank",
    "recoverynet.outcomes",
    "recoverynet.recoverycapital",
    "recoverynet.volunteering",
    "recoverynet.initiatives",
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
    "allauth.account.middleware.AccountMiddleware",
    "recoverynet.accounts.middleware.RequireMFAForPrivilegedRolesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "recoverynet.core.context_processors.site",
            ],
        },
    },
]
# GOV.UK Frontend markup for every form field (templates/govuk/forms/).
FORM_RENDERER = "recoverynet.core.forms.GovukFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: email is the login, the display name may be a pseudonym.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "recoverynet.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "recoverynet.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[RecoveryNet] "
ACCOUNT_PREVENT_ENUMERATION = True
# Proxies in front of the app that append the client's address to X-Forwarded-For.
# Every per-address limit (logins, the API, change reports) counts by the address
# core.client_address reads with it; 0 trusts no header (a client could otherwise
# name its own address). allauth and REST framework are pointed at it too.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Login throttling: allauth counts failed logins per IP and per account in the
# cache (Redis in production, shared by every app process).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Coordinators' and admins' sessions (they read special-category data) end after
# this long without a request, and this long after signing in, whatever happens.
PRIVILEGED_SESSION_IDLE_SECONDS = env.int("PRIVILEGED_SESSION_IDLE_SECONDS", default=2 * 60 * 60)
PRIVILEGED_SESSION_MAX_AGE_SECONDS = env.int("PRIVILEGED_SESSION_MAX_AGE_SECONDS", default=12 * 60 * 60)
MFA_TOTP_ISSUER = "RecoveryNet"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="RecoveryNet <no-reply@recoverynet.invalid>")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` writes (and WhiteNoise serves from) in production.
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON bodies only, nested at most core.safe_json.MAX_JSON_DEPTH deep, no NUL characters.
    "DEFAULT_PARSER_CLASSES": ["recoverynet.core.parsers.TextOnlyJSONParser"],
    # JSON answers that never contain markup, and the browsable API for people exploring it.
    "DEFAULT_RENDERER_CLASSES": [
        "recoverynet.core.renderers.SafeJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "recoverynet.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "recoverynet.core.api.exception_handler",
    # Requests per client, counted in the cache (Redis in production, so every
    # process shares the count); over the rate: 429 with Retry-After.
    # /api/v1/: "anon" per IP address for the signed out, "user" per person.
    # /openreferral/ (its own views and throttle) counts separately, per person or IP address.
    "DEFAULT_THROTTLE_CLASSES": [
        "recoverynet.core.throttling.AnonRateThrottle",
        "recoverynet.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        "openreferral": env.str("OPENREFERRAL_THROTTLE", default="120/min"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RecoveryNet API",
    "DESCRIPTION": "Networks, recovery settlements, organisations, partnerships and memberships "
    "of the North West recovery federation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Tags and operation ids from the path after /api/v1/ ("networks_list", not "v1_networks_list").
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Every operation's error responses (400, 403, 404, 429), documented once for all.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "recoverynet.core.api_schema.document_error_responses",
    ],
    # Two models have a "status" field: name their enums in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MembershipStatusEnum": "recoverynet.federation.models.Membership.Status",
        "PartnershipStatusEnum": "recoverynet.federation.models.Partnership.Status",
        "MeetingStatusEnum": "recoverynet.directory.models.Meeting.Status",
        "ServiceStatusEnum": "recoverynet.directory.models.Service.Status",
        "PledgeKindEnum": "recoverynet.initiatives.models.Pledge.Kind",
        "InitiativeKindEnum": "recoverynet.initiatives.models.Initiative.Kind",
        "InitiativeStatusEnum": "recoverynet.initiatives.models.Initiative.Status",
        "TeamMemberRoleEnum": "recoverynet.initiatives.models.TeamMember.Role",
        "RoleEnum": "recoverynet.federation.models.Membership.Role",
        "TimebankPostKindEnum": "recoverynet.timebank.models.Post.Kind",
        "VolunteeringSignUpStatusEnum": "recoverynet.volunteering.models.SignUp.Status",
        "VolunteeringShiftKindEnum": "recoverynet.volunteering.models.Shift.Kind",
        "VolunteeringShiftPerEnum": "recoverynet.volunteering.models.Shift.Per",
        "VolunteeringJobOutcomeStatusEnum": "recoverynet.volunteering.models.JobOutcome.Status",
        "VolunteeringJobKindEnum": "recoverynet.volunteering.models.Job.Kind",
    },
}

# A nightly feed re-import that would remove more than this share of the feed's meetings
# is held for a coordinator's review instead of being applied.
FEED_IMPORT_MAX_REMOVAL_SHARE = env.float("FEED_IMPORT_MAX_REMOVAL_SHARE", default=0.2)
# The time bank (recoverynet/timebank): an exchange neither confirmed nor disputed this many days
# after it was recorded is confirmed by `manage.py timebank_auto_confirm` (the receiver is
# reminded 3 days before); and the hourly rate its reports value an hour of time at (the UK
# National Living Wage for people 21 and over from April 2026), printed beside the estimate.
TIMEBANK_AUTO_CONFIRM_DAYS = env.int("TIMEBANK_AUTO_CONFIRM_DAYS", default=14)
# How many reports (core.moderation) one person may send in an hour, over every app.
MODERATION_REPORTS_PER_HOUR = env.int("MODERATION_REPORTS_PER_HOUR", default=10)
TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP = env.str("TIMEBANK_SOCIAL_VALUE_HOURLY_RATE_GBP", default="12.71")
# The site's address as people reach it, for links in emails sent outside a request (tasks).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}

# Content Security Policy (django-csp 4): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("MAP_TILE_HOSTS", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Map tiles: empty means no tile layer (markers on a plain background), so a
# deployment chooses and attributes its tile provider.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")

# Optional online geocoder for full postcodes (postcodes.io-compatible, e.g.
# https://api.postcodes.io/postcodes). Empty = off: the offline gazetteer's
# postcode districts are used. Never called in tests.
POSTCODE_GEOCODER_URL = env.str("POSTCODE_GEOCODER_URL", default="")

# The Meeting Guide feed's body is cached under its ETag (a meeting or location
# change makes a new key at once); this bounds how long a renamed network or
# fellowship takes to show in it.
FEED_CACHE_SECONDS = env.int("FEED_CACHE_SECONDS", default=300)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Never put personal data in logs: request bodies and SQL are not logged, and
# the filter scrubs request details from error reports.
DEFAULT_EXCEPTION_REPORTER_FILTER = "recoverynet.core.logging.PersonalDataSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "recoverynet.core.logging.PersonalDataSafeExceptionReporter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"withhold_database_details": {"()": "recoverynet.core.logging.WithholdDatabaseErrorDetails"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["withhold_database_details"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # allauth logs the email address of failed logins at INFO.
        "allauth": {"level": "WARNING"},
    },
}

FEDERATION_NAME = env.str("FEDERATION_NAME", default="North West Recovery Federation")
# Shown in the privacy notice and accessibility statement; each deployment sets its own.
DATA_CONTROLLER = env.str("DATA_CONTROLLER", default="")
DATA_PROTECTION_OFFICER = env.str("DATA_PROTECTION_OFFICER", default="")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="")
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="")

"""Production: every secret and host comes from the environment; HTTPS only.

Required: DJANGO_SECRET_KEY, FIELD_ENCRYPTION_SALT_KEYS, DJANGO_ALLOWED_HOSTS.
Expected: DATABASE_URL (PostgreSQL), CACHE_URL (Redis), EMAIL_URL, DEFAULT_FROM_EMAIL.
The app processes are stateless (sessions and throttling live in Redis and the
database), so any number of gunicorn processes can run behind a proxy that
terminates TLS and sets X-Forwarded-Proto.
"""

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, DATABASES, DEFAULT_FROM_EMAIL, env

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# Persistent connections, checked before reuse (behind PgBouncer in
# transaction mode, set DJANGO_CONN_MAX_AGE=0).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health checks from the proxy or a monitor on the host may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The TLS-terminating proxy must set (and never pass through) X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# A sign-in lasts two weeks at most ("remember me" unticked: until the browser closes).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Redis shared by every app process: cache, sessions and login throttling.
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1")}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# EMAIL_URL, for example smtp+tls://user:password@smtp.example.org:587
# (EMAIL_BACKEND overrides the backend, e.g. for a provider's API backend).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = 10

# Background work (feed re-imports, emails) queues in the database and runs in
# `manage.py db_worker` processes beside the web processes.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

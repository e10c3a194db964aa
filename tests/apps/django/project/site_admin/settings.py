"""A stock Django admin for clickpath's tests: nothing but django.contrib.

Only loopback is allowed. The database is a throwaway SQLite file whose path
tests/django_admin.rs gives in CLICKPATH_DJANGO_DB (a temporary directory).
DEBUG is off, as in production: runserver --insecure serves the admin's
static files (its CSS uppercases some texts, which is part of the point).
"""
import os

SECRET_KEY = os.environ.get("CLICKPATH_DJANGO_SECRET_KEY", "clickpath-test-only-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
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

ROOT_URLCONF = "site_admin.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # tests/django_drift.rs serves a vendor release's template changes
        # from here, ahead of the admin's own templates.
        "DIRS": [d for d in [os.environ.get("CLICKPATH_DJANGO_TEMPLATES")] if d],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "site_admin.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("CLICKPATH_DJANGO_DB", "/nonexistent/set-CLICKPATH_DJANGO_DB"),
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

"""Settings for the django-helpdesk test site.

Everything that changes per run comes from the environment, set by serve.py before Django starts:

    HDSITE_DIR        a fresh temporary directory: the SQLite database and uploaded attachments
    HDSITE_SMTP_PORT  optional: send the help desk's e-mail to an SMTP server on 127.0.0.1:PORT
                      (simsuite's --smtp-port); without it, each message is written as a file into
                      HDSITE_DIR/mail (Django's file backend) and goes nowhere

The public portal, ticket lookup and the knowledge base are on, as a company that lets customers
submit tickets without an account would run it; pinax-teams is off (it is an optional extra).
"""

import os
import tempfile
from pathlib import Path

_DIR = Path(os.environ.get("HDSITE_DIR") or Path(tempfile.gettempdir()) / "hdsite")

SECRET_KEY = "simsuite-realapps-helpdesk-not-a-secret"
DEBUG = os.environ.get("HDSITE_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
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

ROOT_URLCONF = "hdsite.urls"
WSGI_APPLICATION = "hdsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(_DIR / "helpdesk.sqlite3")}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
SITE_ID = 1

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = str(_DIR / "media")

# django-helpdesk: the public portal as a small company runs it
HELPDESK_PUBLIC_ENABLED = True
HELPDESK_VIEW_A_TICKET_PUBLIC = True
HELPDESK_SUBMIT_A_TICKET_PUBLIC = True
HELPDESK_KB_ENABLED = True
HELPDESK_TEAMS_MODE_ENABLED = False        # pinax-teams is an optional extra
HELPDESK_USE_CDN = False                   # offline: bootstrap, jQuery and Font Awesome from the package
HELPDESK_REDIRECT_TO_LOGIN_BY_DEFAULT = False
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"

# E-mail never leaves the machine
DEFAULT_FROM_EMAIL = "support@helpdesk.example.com"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("HDSITE_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["HDSITE_SMTP_PORT"])
    EMAIL_TIMEOUT = 5
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"   # one file per message, nothing sent
    EMAIL_FILE_PATH = str(_DIR / "mail")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]   # fast start; test data only
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"stderr": {"class": "logging.StreamHandler"}},
           "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}}}

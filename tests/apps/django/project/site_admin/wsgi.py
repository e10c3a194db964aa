"""WSGI entry point (unused by the test, which runs `manage.py runserver`)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_admin.settings")
application = get_wsgi_application()

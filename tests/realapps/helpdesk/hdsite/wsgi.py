import os

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hdsite.settings")
# Static files (bootstrap, Font Awesome's icon font) come from the installed apps, as runserver serves them.
application = StaticFilesHandler(get_wsgi_application())

import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # before the data directory exists: its files 0600, directories 0700 (settings.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
application = get_wsgi_application()

"""A minimal Django project that serves django-helpdesk's public portal (see ../serve.py)."""

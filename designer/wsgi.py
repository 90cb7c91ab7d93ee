"""WSGI entry point. In the embedded mode the server process also runs the Celery worker."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

application = get_wsgi_application()

from designer import embedded  # noqa: E402  (needs the configured app)

embedded.start_if_embedded()

"""ASGI entry point. In the embedded mode the server process also runs the Celery worker."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

application = get_asgi_application()

from designer import embedded  # noqa: E402  (needs the configured app)

embedded.start_if_embedded()

"""The Celery app. Workers: `celery -A designer worker`; each also runs the reaper (designer.reaper)."""

import os

from celery import Celery

from designer.reaper import ReaperStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")

app = Celery("designer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["worker"].add(ReaperStep)

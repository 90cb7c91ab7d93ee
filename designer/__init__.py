"""Statecraft's Django project and app: drafts, versions and durable executions on the engine."""

from designer.celery import app as celery_app

__all__ = ["celery_app"]

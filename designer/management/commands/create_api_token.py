"""`python manage.py create_api_token USERNAME`: print a new API token for scripts (shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from designer.services import api_tokens


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it; send it as 'Authorization: Token <token>'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--label", default="", help="A note to tell this token from others.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}. Create one with createsuperuser.")
        token = api_tokens.issue(user, options["label"])
        self.stdout.write(token)

"""Create the local development admin account once, and say how to log in.

Refuses to run with DEBUG off: a production site never gets a known password.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = os.environ.get("DEV_ADMIN_USER", "admin")
PASSWORD = os.environ.get("DEV_ADMIN_PASSWORD", "copaperu-admin")


class Command(BaseCommand):
    help = "Create a local superuser for development (DEBUG only) and print how to log in."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin only runs with DEBUG on (development).")
        users = get_user_model()
        if users.objects.filter(username=USERNAME).exists():
            self.stdout.write(f"Admin account '{USERNAME}' already exists.")
        else:
            users.objects.create_superuser(USERNAME, f"{USERNAME}@localhost", PASSWORD)
            self.stdout.write(self.style.SUCCESS(f"Created admin account '{USERNAME}'."))
        self.stdout.write(f"Log in at /admin/ as '{USERNAME}' with password '{PASSWORD}'.")

"""``manage.py officer USERNAME --system CODE``: make a user a governance officer of systems.

The operations engineer's way to create the first officers and grant or take back the
systems they keep, without the admin (README "Production"). Idempotent: a second run
changes nothing and says so.
"""

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from officers.services import (
    Changes,
    officer_grant,
    officer_revoke,
    officer_user,
    systems_by_code,
)

PASSWORD_VARIABLE = "OFFICER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Make USERNAME a governance officer of the systems given with --system (ODS codes), "
        "creating the user when missing, or take systems back with --revoke. "
        f"A new user's password comes from the {PASSWORD_VARIABLE} environment variable, "
        "else a prompt; with neither the user can sign in only after an administrator sets one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--system",
            action="append",
            default=[],
            metavar="CODE",
            help="a system the officer keeps (repeat for several)",
        )
        parser.add_argument(
            "--revoke",
            action="append",
            default=[],
            metavar="CODE",
            help="a system to take back (repeat for several)",
        )
        parser.add_argument("--email", default="", help="the new user's e-mail address")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="never prompt"
        )

    def handle(self, *args, username, system, revoke, email, interactive, **options):
        if not system and not revoke:
            raise CommandError("Give at least one --system CODE to grant or --revoke CODE.")
        both = {c.upper() for c in system} & {c.upper() for c in revoke}
        if both:
            raise CommandError(f"{', '.join(sorted(both))}: both granted and revoked.")
        try:
            granted = systems_by_code(system) if system else []
            revoked = systems_by_code(revoke) if revoke else []
            with transaction.atomic():
                changes = Changes()
                if granted:
                    user = officer_user(
                        username,
                        email=email,
                        password=lambda: self._password(username, interactive),
                        changes=changes,
                    )
                else:
                    user = get_user_model().objects.filter(username=username).first()
                    if user is None:
                        raise ValidationError(f"No user is called {username!r}: nothing to revoke.")
                if granted:
                    officer_grant(user, granted, changes)
                if revoked:
                    changes.revoked = officer_revoke(user, revoked).revoked
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self._report(username, changes)

    def _password(self, username: str, interactive: bool) -> str | None:
        """A new officer's password, asked only when the user is created."""
        password = os.environ.get(PASSWORD_VARIABLE)
        if password or not interactive:
            return password or None
        from getpass import getpass

        password = getpass(f"Password for the new officer {username}: ")
        if password != getpass("Again: "):
            raise CommandError("The passwords differ; nothing was changed.")
        return password or None

    def _report(self, username: str, changes: Changes) -> None:
        if changes.user_created:
            self.stdout.write(f"Created the officer {username}.")
        for name in changes.created_groups:
            self.stdout.write(f"Created the group {name!r}.")
        for name in changes.updated_groups:
            self.stdout.write(f"Updated the group {name!r}.")
        if changes.granted:
            self.stdout.write(f"{username} now keeps {', '.join(changes.granted)}.")
        if changes.revoked:
            self.stdout.write(f"{username} no longer keeps {', '.join(changes.revoked)}.")
        if not changes:
            self.stdout.write(f"Nothing to change: {username} already is as asked.")

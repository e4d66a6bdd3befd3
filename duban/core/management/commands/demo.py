"""`duban demo`: load the demo bureau once. `--reset` wipes the database (change log included) first."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duban.audit import triggers
from duban.audit.context import change_context
from duban.org.demo import DEMO_PASSWORD
from duban.org.models import Unit

# Each module adds its own demo data after the organisation; order matters.
BUILDERS = [
    "duban.org.demo.build",
    "duban.assessment.demo.build",
    "duban.projects.demo.build",
    "duban.supervision.demo.build",
]


class Command(BaseCommand):
    help = "Load the demo bureau (某县住房和城乡建设局). Never loads over existing data."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Erase the whole database first.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing (quietly) if data exists."
        )
        parser.add_argument("--noinput", action="store_true", help="Do not ask before --reset.")

    def handle(self, *args, reset: bool, if_empty: bool, noinput: bool, **options):
        if reset:
            if not noinput:
                answer = input(
                    _(
                        "This erases the whole database, the change log included. Type yes to continue: "
                    )
                )
                if answer.strip().lower() != "yes":
                    raise CommandError(_("Cancelled."))
            triggers.remove(connection)
            try:
                call_command("flush", interactive=False, verbosity=0)
            finally:
                triggers.install(connection)
        elif Unit.objects.exists():
            if if_empty:
                self.stdout.write(
                    _("The demo data already exists and was not loaded again. Demo password: %(p)s")
                    % {"p": DEMO_PASSWORD}
                )
                return
            raise CommandError(
                _(
                    "The database already holds data; the demo is never loaded over it. Use duban demo --reset to rebuild it."
                )
            )
        accounts = []
        with change_context("command:demo"), transaction.atomic():
            for path in BUILDERS:
                result = import_string(path)()
                accounts.extend(result or [])
        self._print(accounts)

    def _print(self, accounts):
        self.stdout.write(
            self.style.SUCCESS(_("Demo data loaded: %(n)d accounts.") % {"n": len(accounts)})
        )
        self.stdout.write(_("Password of every demo account: %(p)s") % {"p": DEMO_PASSWORD})
        fixed = {"director", "office", "sysadmin", "secadmin", "auditor"}
        for username, name, role in accounts:
            if username in fixed:
                self.stdout.write(f"  {username:<14} {name:<8} {role}")
        self.stdout.write(_("Other accounts (pinyin user names):"))
        for username, name, role in accounts:
            if username not in fixed:
                self.stdout.write(f"  {username:<14} {name:<8} {role}")

from django.core.management.base import BaseCommand

from duban.audit.context import change_context
from duban.core.scans import run_all


class Command(BaseCommand):
    help = "Run the periodic scan once (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        with change_context("command:tick"):
            results = run_all()
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")

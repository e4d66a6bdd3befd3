"""`duban serve`: the web server on 127.0.0.1:8000 and the worker beside it (what `make run` starts)."""

from __future__ import annotations

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from duban.org.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Serve the platform with gunicorn and run the worker; stop both with Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind: str, workers: int, **options):
        worker = subprocess.Popen([sys.executable, "-m", "duban.manage", "worker"])
        web_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "duban.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        if settings.DEBUG:
            web_command = [sys.executable, "-m", "duban.manage", "runserver", bind, "--noreload"]
        web = subprocess.Popen(web_command)
        self.stdout.write(
            self.style.SUCCESS(_("Duban is running at http://%(bind)s/") % {"bind": bind})
        )
        self.stdout.write(
            _("Demo accounts: director, office, sysadmin, secadmin, auditor; password %(p)s")
            % {"p": DEMO_PASSWORD}
        )
        self.stdout.write(_("Press Ctrl+C to stop."))

        def forward(signum, frame):
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        try:
            web.wait()
        finally:
            forward(signal.SIGTERM, None)
            worker.wait(timeout=15)

"""`duban serve`: the web server on 127.0.0.1:8000 and the worker beside it (what `make run` starts)."""

from __future__ import annotations

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform with gunicorn and run the worker; stop both with Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, bind: str, workers: int, **options):
        worker = subprocess.Popen([sys.executable, "-m", "duban.manage", "worker"])
        web_command = [
            sys.executable, "-m", "gunicorn", "duban.config.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--access-logfile", "-",
        ]
        if settings.DEBUG:
            web_command = [sys.executable, "-m", "duban.manage", "runserver", bind, "--noreload"]
        web = subprocess.Popen(web_command)
        self.stdout.write(self.style.SUCCESS(f"督办平台已启动：http://{bind}/"))
        self.stdout.write("演示账户：director（局长）、office（督查室）、sysadmin、secadmin、auditor，密码 Duban@2026")
        self.stdout.write("按 Ctrl+C 停止。")

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

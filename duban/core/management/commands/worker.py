"""`duban worker`: the job queue (django-tasks database worker) plus the periodic scan."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from duban.audit.context import change_context
from duban.core.scans import run_all


class Command(BaseCommand):
    help = "Run background jobs and, every DUBAN_TICK_INTERVAL_SECONDS, the periodic scan."

    def handle(self, *args, **options):
        # The queue worker runs as a child process so a crash in a job never stops the scan, and back.
        queue = subprocess.Popen(
            [sys.executable, "-m", "duban.manage", "db_worker", "--interval", "1"]
        )
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"worker: job queue pid {queue.pid}, scan every {settings.TICK_INTERVAL_SECONDS}s"
        )
        next_tick = 0.0
        try:
            while not stopping:
                if queue.poll() is not None:
                    self.stderr.write("worker: job queue exited; restarting it")
                    queue = subprocess.Popen(
                        [sys.executable, "-m", "duban.manage", "db_worker", "--interval", "1"]
                    )
                if time.monotonic() >= next_tick:
                    with change_context("command:worker"):
                        run_all()
                    next_tick = time.monotonic() + settings.TICK_INTERVAL_SECONDS
                time.sleep(1)
        finally:
            queue.terminate()
            try:
                queue.wait(timeout=10)
            except subprocess.TimeoutExpired:
                queue.kill()

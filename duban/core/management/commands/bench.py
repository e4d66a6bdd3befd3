from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment

from duban.core import bench


class Command(BaseCommand):
    help = "Run the benchmarks: the working-day calendar, and pages in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-pages", action="store_true", help="Only the pure-function benchmarks."
        )

    def handle(self, *args, skip_pages: bool, **options):
        rows = bench.calendar_benchmarks()
        from duban.supervision.bench import similarity_benchmark

        rows += similarity_benchmark()
        if not skip_pages:
            setup_test_environment()
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                rows += bench.page_benchmarks()
                from duban.assessment.bench import scoreboard_benchmarks

                rows += scoreboard_benchmarks()
                from duban.projects.bench import battlemap_benchmark

                rows += battlemap_benchmark()
                from duban.supervision.bench_pages import supervision_benchmarks

                rows += supervision_benchmarks()
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
                teardown_test_environment()
        width = max(len(name) for name, _, _ in rows)
        for name, value, unit in rows:
            self.stdout.write(f"{name:<{width}}  {value:9.2f} {unit}")

"""`duban demo`: load the demo bureau once. `--reset` wipes the database (change log included) first."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from duban.audit import triggers
from duban.audit.context import change_context
from duban.org.models import Unit

# Each module adds its own demo data after the organisation; order matters.
BUILDERS = ["duban.org.demo.build"]


class Command(BaseCommand):
    help = "Load the demo bureau (某县住房和城乡建设局). Never loads over existing data."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Erase the whole database first.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing (quietly) if data exists.")
        parser.add_argument("--noinput", action="store_true", help="Do not ask before --reset.")

    def handle(self, *args, reset: bool, if_empty: bool, noinput: bool, **options):
        if reset:
            if not noinput:
                answer = input("这将清空整个数据库（包括审计日志），确定吗？输入 yes 继续：")
                if answer.strip().lower() != "yes":
                    raise CommandError("已取消。")
            triggers.remove(connection)
            try:
                call_command("flush", interactive=False, verbosity=0)
            finally:
                triggers.install(connection)
        elif Unit.objects.exists():
            if if_empty:
                self.stdout.write("演示数据已存在，未重复加载。演示密码：Duban@2026")
                return
            raise CommandError("数据库中已有数据，不会覆盖。要重建演示数据请用 duban demo --reset。")
        accounts = []
        with change_context("command:demo"), transaction.atomic():
            for path in BUILDERS:
                result = import_string(path)()
                accounts.extend(result or [])
        self._print(accounts)

    def _print(self, accounts):
        from duban.org.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"演示数据已加载：{len(accounts)} 个账户。"))
        self.stdout.write(f"所有演示账户的密码：{DEMO_PASSWORD}")
        fixed = {"director", "office", "sysadmin", "secadmin", "auditor"}
        for username, name, role in accounts:
            if username in fixed:
                self.stdout.write(f"  {username:<14} {name:<8} {role}")
        self.stdout.write("其他账户（拼音用户名）：")
        for username, name, role in accounts:
            if username not in fixed:
                self.stdout.write(f"  {username:<14} {name:<8} {role}")

"""The demo bureau: 某县住房和城乡建设局 under 某县考核办, its sections, leaders and staff.

Deterministic: the same names and usernames every time, so documentation and tests can rely on them.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.org import services
from duban.org.choices import UnitKind
from duban.org.models import LeaderAssignment, Person, Section, Unit

DEMO_PASSWORD = "Duban@2026"

# (surname, pinyin)
SURNAMES = [
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("赵", "zhao"),
    ("黄", "huang"),
    ("周", "zhou"),
    ("吴", "wu"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("胡", "hu"),
    ("朱", "zhu"),
    ("高", "gao"),
    ("林", "lin"),
    ("何", "he"),
    ("郭", "guo"),
    ("马", "ma"),
    ("罗", "luo"),
    ("梁", "liang"),
    ("宋", "song"),
    ("郑", "zheng"),
    ("谢", "xie"),
    ("韩", "han"),
    ("唐", "tang"),
    ("冯", "feng"),
    ("于", "yu"),
    ("董", "dong"),
    ("萧", "xiao"),
]
GIVEN = [
    ("建国", "jianguo"),
    ("晓明", "xiaoming"),
    ("丽娟", "lijuan"),
    ("志强", "zhiqiang"),
    ("海燕", "haiyan"),
    ("文博", "wenbo"),
    ("秀英", "xiuying"),
    ("国华", "guohua"),
    ("静", "jing"),
    ("伟", "wei"),
    ("磊", "lei"),
    ("婷", "ting"),
    ("红梅", "hongmei"),
    ("永刚", "yonggang"),
    ("春燕", "chunyan"),
    ("德明", "deming"),
    ("雪梅", "xuemei"),
    ("振华", "zhenhua"),
    ("思远", "siyuan"),
    ("佳怡", "jiayi"),
    ("建军", "jianjun"),
    ("玉兰", "yulan"),
    ("子豪", "zihao"),
    ("欣然", "xinran"),
    ("浩", "hao"),
    ("敏", "min"),
    ("立新", "lixin"),
    ("翠花", "cuihua"),
    ("俊杰", "junjie"),
    ("宏伟", "hongwei"),
    ("艳", "yan"),
    ("鹏", "peng"),
    ("小红", "xiaohong"),
    ("天宇", "tianyu"),
    ("桂芳", "guifang"),
]

# (name, chief title, staff count, phone)
SECTIONS = [
    ("办公室", "主任", 6, "0000-6201001"),
    ("计划财务股", "股长", 4, "0000-6201002"),
    ("建筑业管理股", "股长", 5, "0000-6201003"),
    ("质量安全监督站", "站长", 7, "0000-6201004"),
    ("城市建设股", "股长", 6, "0000-6201005"),
    ("村镇建设股", "股长", 5, "0000-6201006"),
    ("房地产市场监管股", "股长", 4, "0000-6201007"),
    ("住房保障股", "股长", 5, "0000-6201008"),
    ("燃气管理股", "股长", 4, "0000-6201009"),
    ("人居环境股", "股长", 4, "0000-6201010"),
    ("行政审批股", "股长", 4, "0000-6201011"),
    ("城建档案馆", "馆长", 3, "0000-6201012"),
]
# (position, sections led)
LEADERS = [
    ("党组成员、副局长", ["办公室", "计划财务股", "城建档案馆"]),
    ("副局长", ["建筑业管理股", "质量安全监督站"]),
    ("副局长", ["城市建设股", "人居环境股"]),
    ("副局长", ["村镇建设股", "住房保障股", "房地产市场监管股"]),
    ("总工程师", ["燃气管理股", "行政审批股"]),
]
STAFF_POSITIONS = ["副股长", "科员", "科员", "工程师", "助理工程师", "办事员"]


class NameMaker:
    def __init__(self, seed: int = 2026) -> None:
        self.random = random.Random(seed)
        self.used_names: set[str] = set()
        self.used_usernames = {"director", "office", "sysadmin", "secadmin", "auditor"}

    def make(self) -> tuple[str, str]:
        while True:
            surname, sp = self.random.choice(SURNAMES)
            given, gp = self.random.choice(GIVEN)
            name = surname + given
            if name in self.used_names:
                continue
            self.used_names.add(name)
            username = sp + gp
            suffix = 2
            while username in self.used_usernames:
                username = f"{sp}{gp}{suffix}"
                suffix += 1
            self.used_usernames.add(username)
            return name, username


def _phone(rng: random.Random) -> str:
    return "13" + "".join(str(rng.randint(0, 9)) for _ in range(9))


_PASSWORD_HASH: list[str] = []


def _account(username: str, name: str, role: str) -> User:
    # Hashing is deliberately slow (PBKDF2, 10^6 rounds); hash the shared demo password once.
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(make_password(DEMO_PASSWORD))
    user = User(username=username, name=name, role=role, password=_PASSWORD_HASH[0])
    user.password_changed_at = timezone.now()
    user.save()
    return user


def build(stdout=None) -> list[tuple[str, str, str]]:
    """Create the demo organisation. Returns (username, name, role label) of every account."""
    names = NameMaker()
    rng = random.Random(7)
    accounts: list[tuple[str, str, str]] = []

    def person(unit, section, name, position, user=None, order=100):
        return Person.objects.create(
            unit=unit,
            section=section,
            name=name,
            position=position,
            phone=_phone(rng),
            user=user,
            sort_order=order,
        )

    assessor = Unit.objects.create(
        name="某县考核办", short_name="县考核办", code="KHB", kind=UnitKind.ASSESSOR
    )
    bureau = Unit.objects.create(
        name="某县住房和城乡建设局",
        short_name="县住建局",
        code="ZJJ",
        kind=UnitKind.DEPARTMENT,
        parent=assessor,
        sort_order=1,
    )
    sections = {}
    for order, (section_name, _chief, _n, phone) in enumerate(SECTIONS, start=1):
        sections[section_name] = Section.objects.create(
            unit=bureau, name=section_name, phone=phone, sort_order=order * 10
        )

    director_name, _ = names.make()
    director = _account("director", director_name, Role.DIRECTOR)
    person(bureau, None, director_name, "党组书记、局长", director, order=1)
    accounts.append(("director", director_name, str(Role.DIRECTOR.label)))

    year_start = dt.date(2026, 1, 1)
    leaders = []
    for index, (position, led) in enumerate(LEADERS, start=2):
        name, username = names.make()
        user = _account(username, name, Role.LEADER)
        leader = person(bureau, None, name, position, user, order=index)
        leaders.append((leader, led))
        accounts.append((username, name, str(Role.LEADER.label)))
    for leader, led in leaders:
        for section_name in led:
            LeaderAssignment.objects.create(
                section=sections[section_name], leader=leader, start_date=year_start
            )

    # A change of leader in March, so the history is not empty: 城市建设股 moves to the chief engineer.
    services.assign_leader(
        sections["城市建设股"], leaders[4][0], dt.date(2026, 3, 1), note="局党组会议调整分工"
    )

    for section_name, chief_title, staff_count, _phone_number in SECTIONS:
        section = sections[section_name]
        name, username = names.make()
        user = _account(username, name, Role.CHIEF)
        person(bureau, section, name, chief_title, user, order=10)
        accounts.append((username, name, str(Role.CHIEF.label)))
        for i in range(staff_count):
            name, username = names.make()
            user = _account(username, name, Role.STAFF)
            person(
                bureau, section, name, STAFF_POSITIONS[i % len(STAFF_POSITIONS)], user, order=20 + i
            )
            accounts.append((username, name, str(Role.STAFF.label)))

    # The supervision office (督查室) sits in 办公室; `office` is its fixed demo account.
    office_name, _ = names.make()
    office = _account("office", office_name, Role.OFFICE)
    person(bureau, sections["办公室"], office_name, "督查专员", office, order=11)
    accounts.append(("office", office_name, str(Role.OFFICE.label)))
    # Two people who left or never had an account: a roster is more than its logins.
    person(bureau, sections["城建档案馆"], names.make()[0], "退休返聘", None, order=90)
    retired = person(bureau, sections["村镇建设股"], names.make()[0], "科员", None, order=91)
    retired.is_active = False
    retired.save()

    for username, name, role in (
        ("sysadmin", "系统管理员", Role.SYSADMIN),
        ("secadmin", "安全保密管理员", Role.SECADMIN),
        ("auditor", "安全审计员", Role.AUDITOR),
    ):
        _account(username, name, role)
        accounts.append((username, name, str(role.label)))
    return accounts

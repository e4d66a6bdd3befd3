"""Responsibility letters (目标责任书): set up by the supervision office, read by the whole unit, with
progress rolled up from the letter's indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404
from django.utils.translation import gettext

from duban.assessment.choices import LetterStatus, ReportStatus
from duban.assessment.models import ResponsibilityLetter
from duban.assessment.tests.factories import (
    make_indicator,
    make_letter,
    make_period,
    make_report,
    make_scheme,
)
from duban.assessment.views.letters import choose_period
from duban.core.exceptions import StaleEditError
from duban.core.testing import check_matrix, count_queries, db_fingerprint
from duban.org.models import Section

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READERS = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 302}
OFFICE_ONLY = {
    **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "staff_c"), 403),
    "office": 200,
    **ADMINS,
    "anonymous": 302,
}
SUMMER = dt.datetime(2026, 7, 15, 2, tzinfo=dt.UTC)


@dataclass
class World:
    scheme: object
    periods: dict
    category: object
    a1: object  # section A, 10 points
    a2: object  # section A, 5 points
    c1: object  # section C
    letter: object  # section A's letter with a1 and a2


@pytest.fixture
def world(org) -> World:
    scheme = make_scheme(org)
    periods = {code: make_period(scheme, code) for code in ("Q1", "H1", "Y")}
    leader = org.person("leader")
    category = make_indicator(scheme, "1", "重点工作", 15, method="", target=None)
    a1 = make_indicator(
        scheme, "1.1", "城镇老旧小区改造", 10, parent=category, lead_section=org.section_a,
        responsible_leader=leader, unit_of_measure="%",
        rule_text="完成年度改造任务得满分，完成率每低1个百分点扣1分，扣完为止；"
                  "未按时报送进度的，每次扣0.5分。",
    )  # fmt: skip
    a2 = make_indicator(
        scheme, "1.2", "保障性住房建设", 5, parent=category, lead_section=org.section_a,
        responsible_leader=leader, unit_of_measure="%",
    )  # fmt: skip
    c1 = make_indicator(scheme, "2", "建筑业产值增速", 5, lead_section=org.section_c)
    letter = make_letter(
        scheme, org.section_a, org.person("director"), leader, indicators=[a1, a2],
        key_tasks="完成老旧小区改造12个\n\n开工保障房300套\n",
    )  # fmt: skip
    return World(scheme, periods, category, a1, a2, c1, letter)


def url(letter, action: str = "") -> str:
    base = f"/assessment/letters/{letter.pk}/"
    return f"{base}{action}/" if action else base


def form_data(org, world: World, **overrides) -> dict:
    data = {
        "scheme": world.scheme.pk,
        "section": org.section_b.pk,
        "director": org.person("director").pk,
        "leader": "",
        "indicators": [],
        "key_tasks": "完成燃气管道改造",
        "signed_on": "",
        "status": LetterStatus.DRAFT,
    }
    data.update(overrides)
    return data


# --- who sees what -----------------------------------------------------------------------------


def test_list_detail_and_word_are_open_to_everyone_in_the_unit(world, client_for):
    for address in (
        "/assessment/letters/",
        "/assessment/letters/?export=xlsx",
        url(world.letter),
        url(world.letter, "docx"),
    ):
        assert check_matrix(client_for, "get", address, READERS) == []


def test_add_and_edit_pages_are_for_the_supervision_office(world, client_for):
    for address in ("/assessment/letters/add/", url(world.letter, "edit")):
        assert check_matrix(client_for, "get", address, OFFICE_ONLY) == []


def test_another_units_letter_is_not_found(org, client_for):
    scheme = make_scheme(org, name="发改系统考核方案")
    scheme.units.set([org.peer])
    letter = make_letter(scheme, org.section_d, org.peer_person, org.peer_person)
    expected = {**dict.fromkeys(BUSINESS, 404), **ADMINS}
    for address in (url(letter), url(letter, "docx")):
        assert check_matrix(client_for, "get", address, expected) == []
    expected = {**dict.fromkeys(BUSINESS, 403), "office": 404, **ADMINS}
    assert check_matrix(client_for, "get", url(letter, "edit"), expected) == []
    assert "股室D" not in client_for("office").get("/assessment/letters/").content.decode()


# --- the office writes letters -----------------------------------------------------------------


def test_the_leader_and_indicators_default_to_the_sections_own(org, world, client_for):
    b1 = make_indicator(world.scheme, "3", "燃气安全", 5, lead_section=org.section_b)
    response = client_for("office").post("/assessment/letters/add/", form_data(org, world))
    letter = ResponsibilityLetter.objects.get(section=org.section_b)
    assert response.status_code == 302 and response["Location"] == url(letter)
    assert letter.leader == org.person("leader")  # section B's leader in charge
    assert list(letter.indicators.all()) == [b1]
    assert letter.task_lines() == ["完成燃气管道改造"]


def test_indicators_of_other_sections_may_be_added(org, world, client_for):
    data = form_data(org, world, indicators=[world.c1.pk, world.a1.pk])
    assert client_for("office").post("/assessment/letters/add/", data).status_code == 302
    letter = ResponsibilityLetter.objects.get(section=org.section_b)
    assert set(letter.indicators.all()) == {world.c1, world.a1}


def test_the_add_form_preselects_the_director_and_what_the_link_asks(org, world, client_for):
    response = client_for("office").get(
        "/assessment/letters/add/", {"scheme": world.scheme.pk, "section": org.section_b.pk}
    )
    initial = response.context["form"].initial
    assert (initial["scheme"], initial["section"]) == (world.scheme.pk, org.section_b.pk)
    assert initial["director"] == org.person("director").pk


def test_a_section_without_a_leader_needs_one_chosen(org, world, client_for):
    before = db_fingerprint()
    response = client_for("office").post(
        "/assessment/letters/add/", form_data(org, world, section=org.section_c.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["leader"] == [
        gettext("This section has no leader in charge today; choose the leader.")
    ]
    assert "完成燃气管道改造" in response.content.decode()
    assert db_fingerprint() == before
    data = form_data(org, world, section=org.section_c.pk, leader=org.person("leader").pk)
    assert client_for("office").post("/assessment/letters/add/", data).status_code == 302


def test_one_letter_per_section_and_scheme(org, world, client_for):
    before = db_fingerprint()
    response = client_for("office").post(
        "/assessment/letters/add/", form_data(org, world, section=org.section_a.pk)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["section"] == [
        gettext("This section already has a letter for this scheme.")
    ]
    assert db_fingerprint() == before


def test_indicators_of_another_scheme_are_refused_at_the_field(org, world, client_for):
    other = make_scheme(org, year=2025)
    old = make_indicator(other, "9", "旧指标", 3, lead_section=org.section_b)
    response = client_for("office").post(
        "/assessment/letters/add/", form_data(org, world, indicators=[old.pk])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["indicators"] == [
        gettext("These indicators belong to another scheme: %(names)s") % {"names": "旧指标"}
    ]


def test_a_signed_letter_needs_its_date(org, world, client_for):
    response = client_for("office").post(
        "/assessment/letters/add/", form_data(org, world, status=LetterStatus.SIGNED)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["signed_on"] == [
        gettext("Enter the date the letter was signed.")
    ]


def test_another_units_section_cannot_be_chosen(org, world, client_for):
    response = client_for("office").post(
        "/assessment/letters/add/", form_data(org, world, section=org.section_d.pk)
    )
    assert response.status_code == 400
    assert "section" in response.context["form"].errors
    assert not ResponsibilityLetter.objects.filter(section=org.section_d).exists()


def test_refused_writes_change_nothing(org, world, client_for):
    expected = {
        **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "staff_c"), 403),
        **ADMINS,
    }
    data = form_data(org, world)
    assert check_matrix(client_for, "post", "/assessment/letters/add/", expected, data) == []
    edit = form_data(
        org, world, section=org.section_a.pk, key_tasks="不该保存", version=world.letter.version
    )
    assert check_matrix(client_for, "post", url(world.letter, "edit"), expected, edit) == []
    before = db_fingerprint()
    assert client_for("anonymous").post("/assessment/letters/add/", data).status_code == 302
    assert db_fingerprint() == before


def test_the_office_signs_a_letter(org, world, client_for):
    letter = world.letter
    data = form_data(
        org, world, section=org.section_a.pk, leader=org.person("leader").pk,
        indicators=[world.a1.pk], status=LetterStatus.SIGNED, signed_on="2026-02-10",
        version=letter.version,
    )  # fmt: skip
    response = client_for("office").post(url(letter, "edit"), data)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.signed_on, letter.version) == (
        LetterStatus.SIGNED, dt.date(2026, 2, 10), 2,
    )  # fmt: skip
    assert list(letter.indicators.all()) == [world.a1]


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(org, world, client_for):
    letter = world.letter
    stale_version = letter.version
    letter.key_tasks = "别人改过的任务"
    letter.save()
    data = form_data(
        org, world, section=org.section_a.pk, key_tasks="我输入的任务", version=stale_version
    )
    response = client_for("office").post(url(letter, "edit"), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert str(StaleEditError.message) in body and "我输入的任务" in body
    letter.refresh_from_db()
    assert (letter.key_tasks, letter.version) == ("别人改过的任务", stale_version + 1)


# --- progress ----------------------------------------------------------------------------------


def test_progress_rolls_up_the_letters_indicators(org, world, client_for):
    # a1: 95% of the target at 1 point per percentage point → 5 of 10; a2 not reported yet.
    make_report(world.a1, world.periods["H1"], org.bureau, actual=95, status=ReportStatus.CONFIRMED)
    make_report(world.c1, world.periods["H1"], org.bureau, actual=100)  # not in the letter
    with time_machine.travel(SUMMER, tick=False):
        response = client_for("staff_c").get(url(world.letter))
    progress = response.context["progress"]
    assert progress.period == world.periods["H1"]
    assert [(line.indicator, line.score, line.projected) for line in progress.lines] == [
        (world.a1, Decimal("5"), Decimal("5")),
        (world.a2, None, None),
    ]
    assert (progress.points, progress.score, progress.projected, progress.percent) == (
        Decimal("15"), Decimal("5"), Decimal("5"), 33,
    )  # fmt: skip
    body = response.content.decode()
    assert "完成老旧小区改造12个" in body and "开工保障房300套" in body


def test_a_period_can_be_chosen(org, world, client_for):
    make_report(world.a1, world.periods["Q1"], org.bureau, actual=90)
    with time_machine.travel(SUMMER, tick=False):
        response = client_for("director").get(url(world.letter), {"period": "Q1"})
        unknown = client_for("director").get(url(world.letter), {"period": "X9"})
    progress = response.context["progress"]
    assert progress.period == world.periods["Q1"]
    assert progress.score == Decimal("0")  # 10 points short of target: all 10 deducted
    assert unknown.status_code == 404


def test_the_default_period_is_the_latest_ended_else_the_first(world):
    periods = [world.periods[c] for c in ("Q1", "H1", "Y")]
    assert choose_period(periods, None, dt.date(2026, 7, 15)) == world.periods["H1"]
    assert choose_period(periods, None, dt.date(2026, 6, 30)) == world.periods["H1"]
    assert choose_period(periods, None, dt.date(2026, 2, 1)) == world.periods["Q1"]
    assert choose_period(periods, "Y", dt.date(2026, 2, 1)) == world.periods["Y"]
    assert choose_period([], None, dt.date(2026, 2, 1)) is None
    with pytest.raises(Http404):
        choose_period(periods, "X9", dt.date(2026, 2, 1))


def test_a_scheme_without_periods_shows_the_letter_without_scores(org, client_for):
    scheme = make_scheme(org, year=2027)
    indicator = make_indicator(scheme, "1", "城市更新", 8, lead_section=org.section_a)
    letter = make_letter(
        scheme, org.section_a, org.person("director"), org.person("leader"), [indicator]
    )
    response = client_for("staff_a").get(url(letter))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert progress.period is None and progress.lines[0].score is None
    assert progress.points == Decimal("8")


# --- query counts ------------------------------------------------------------------------------


def grow_letters(org, world: World, n: int) -> None:
    start = Section.objects.count()
    sections = Section.objects.bulk_create(
        Section(unit=org.bureau, name=f"新股室{start + i}") for i in range(n)
    )
    director, leader = org.person("director"), org.person("leader")
    letters = ResponsibilityLetter.objects.bulk_create(
        ResponsibilityLetter(
            scheme=world.scheme, section=s, director=director, leader=leader, key_tasks="任务"
        )
        for s in sections
    )
    through = ResponsibilityLetter.indicators.through
    through.objects.bulk_create(
        through(responsibilityletter_id=letter.pk, indicator_id=indicator.pk)
        for letter in letters
        for indicator in (world.a1, world.a2)
    )


@pytest.mark.parametrize("address", ["/assessment/letters/", "/assessment/letters/?export=xlsx"])
def test_list_query_count_is_the_same_for_10_and_1000_rows(org, world, client_for, address):
    client = client_for("office")
    grow_letters(org, world, 10)
    client.get(address)  # warm caches
    small = count_queries(lambda: client.get(address))
    grow_letters(org, world, 990)
    large = count_queries(lambda: client.get(address))
    assert small == large, f"{address}: {small} queries at 10 rows, {large} at 1,000"


def test_people_of_other_units_cannot_sign(org, world, client_for):
    response = client_for("office").post(
        "/assessment/letters/add/", form_data(org, world, director=org.peer_person.pk)
    )
    assert response.status_code == 400 and "director" in response.context["form"].errors

"""The problem registry's pages: raising (with the similar panel), deciding once, linking a repeat to
the earlier decision, verifying, editing while pending, and who may do which."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.testing import count_queries, db_fingerprint
from duban.supervision.choices import EventKind, ProblemStatus
from duban.supervision.models import Event, Problem
from duban.supervision.similar import LESSONS, PROBLEMS
from duban.supervision.tests.factories import make_decided_problem, make_lesson, make_problem


@pytest.fixture(autouse=True)
def _fresh_indexes():
    PROBLEMS.clear()
    LESSONS.clear()
    yield
    PROBLEMS.clear()
    LESSONS.clear()


def test_raising_a_problem_registers_it_in_the_authors_unit(org, client_for):
    response = client_for("staff_a").post(
        "/supervision/problems/add/",
        {"title": "幸福小区加装电梯低层住户反对", "description": "", "section": org.section_a.pk},
    )
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/problems/{problem.pk}/"
    assert problem.unit == org.bureau
    assert problem.raised_by == org.person("staff_a")
    assert problem.status == ProblemStatus.PENDING
    assert Event.objects.filter(problem=problem, kind=EventKind.PROBLEM_RAISED).count() == 1


def test_bad_input_keeps_what_was_typed(org, client_for):
    before = db_fingerprint()
    response = client_for("staff_a").post(
        "/supervision/problems/add/",
        {"title": "", "description": "雨后积水没过脚踝，已多次反映", "section": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "雨后积水没过脚踝，已多次反映" in page
    assert response.context["form"].errors.keys() == {"title", "section"}
    assert db_fingerprint() == before


def test_a_section_of_another_unit_is_refused(org, client_for):
    response = client_for("staff_a").post(
        "/supervision/problems/add/", {"title": "问题", "section": org.section_d.pk}
    )
    assert response.status_code == 200
    assert "section" in response.context["form"].errors
    assert not Problem.objects.exists()


def test_raising_as_the_same_as_an_earlier_problem_takes_its_decision(org, client_for):
    earlier = make_decided_problem(
        org, "老旧小区改造中居民不同意加装电梯", "按三分之二业主同意原则推进"
    )
    response = client_for("staff_c").post(
        "/supervision/problems/add/",
        {"title": "加装电梯部分住户反对怎么办", "section": org.section_c.pk, "same_as": earlier.pk},
    )
    assert response.status_code == 302
    repeat = Problem.objects.exclude(pk=earlier.pk).get()
    assert repeat.same_as == earlier
    assert repeat.status == ProblemStatus.DECIDED
    assert repeat.decision == "按三分之二业主同意原则推进"
    assert repeat.meeting_ref == "局务会"
    assert Event.objects.filter(problem=repeat, kind=EventKind.LINKED).exists()


def test_an_undecided_problem_cannot_lend_its_decision(org, client_for):
    earlier = make_problem(org, "路灯不亮")
    response = client_for("staff_a").post(
        "/supervision/problems/add/",
        {"title": "路灯晚上不亮", "section": org.section_a.pk, "same_as": earlier.pk},
    )
    assert response.status_code == 200
    assert "same_as" in response.context["form"].errors
    assert "路灯晚上不亮" in response.content.decode()
    assert Problem.objects.count() == 1


def test_the_similar_panel_shows_earlier_problems_with_their_decisions_and_lessons(org, client_for):
    make_decided_problem(org, "老旧小区改造中居民不同意加装电梯", "按三分之二业主同意原则推进")
    make_problem(org, "城东大道雨后积水")
    make_lesson(org, "加装电梯协调经验：先算后议", body="召开业主协商会，低层补偿", tags="电梯")
    response = client_for("staff_c").get(
        "/supervision/problems/similar/",
        {"title": "加装电梯住户不同意", "description": "", "choose": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "老旧小区改造中居民不同意加装电梯" in page
    assert "按三分之二业主同意原则推进" in page
    assert 'data-testid="choose-same"' in page
    assert "城东大道雨后积水" not in page
    assert "加装电梯协调经验" in page


def test_an_empty_query_shows_the_hint_only(org, client_for):
    response = client_for("staff_a").get("/supervision/problems/similar/", {"q": "  "})
    assert response.status_code == 200
    assert 'data-testid="similar-problem"' not in response.content.decode()


def test_staff_of_another_section_read_but_neither_decide_nor_edit(org, client_for):
    problem = make_problem(org, "股室A的问题")
    client = client_for("staff_c")
    page = client.get(f"/supervision/problems/{problem.pk}/")
    assert page.status_code == 200
    assert 'data-testid="decide-form"' not in page.content.decode()
    assert client.get(f"/supervision/problems/{problem.pk}/edit/").status_code == 404
    before = db_fingerprint()
    refused = client.post(
        f"/supervision/problems/{problem.pk}/link/", {"earlier": 1, "version": problem.version}
    )
    assert refused.status_code == 403
    assert db_fingerprint() == before


def test_the_chief_decides_and_the_leader_verifies(org, client_for):
    problem = make_problem(org, "施工许可审批时限过长")
    chief = client_for("chief_a")
    assert (
        'data-testid="decide-form"'
        in chief.get(f"/supervision/problems/{problem.pk}/").content.decode()
    )
    response = chief.post(
        f"/supervision/problems/{problem.pk}/decide/",
        {
            "decision": "实行容缺受理，承诺时限压缩至5个工作日",
            "decided_on": "2026-06-03",
            "meeting_ref": "2026年第15次局务会",
            "version": problem.version,
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.DECIDED
    assert problem.decided_by == org.person("chief_a")
    assert problem.decided_on == dt.date(2026, 6, 3)
    assert problem.meeting_ref == "2026年第15次局务会"

    response = client_for("leader").post(
        f"/supervision/problems/{problem.pk}/verify/",
        {"implementation": "窗口已执行新时限", "version": problem.version},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.IMPLEMENTED
    assert problem.verified_by == org.person("leader")
    kinds = list(Event.objects.filter(problem=problem).values_list("kind", flat=True))
    assert kinds == [EventKind.PROBLEM_RAISED, EventKind.DECIDED, EventKind.IMPLEMENTED]


def test_a_decision_without_text_keeps_the_typed_reference(org, client_for):
    problem = make_problem(org, "问题")
    response = client_for("director").post(
        f"/supervision/problems/{problem.pk}/decide/",
        {
            "decision": "",
            "decided_on": "2026-06-03",
            "meeting_ref": "专题会纪要〔2026〕3号",
            "version": problem.version,
        },
    )
    assert response.status_code == 400
    assert "专题会纪要〔2026〕3号" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.PENDING


def test_a_stale_decision_is_refused(org, client_for):
    problem = make_problem(org, "问题")
    stale = problem.version
    Problem.objects.get(pk=problem.pk).save()  # someone else changed it meanwhile
    response = client_for("director").post(
        f"/supervision/problems/{problem.pk}/decide/",
        {"decision": "同意", "decided_on": "2026-06-03", "meeting_ref": "", "version": stale},
    )
    assert response.status_code == 400
    assert "同意" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.PENDING


def test_linking_copies_the_decision_and_counts_the_reuse(org, client_for):
    earlier = make_decided_problem(org, "渣土运输车辆沿途抛洒", "城管、交警联合执法，按次处罚")
    repeat = make_problem(org, "拉渣土的车掉土，路面脏")
    response = client_for("staff_a").post(
        f"/supervision/problems/{repeat.pk}/link/",
        {"earlier": earlier.pk, "version": repeat.version},
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.same_as == earlier
    assert repeat.decision == "城管、交警联合执法，按次处罚"
    assert repeat.status == ProblemStatus.DECIDED
    page = client_for("staff_c").get(f"/supervision/problems/{earlier.pk}/").content.decode()
    assert 'data-testid="reuse-count"' in page
    assert "拉渣土的车掉土，路面脏" in page


def test_linking_to_a_pending_problem_is_refused_with_a_message(org, client_for):
    earlier = make_problem(org, "路灯不亮")
    repeat = make_problem(org, "路灯晚上不亮")
    response = client_for("staff_a").post(
        f"/supervision/problems/{repeat.pk}/link/",
        {"earlier": earlier.pk, "version": repeat.version},
    )
    assert response.status_code == 400
    assert response.context["link_form"].errors["earlier"]


def test_a_decided_problem_is_no_longer_edited(org, client_for):
    problem = make_decided_problem(org, "问题", "决定")
    response = client_for("staff_a").get(f"/supervision/problems/{problem.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/supervision/problems/{problem.pk}/"


def test_editing_a_pending_problem_refuses_a_stale_copy(org, client_for):
    problem = make_problem(org, "原标题")
    data = {"title": "新标题", "section": org.section_a.pk, "version": problem.version}
    Problem.objects.get(pk=problem.pk).save()
    response = client_for("staff_a").post(f"/supervision/problems/{problem.pk}/edit/", data)
    assert response.status_code == 200
    assert "新标题" in response.content.decode()
    problem.refresh_from_db()
    assert problem.title == "原标题"


def test_archiving_needs_a_reason_and_hides_the_problem_from_the_list(org, client_for):
    problem = make_problem(org, "重复录入的问题")
    client = client_for("staff_a")
    client.post(f"/supervision/problems/{problem.pk}/archive/", {"version": problem.version})
    problem.refresh_from_db()
    assert problem.archived_at is None
    client.post(
        f"/supervision/problems/{problem.pk}/archive/",
        {"reason": "重复录入", "version": problem.version},
    )
    problem.refresh_from_db()
    assert problem.archive_reason == "重复录入"
    assert "重复录入的问题" not in client.get("/supervision/problems/").content.decode()


def test_the_list_exports_to_excel(org, client_for):
    make_decided_problem(org, "城东大道雨后积水", "疏通管网")
    response = client_for("staff_a").get("/supervision/problems/", {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _grow(org, n, start):
    Problem.objects.bulk_create(
        Problem(
            unit=org.bureau,
            title=f"问题{start + i}",
            section=org.section_a if i % 2 else org.section_c,
            raised_by=org.person("staff_a"),
            solver=org.person("chief_a"),
            status=ProblemStatus.DECIDED if i % 3 else ProblemStatus.PENDING,
            decision="决定" if i % 3 else "",
            decided_by=org.person("director") if i % 3 else None,
        )
        for i in range(n)
    )
    first = Problem.objects.order_by("id").first()
    Problem.objects.filter(title__endswith="7").update(same_as=first)


def test_the_problem_list_costs_the_same_at_10_and_200_rows(org, client_for):
    client = client_for("staff_a")
    url = "/supervision/problems/?page_size=500"
    _grow(org, 10, 0)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    _grow(org, 190, 10)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{small} queries at 10 rows, {large} at 200"

"""The lesson library's pages: written from a decided problem or a finished task, searchable by
meaning, tagged, and constant in queries."""

from __future__ import annotations

import pytest

from duban.core.testing import count_queries
from duban.supervision.choices import TaskStatus
from duban.supervision.models import Lesson, Task
from duban.supervision.similar import LESSONS, PROBLEMS
from duban.supervision.tests.factories import (
    make_decided_problem,
    make_lesson,
    make_problem,
    make_task,
)


@pytest.fixture(autouse=True)
def _fresh_indexes():
    PROBLEMS.clear()
    LESSONS.clear()
    yield
    PROBLEMS.clear()
    LESSONS.clear()


def test_a_lesson_from_a_decided_problem_is_prefilled_and_linked(org, client_for):
    problem = make_decided_problem(org, "渣土运输车辆沿途抛洒", "城管、交警联合执法")
    client = client_for("staff_c")
    form = client.get(f"/supervision/lessons/add/?problem={problem.pk}").context["form"]
    assert form.initial["title"] == "渣土运输车辆沿途抛洒"
    assert "城管、交警联合执法" in form.initial["body"]
    response = client.post(
        "/supervision/lessons/add/",
        {
            "kind": "lesson",
            "title": "渣土管理的教训",
            "body": "源头管控比末端执法有效",
            "tags": "渣土，执法",
            "section": org.section_c.pk,
            "problem": problem.pk,
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.problem, lesson.unit, lesson.author) == (
        problem,
        org.bureau,
        org.person("staff_c"),
    )
    assert lesson.tag_list == ["渣土", "执法"]
    page = client.get(f"/supervision/problems/{problem.pk}/").content.decode()
    assert "渣土管理的教训" in page


def test_a_pending_problem_cannot_be_the_source(org, client_for):
    problem = make_problem(org, "路灯不亮")
    client = client_for("staff_a")
    page = client.get(f"/supervision/lessons/add/?problem={problem.pk}")
    assert 'data-testid="source-refused"' in page.content.decode()
    response = client.post(
        "/supervision/lessons/add/",
        {"kind": "lesson", "title": "我的标题", "body": "正文", "problem": problem.pk},
    )
    assert response.status_code == 200
    assert "我的标题" in response.content.decode()
    assert response.context["form"].errors["problem"]
    assert not Lesson.objects.exists()


def test_a_lesson_from_a_finished_task(org, client_for):
    task = make_task(org, "汛前排水设施排查")
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, result="清掏雨水井312座")
    client = client_for("staff_a")
    form = client.get(f"/supervision/lessons/add/?task={task.pk}").context["form"]
    assert "清掏雨水井312座" in form.initial["body"]
    response = client.post(
        "/supervision/lessons/add/",
        {"kind": "practice", "title": "汛前排查做法", "body": "分片包干", "task": task.pk},
    )
    assert response.status_code == 302
    assert Lesson.objects.get().task_id == task.pk


def test_an_unfinished_task_cannot_be_the_source(org, client_for):
    task = make_task(org, "汛前排水设施排查")
    response = client_for("staff_a").post(
        "/supervision/lessons/add/",
        {"kind": "practice", "title": "做法", "body": "正文", "task": task.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["task"]


def test_the_search_box_finds_lessons_by_meaning_and_filters_by_tag_and_kind(org, client_for):
    make_lesson(org, "加装电梯协调经验", body="先开业主协商会，低层住户给予补偿", tags="电梯")
    make_lesson(org, "防汛经验", body="汛前清掏雨水井", tags="防汛", kind="lesson")
    client = client_for("staff_c")
    page = client.get("/supervision/lessons/", {"q": "住户不同意装电梯"}).content.decode()
    assert "加装电梯协调经验" in page and "防汛经验" not in page
    page = client.get("/supervision/lessons/", {"tag": "防汛"}).content.decode()
    assert "防汛经验" in page and "加装电梯协调经验" not in page
    page = client.get("/supervision/lessons/", {"kind": "practice"}).content.decode()
    assert "加装电梯协调经验" in page and "防汛经验" not in page
    export = client.get("/supervision/lessons/", {"q": "电梯", "export": "xlsx"})
    assert export.status_code == 200


def test_staff_of_another_section_cannot_edit_a_lesson(org, client_for):
    lesson = make_lesson(org, "经验")
    assert client_for("staff_c").get(f"/supervision/lessons/{lesson.pk}/edit/").status_code == 404
    assert client_for("staff_c").get(f"/supervision/lessons/{lesson.pk}/").status_code == 200


def test_the_lesson_list_costs_the_same_at_10_and_200_rows(org, client_for):
    problem = make_decided_problem(org, "问题", "决定")
    task = make_task(org)

    def grow(n, start):
        Lesson.objects.bulk_create(
            Lesson(
                unit=org.bureau,
                kind="practice",
                title=f"经验{start + i}",
                body="做法",
                tags="甲 乙",
                section=org.section_a,
                author=org.person("staff_a"),
                problem=problem if i % 2 else None,
                task=None if i % 2 else task,
            )
            for i in range(n)
        )

    client = client_for("staff_a")
    urls = ("/supervision/lessons/", "/supervision/lessons/?q=经验")
    grow(10, 0)
    for url in urls:
        client.get(url)
    small = [count_queries(lambda url=url: client.get(url)) for url in urls]
    grow(190, 10)
    large = [count_queries(lambda url=url: client.get(url)) for url in urls]
    assert small == large, f"{small} queries at 10 rows, {large} at 200"

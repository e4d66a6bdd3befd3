"""The demo supervision data: every state, quadrant and rung present, repeats linked, talks confidential.

Built on the demo organisation only (the assessment and project links are optional), so it stays fast.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from duban.accounts.models import User
from duban.audit.context import change_context
from duban.org import demo as org_demo
from duban.supervision import demo, escalation
from duban.supervision.choices import (
    ExtensionStatus,
    Level,
    ProblemStatus,
    Quadrant,
    Source,
    TalkKind,
    TaskStatus,
)
from duban.supervision.models import (
    Escalation,
    ExtensionRequest,
    Lesson,
    Policy,
    Problem,
    Talk,
    Task,
)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    # Module-scoped, so the per-test settings of duban/conftest.py do not apply yet: use the same
    # fast hasher, or org.demo's once-per-process password hash would be a slow one other tests
    # (which only accept MD5) cannot check.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        with change_context("command:demo"), transaction.atomic():
            org_demo.build()
            demo.build()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def data(built, db):
    return None


def test_tasks_cover_every_state_quadrant_and_source(data):
    tasks = list(Task.objects.all())
    assert 110 <= len(tasks) <= 130
    assert {t.status for t in tasks} == set(TaskStatus.values)
    assert {t.quadrant for t in tasks} == set(Quadrant.values)
    assert {t.source for t in tasks} == set(Source.values)
    assert all(t.stop_reason for t in tasks if t.status == TaskStatus.STOPPED)
    assert all(t.result for t in tasks if t.status == TaskStatus.DONE)
    numbers = sorted((t.year, t.seq) for t in tasks)
    assert numbers == [(2026, n) for n in range(1, len(tasks) + 1)] or len(set(numbers)) == len(
        tasks
    )
    assert Task.objects.filter(
        source=Source.MEETING, source_ref__startswith="局务会纪要〔2026〕"
    ).exists()
    assert Task.objects.filter(extension_count=2).exists()
    assert Policy.objects.filter(unit__code="ZJJ", warn_before=2, director_overdue=5).exists()


def test_extensions_second_by_the_director_one_rejected(data):
    director = User.objects.get(username="director")
    seconds = ExtensionRequest.objects.filter(ordinal=2, status=ExtensionStatus.APPROVED)
    assert seconds.exists()
    assert all(e.decided_by_id == director.pk for e in seconds)
    assert ExtensionRequest.objects.filter(status=ExtensionStatus.REJECTED).count() == 1
    assert ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).exists()


def test_the_ladder_is_alive_today_and_the_scan_has_nothing_left_to_do(data):
    open_rungs = Escalation.objects.filter(resolved_at__isnull=True)
    levels = set(open_rungs.filter(task__isnull=False).values_list("level", flat=True))
    assert levels == {Level.WARNING, Level.LEADER, Level.DIRECTOR}
    assert open_rungs.filter(task__coordination_requested_on__isnull=False, level=2).exists()
    assert set(open_rungs.filter(problem__isnull=False).values_list("level", flat=True)) == {1, 2}
    # history: rungs that opened and were resolved when late work was finished
    assert Escalation.objects.filter(resolved_at__isnull=False, level=Level.DIRECTOR).exists()
    # the replay left the ladder exactly where the real scan puts it
    result = escalation.scan(timezone.now())
    assert result["task_changes"] == 0
    assert result["problem_changes"] == 0
    assert Task.objects.filter(escalation_level=2, status=TaskStatus.IN_PROGRESS).exists()
    # 待我协调 is not empty for the director, and the director has unread notices of it
    director = User.objects.get(username="director")
    assert Escalation.objects.for_person(director.person.pk).exists()
    assert director.notifications.filter(
        read_at__isnull=True, kind="supervision.escalated"
    ).exists()


def test_problems_decided_once_and_repeats_linked(data):
    problems = Problem.objects.all()
    assert 55 <= problems.count() <= 65
    assert {p.status for p in problems} == set(ProblemStatus.values)
    repeats = problems.filter(same_as__isnull=False)
    assert 6 <= repeats.count() <= 8
    for repeat in repeats:
        assert repeat.same_as.same_as_id is None
        assert repeat.decision == repeat.same_as.decision
        assert repeat.status == ProblemStatus.DECIDED
    assert problems.filter(status=ProblemStatus.PENDING, escalation_level=0).exists()
    assert problems.filter(status=ProblemStatus.PENDING, escalation_level=1).exists()
    assert problems.filter(status=ProblemStatus.PENDING, escalation_level=2).exists()
    assert problems.filter(status=ProblemStatus.IMPLEMENTED, verified_on__isnull=False).exists()


def test_lessons_from_problems_and_tasks(data):
    lessons = Lesson.objects.all()
    assert 18 <= lessons.count() <= 22
    assert lessons.filter(problem__isnull=False).exists()
    assert lessons.filter(task__status=TaskStatus.DONE).exists()
    assert all(lesson.tag_list for lesson in lessons)


def test_talks_are_seen_only_by_the_right_people(data):
    talks = Talk.objects.all()
    assert talks.count() == 6
    assert {t.kind for t in talks} == set(TalkKind.values)
    assert talks.filter(followed_up_on__isnull=False).count() >= 3
    assert talks.filter(follow_up_result="", follow_up_on__gt=timezone.localdate()).count() == 1
    director, auditor, office = (
        User.objects.get(username=name) for name in ("director", "auditor", "office")
    )
    for talk in talks:
        assert talk.tasks.exists()
        allowed = {director, auditor, talk.talker.user, talk.person.user}
        for user in User.objects.filter(is_active=True):
            seen = Talk.objects.visible_to(user).filter(pk=talk.pk).exists()
            assert seen == (user in allowed), (talk, user.username)
        assert not Talk.objects.visible_to(office).filter(pk=talk.pk).exists()


def test_build_runs_once(data):
    count = Task.objects.count()
    assert demo.build() == []
    assert Task.objects.count() == count
